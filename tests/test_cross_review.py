"""Nothing crosses from one review to another: every id a request body names must be of the review in the URL.

For each body field that refers to a row (participant, event, factor, node, interview, document, theme, source…),
review A's route is sent review B's id: it is refused (404 or 422) and nothing is stored. The GDPR export of a
participant holds only rows of their own review.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from app.documents.models import Document
from app.group_interview.models import Factor, FactorKind, GroupInterview, RoomPurpose
from app.interviews.models import Interview, InterviewParticipant
from tests.world import Ids, World, snapshot


@dataclass
class Pair:
    """Review ``a`` (where requests go) and the ids of rows in review ``b``."""

    a: Ids
    b: Ids
    b_interview: int
    b_document: int
    b_theme: int
    b_group_interview: int


@pytest.fixture
def pair(world: World) -> Pair:
    a, b = world.new_review("Casus A", group_interview=True), world.new_review("Casus B", group_interview=True)
    with Session(world.engine) as session:
        interview = Interview(review_id=b.review_id)
        document = Document(review_id=b.review_id, title="Plan van aanpak B")
        session.add_all([interview, document])
        session.flush()
        session.add(
            InterviewParticipant(review_id=b.review_id, interview_id=interview.id or 0, participant_id=b.participant_id)
        )
        session.commit()
        interview_id, document_id = interview.id or 0, document.id or 0
        room = (
            session.exec(
                select(GroupInterview.id).where(
                    GroupInterview.review_id == b.review_id, GroupInterview.purpose == RoomPurpose.group_interview
                )
            ).one()
            or 0
        )
    framework = world.api["owner"].post(
        f"/api/v1/reviews/{b.review_id}/frameworks", json={"title": "Kader B", "themes": ["Regie"]}
    )
    assert framework.status_code == 201, framework.text
    theme = next(f for f in framework.json() if f["own"])["themes"][0]["id"]
    return Pair(a, b, interview_id, document_id, theme, room)


def source(kind: str, ref_id: int) -> dict[str, object]:
    return {"kind": kind, "ref_id": ref_id, "label": "bron"}


R = "/api/v1/reviews/{a.review_id}"
Case = tuple[str, str, Callable[[Pair], dict[str, object]]]
CASES: dict[str, Case] = {
    "factor.participant_id": (
        "POST",
        R + "/factors",
        lambda p: {"kind": "success", "title": "Korte lijnen", "participant_id": p.b.participant_id},
    ),
    "factor.event_id": ("POST", R + "/factors", lambda p: {"kind": "success", "title": "x", "event_id": p.b.event_id}),
    "factor_update.event_id": ("PATCH", R + "/factors/{a.factor_id}", lambda p: {"event_id": p.b.event_id}),
    "factor_merge.into_id": (
        "POST",
        R + "/factors/merge",
        lambda p: {"into_id": p.b.factor_id, "factor_ids": [p.a.factor_id]},
    ),
    "factor_merge.factor_ids": (
        "POST",
        R + "/factors/merge",
        lambda p: {"into_id": p.a.factor_id, "factor_ids": [p.b.factor_id]},
    ),
    "proposal.event_id": (
        "POST",
        R + "/group-interview/proposals",
        lambda p: {"text": "Klopt niet", "event_id": p.b.event_id},
    ),
    "tablet.participant_id": ("POST", R + "/group-interview/tablet", lambda p: {"participant_id": p.b.participant_id}),
    "sticker.factor_id": (
        "POST",
        R + "/rounds/{a.round_id}/stickers",
        lambda p: {"factor_id": p.b.factor_id, "participant_id": p.a.participant_id},
    ),
    "paper.factor_id": (
        "POST",
        R + "/rounds/{a.round_id}/paper",
        lambda p: {"counts": [{"factor_id": p.b.factor_id, "count": 1}]},
    ),
    "paper.participant_id": (
        "POST",
        R + "/rounds/{a.round_id}/paper",
        lambda p: {"counts": [{"factor_id": p.a.factor_id, "participant_id": p.b.participant_id, "count": 1}]},
    ),
    "event.sources.interview": (
        "POST",
        R + "/lifeline/events",
        lambda p: {
            "title": "x",
            "when": "2020",
            "sources": [{"kind": "interview", "ref_id": p.b_interview, "label": "i"}],
        },
    ),
    "event.sources.document": (
        "POST",
        R + "/lifeline/events",
        lambda p: {
            "title": "x",
            "when": "2020",
            "sources": [{"kind": "document", "ref_id": p.b_document, "label": "d"}],
        },
    ),
    "event_update.sources": (
        "PATCH",
        R + "/lifeline/events/{a.event_id}",
        lambda p: {"version": 1, "sources": [source("group_interview", p.b_group_interview)]},
    ),
    "interview.participant_ids": ("POST", R + "/interviews", lambda p: {"participant_ids": [p.b.participant_id]}),
    "quote.participant_id": ("POST", R + "/quotes", lambda p: {"participant_id": p.b.participant_id, "text": "Zo"}),
    "quote.interview_id": (
        "POST",
        R + "/quotes",
        lambda p: {"participant_id": p.a.participant_id, "interview_id": p.b_interview, "text": "Zo"},
    ),
    "candidate_factor.interview_id": (
        "POST",
        R + "/candidate-factors",
        lambda p: {"kind": "success", "title": "x", "interview_id": p.b_interview},
    ),
    "document_finding.event_id": (
        "POST",
        R + "/documents/{doc}/findings",
        lambda p: {"kind": "confirm", "event_id": p.b.event_id},
    ),
    "node.parent_id": ("POST", R + "/findings-tree/nodes", lambda p: {"title": "x", "parent_id": p.b.node_id}),
    "node.factor_id": ("POST", R + "/findings-tree/nodes", lambda p: {"title": "x", "factor_id": p.b.factor_id}),
    "node_move.parent_id": (
        "POST",
        R + "/findings-tree/nodes/{a.node_id}/move",
        lambda p: {"parent_id": p.b.node_id, "position": 0},
    ),
    "node_merge.node_ids": (
        "POST",
        R + "/findings-tree/nodes/{a.node_id}/merge",
        lambda p: {"node_ids": [p.b.node_id]},
    ),
    "themes.theme_ids": ("PUT", R + "/findings-tree/nodes/{a.node_id}/themes", lambda p: {"theme_ids": [p.b_theme]}),
    **{
        f"evidence.{kind}": (
            "POST",
            R + "/findings-tree/nodes/{a.node_id}/evidence",
            lambda p, kind=kind, ref=ref: {"kind": kind, "ref_id": ref(p)},
        )
        for kind, ref in {
            "event": lambda p: p.b.event_id,
            "round": lambda p: p.b.round_id,
            "factor": lambda p: p.b.factor_id,
            "interview": lambda p: p.b_interview,
            "document": lambda p: p.b_document,
        }.items()
    },
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_body_naming_another_reviews_row_is_refused(world: World, pair: Pair, case: str) -> None:
    method, template, body = CASES[case]
    with Session(world.engine) as session:
        own_document = Document(review_id=pair.a.review_id, title="Plan A")
        session.add(own_document)
        session.commit()
        doc = own_document.id
    url = template.format(a=pair.a, doc=doc)
    before = snapshot(world.engine)

    response = world.api["owner"].request(method, url, json=body(pair))

    assert response.status_code in (404, 422), (case, response.status_code, response.text)
    assert response.json()["detail"]
    assert snapshot(world.engine) == before


def test_the_gdpr_export_holds_only_rows_of_the_participants_review(world: World, pair: Pair) -> None:
    """A factor of review B that names A's participant (stored before bodies were checked) stays out of A's
    GDPR export: it is not that review's data."""
    with Session(world.engine) as session:
        session.add(
            Factor(
                review_id=pair.b.review_id, kind=FactorKind.success, title="Uit B", participant_id=pair.a.participant_id
            )
        )
        session.commit()
    response = world.api["owner"].get(
        f"/api/v1/reviews/{pair.a.review_id}/participants/{pair.a.participant_id}/export.json"
    )

    assert response.status_code == 200
    assert "Uit B" not in response.text
    with Session(world.engine) as session:
        assert session.exec(select(Factor).where(Factor.title == "Uit B")).one()
