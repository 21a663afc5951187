"""The REFI-QDA project (.qdpx): valid against the official schema, codes that carry the analysis (the findings
tree with its hierarchy, the framework themes, the factors) with codings for every evidence link, quote and
candidate factor, users and dates on every coding, GUIDs of this installation, selections right after CRLF,
and nothing left out without saying so."""

import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from sqlmodel import Session, col, select

from app.auth.models import User
from app.findings.schemas import NodeOut
from app.findings.service import tree
from app.group_interview.models import FactorKind
from app.i18n import language
from app.interviews.models import CandidateFactor, Interview, InterviewNote, Quote
from app.interviews.service import exportable_quotes
from app.participants.models import Participant
from app.reports.exports import qdpx
from app.reviews.models import Review
from tests.fixtures import make_settings
from tests.reports.demo_case import WITHDRAWN_QUOTE, Demo

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "refi_qda" / "Project.xsd")))
NS = {"q": "urn:QDA-XML:project:1.0"}
CRLF_NOTE = "Eerste regel\r\nTweede regel\r\n\r\nDerde regel met het citaat: Dat hielp echt.\rEinde"
CRLF_QUOTE = "Dat hielp echt."


def _project(content: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    project = etree.fromstring(archive.read("project.qde"))
    SCHEMA.assertValid(project)
    return archive, project


def _codings_per_code(project: etree._Element) -> Counter[str]:
    return Counter(ref.get("targetGUID") for ref in project.iterfind(".//q:Coding/q:CodeRef", NS))


def _selected(archive: zipfile.ZipFile, project: etree._Element) -> dict[str, list[str]]:
    """The text of every coded selection, by the GUID of each code it is coded with."""
    out: dict[str, list[str]] = {}
    for source in project.iterfind(".//q:TextSource", NS):
        text = archive.read(f"sources/{source.get('plainTextPath', '').removeprefix('internal://')}").decode()
        for selection in source.iterfind("q:PlainTextSelection", NS):
            piece = text[int(selection.get("startPosition", "0")) : int(selection.get("endPosition", "0"))]
            for ref in selection.iterfind("q:Coding/q:CodeRef", NS):
                out.setdefault(ref.get("targetGUID", ""), []).append(piece)
    return out


def _codes_under(project: etree._Element, top: str) -> dict[str, etree._Element]:
    """The codes beneath one top-level code of the codebook, by name."""
    (group,) = [c for c in project.iterfind("q:CodeBook/q:Codes/q:Code", NS) if c.get("name") == top]
    return {code.get("name") or "": code for code in group.iterfind(".//q:Code", NS)}


def _walk(nodes: list[NodeOut]) -> list[NodeOut]:
    return [n for node in nodes for n in (node, *_walk(node.children))]


@pytest.fixture(scope="module")
def with_crlf_quote(demo: Demo) -> int:
    """An interview whose notes have CRLF and CR line ends, with a consented quote after them."""
    with Session(demo.engine) as session:
        speaker = session.exec(
            select(Quote).where(Quote.review_id == demo.review_id, col(Quote.interview_id).is_not(None))
        ).first()
        assert speaker is not None
        interview = Interview(review_id=demo.review_id, held_on=dt.date(2024, 4, 2))
        session.add(interview)
        session.flush()
        session.add(
            InterviewNote(review_id=demo.review_id, interview_id=interview.id or 0, topic_key="x", text=CRLF_NOTE)
        )
        quote = Quote(
            review_id=demo.review_id,
            participant_id=speaker.participant_id,
            interview_id=interview.id,
            text=CRLF_QUOTE,
            speaker=speaker.speaker,
            created_by=speaker.created_by,
        )
        candidate = CandidateFactor(
            review_id=demo.review_id, kind=FactorKind.success, title="Iets hielp", passage="Tweede regel\r\n\r\nDerde"
        )
        candidate.interview_id = interview.id
        session.add_all([quote, candidate])
        session.commit()
        return quote.id or 0


def test_qdpx_is_valid_and_codes_the_findings_tree_with_its_hierarchy(demo: Demo, with_crlf_quote: int) -> None:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.qdpx")

    assert response.status_code == 200
    _archive, project = _project(response.content)
    codings = _codings_per_code(project)
    with Session(demo.engine) as session, language("en"):  # the owner's client asks for English
        found = tree(session=session, review_id=demo.review_id)
    codes = _codes_under(project, "Findings tree")
    for branch in (found.root.children, found.hindering, found.what_works):
        for node in _walk(branch):
            code = codes[node.title]
            parent = code.getparent()
            assert parent is not None
            if node.parent_id is not None and node.parent_id != found.root.id:  # the hierarchy is kept
                assert parent.get("guid") == codes[next(n.title for n in _walk(branch) if n.id == node.parent_id)].get(
                    "guid"
                )
            if any(e.exportable for e in node.evidence) or node.factor_id:
                assert codings[code.get("guid")] >= 1, node.title  # every evidence link is a coding
    themed = {t.title for node in _walk(found.root.children) + _walk(found.hindering) for t in node.themes}
    themes = _codes_under(project, "Framework themes")
    assert themed and all(codings[themes[title].get("guid")] >= 1 for title in themed)
    factors = _codes_under(project, "Factors from the group interview")
    assert factors and {n: codings[c.get("guid")] for n, c in factors.items()} == {n: 1 for n in factors}
    everything = list(project.iterfind(".//q:Code", NS))
    coded = [c for c in everything if c.get("isCodable") == "true"]
    assert sum(1 for c in coded if codings[c.get("guid")]) / len(coded) > 0.75  # not 1 in 10 any more
    groups = [c for c in project.iterfind("q:CodeBook/q:Codes/q:Code", NS) if c.get("name") != "Quote"]
    assert groups and all(c.get("isCodable") == "false" and not codings[c.get("guid")] for c in groups)


def test_every_quote_is_coded_at_its_exact_text_even_after_crlf_and_from_the_group_interview(
    demo: Demo, with_crlf_quote: int
) -> None:
    archive, project = _project(demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.qdpx").content)
    selected = _selected(archive, project)
    quote_code = next(
        c.get("guid") for c in project.iterfind("q:CodeBook/q:Codes/q:Code", NS) if c.get("name") == "Quote"
    )
    with Session(demo.engine) as session:
        quotes = [q.text for q in exportable_quotes(session=session, review_id=demo.review_id)]
    assert any(q for q in quotes if q == CRLF_QUOTE)
    assert sorted(selected[quote_code]) == sorted(quotes)  # the group-interview quote too
    candidate = _codes_under(project, "Candidate factors from the interviews")["Iets hielp"].get("guid", "")
    assert selected[candidate] == ["Tweede regel\n\nDerde"]
    assert b"\r" not in b"".join(archive.read(n) for n in archive.namelist() if n.startswith("sources/"))
    assert WITHDRAWN_QUOTE.encode() not in b"".join(archive.read(n) for n in archive.namelist())
    description = project.findtext("q:Description", namespaces=NS) or ""
    assert "1 quotes are left out" in description


def test_codings_name_their_user_and_date_and_guids_are_unique(demo: Demo) -> None:
    _archive, project = _project(demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.qdpx").content)
    users = {u.get("guid"): u.get("name") for u in project.iterfind("q:Users/q:User", NS)}
    codings = list(project.iterfind(".//q:Coding", NS))
    assert codings and users
    for coding in codings:
        assert coding.get("creatingUser") in users
        assert dt.datetime.fromisoformat(coding.get("creationDateTime", "").replace("Z", "+00:00")).tzinfo
    assert project.get("creatingUserGUID") in users
    guids = [e.get("guid") for e in project.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))


def test_guids_belong_to_the_installation_and_stay_the_same_between_exports(demo: Demo, tmp_path: Path) -> None:
    def guids(data_dir: Path) -> set[str]:
        with Session(demo.engine) as session:
            review = session.get(Review, demo.review_id)
            user = session.exec(select(User)).first()
            assert review is not None and user is not None
            content = qdpx(session=session, settings=make_settings(data_dir), review=review, user=user)
        _archive, project = _project(content)
        return {e.get("guid") or "" for e in project.iter() if e.get("guid")}

    here, again, elsewhere = guids(tmp_path / "a"), guids(tmp_path / "a"), guids(tmp_path / "b")

    assert here == again
    assert not here & elsewhere
    assert (tmp_path / "a" / "installation_id").read_text().strip()


def test_a_participant_without_quote_consent_leaves_nothing_in_the_project(demo: Demo) -> None:
    content = demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.qdpx").content
    archive, _project_xml = _project(content)
    with Session(demo.engine) as session:
        uncle = session.get(Participant, demo.withdrawn_participant_id)
        assert uncle is not None
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert WITHDRAWN_QUOTE.encode() not in everything and b"oom.kees" not in everything
