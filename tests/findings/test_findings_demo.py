"""The demo case ends with a complete findings tree."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.demo import DEMO_PASSWORD, load_demo
from tests.findings.trees import walk
from tests.world import bearer_client


@pytest.fixture
def demo(app: FastAPI, db: Session) -> tuple[TestClient, int]:
    """The demo case loaded, and a client of its reader (teams read the tree) in Dutch."""
    review = load_demo(session=db)
    db.commit()
    client = bearer_client(app, "team.lezer@example.org", DEMO_PASSWORD, headers={"accept-language": "nl"})
    return client, review.id or 0


def test_demo_tree_is_complete(demo: tuple[TestClient, int]) -> None:
    client, review_id = demo
    tree = client.get(f"/api/v1/reviews/{review_id}/findings-tree").json()
    assert tree["root"]["title"].startswith("Noor woont sinds 2023 bij haar tante")
    mains = tree["root"]["children"]
    assert len(mains) == 5
    assert {m["kind"] for m in mains} == {"success_factor"}
    # the proposal put the factors with the most stickers first: factors 4 and 2 on top
    assert [m["title"] for m in mains[:2]] == ["Eén casemanager met mandaat", "Noor praat zelf over wat ze nodig heeft"]
    assert [m["stickers"] for m in mains] == sorted((m["stickers"] for m in mains), reverse=True)
    assert sum(len(m["children"]) for m in mains) >= 7
    assert all(c["kind"] == "contributing" for m in mains for c in m["children"])
    assert len(tree["hindering"]) == 4
    assert tree["hindering"][0]["title"] == "Drie gezinsvoogden in korte tijd"
    assert all(len(h["children"]) == 1 and h["children"][0]["kind"] == "recommendation" for h in tree["hindering"])
    assert 3 <= len(tree["what_works"]) <= 4
    evidence = [e for node, _ in walk(tree) for e in node["evidence"]]
    assert {"event", "quote", "round", "document", "interview", "factor"} <= {e["kind"] for e in evidence}
    quotes = {e["label"] for e in evidence if e["kind"] == "quote"}
    assert len(quotes) == 3 and all(e["exportable"] for e in evidence)
    assert sum(1 for node, _ in walk(tree) if node["themes"]) >= 6
    merged = [node for node, _ in walk(tree) if node["merged"]]
    assert len(merged) == 1  # the duplicate, merged and undoable


def test_demo_figure_and_print(demo: tuple[TestClient, int]) -> None:
    client, review_id = demo
    figure = client.get(f"/api/v1/reviews/{review_id}/findings-tree/figure").json()
    names = {trace["name"] for trace in figure["data"]}
    assert {"Succesfactor", "Bijdragende factor", "Belemmerende factor", "Aanbeveling", "Wat werkt"} <= names
    assert client.get(f"/api/v1/reviews/{review_id}/findings-tree.pdf").status_code == 200
