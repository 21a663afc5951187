"""Helpers for the findings-tree tests: a review with group-interview factors and stickers, and tree walking."""

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.findings.models import FindingEvidence, FindingNode
from app.group_interview.models import Factor, FactorKind, GroupInterview, GroupInterviewStatus
from app.voting.models import Sticker, StickerRound
from tests.world import Ids, World


def seed_factors(engine: Engine, review_id: int, success: dict[str, int], hindering: dict[str, int]) -> dict[str, int]:
    """Factors (title -> number of stickers) of a closed group interview with one round per kind."""
    ids: dict[str, int] = {}
    with Session(engine) as session:
        interview = GroupInterview(
            review_id=review_id,
            status=GroupInterviewStatus.closed,
            code_nonce="n",
            code_hash=f"h{review_id}",
            closed_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        )
        session.add(interview)
        session.flush()
        for kind, titles in ((FactorKind.success, success), (FactorKind.hindering, hindering)):
            sticker_round = StickerRound(
                review_id=review_id, group_interview_id=interview.id or 0, kind=kind, status="closed", revealed=True
            )
            session.add(sticker_round)
            session.flush()
            for title, count in titles.items():
                factor = Factor(review_id=review_id, group_interview_id=interview.id, kind=kind, title=title)
                session.add(factor)
                session.flush()
                ids[title] = factor.id or 0
                for n in range(count):
                    session.add(
                        Sticker(
                            review_id=review_id,
                            round_id=sticker_round.id or 0,
                            factor_id=factor.id or 0,
                            source="paper",
                            client_key=f"{factor.id}-{n}",
                        )
                    )
        session.commit()
    return ids


def tree_of(api: TestClient, review_id: int) -> dict[str, Any]:
    """The tree as the API answers it."""
    response = api.get(f"/api/v1/reviews/{review_id}/findings-tree")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def walk(tree: dict[str, Any]) -> list[tuple[dict[str, Any], int | None]]:
    """Every node of the tree with the id of its parent (None for the top of a branch)."""
    found: list[tuple[dict[str, Any], int | None]] = []

    def visit(node: dict[str, Any], parent: int | None) -> None:
        found.append((node, parent))
        for child in node["children"]:
            visit(child, node["id"] or None)

    visit(tree["root"], None)
    for node in [*tree["hindering"], *tree["what_works"]]:
        visit(node, None)
    return found


def titles(nodes: list[dict[str, Any]]) -> list[str]:
    """The titles of a list of nodes."""
    return [node["title"] for node in nodes]


def node_by_title(tree: dict[str, Any], title: str) -> dict[str, Any]:
    """The node with this title."""
    for node, _parent in walk(tree):
        if node["title"] == title:
            return node
    raise AssertionError(f"no node {title!r}")


def add(api: TestClient, review_id: int, title: str, **fields: Any) -> dict[str, Any]:
    """Create a node through the API."""
    response = api.post(f"/api/v1/reviews/{review_id}/findings-tree/nodes", json={"title": title, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def move(api: TestClient, review_id: int, node_id: int, parent_id: int | None, position: int) -> Any:
    """Move a node through the API."""
    return api.post(
        f"/api/v1/reviews/{review_id}/findings-tree/nodes/{node_id}/move",
        json={"parent_id": parent_id, "position": position},
    )


def empty_review(world: "World", title: str = "Casus bevindingen") -> "Ids":
    """A fresh review of the world without the two nodes ``World.new_review`` puts in its tree."""
    ids = world.new_review(title)
    with Session(world.engine) as session:
        for model in (FindingEvidence, FindingNode):
            for row in session.exec(select(model).where(model.review_id == ids.review_id)).all():
                session.delete(row)
                session.flush()
        session.commit()
    return ids
