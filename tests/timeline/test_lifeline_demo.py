"""The demo case's life-line (gezin Bakker), including the supervision order's date corrected in the room."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.demo import DEMO_PASSWORD, load_demo
from lifeline.demo_case import EVENTS, SUPERVISION_ORDER
from tests.timeline.events import events_url


def _demo_owner(app: FastAPI, db: Session) -> tuple[TestClient, int]:
    review = load_demo(session=db)
    db.commit()
    client = TestClient(app, base_url="http://testserver")
    token = client.post("/api/v1/auth/token", data={"username": "onderzoeker.a@example.org", "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["authorization"] = f"Bearer {token.json()['access_token']}"
    return client, review.id or 0


def test_the_demo_has_every_event_of_the_case(app: FastAPI, db: Session) -> None:
    client, review_id = _demo_owner(app, db)
    with client:
        events = client.get(events_url(review_id)).json()
    assert sorted(e["title"] for e in events) == sorted(title for _w, _u, _l, title, _s in EVENTS)
    assert {e["lane"] for e in events} == {"family", "care", "safety", "school"}
    by_title = {e["title"]: e for e in events}
    assert by_title["Ouders leren elkaar kennen"]["approximate"] is True
    assert by_title["Psycholoog voor Noor"]["is_period"] is True
    assert by_title["Moeder voor het eerst opgenomen (psychose)"]["precision"] == "season"
    assert [e["earliest"] for e in events] == sorted(e["earliest"] for e in events)


def test_the_supervision_order_was_corrected_in_the_group_interview(app: FastAPI, db: Session) -> None:
    client, review_id = _demo_owner(app, db)
    with client:
        event = next(e for e in client.get(events_url(review_id)).json() if e["title"] == SUPERVISION_ORDER)
        history = client.get(events_url(review_id, event["id"], "history")).json()
    assert (event["when"], event["version"], event["status"]) == ("okt. 2021", 2, "confirmed")
    assert [(h["version"], h["when"]) for h in history] == [(1, "sept. 2021"), (2, "okt. 2021")]
    assert history[0]["changed_by_label"] == "Onderzoeker B"
    assert history[1]["changed_by"] is None and history[1]["changed_by_label"] == "Groepsinterview"
    assert "oktober 2021" in history[1]["reason"]
    assert [s["kind"] for s in history[0]["sources"]] == ["text"]
    assert [s["kind"] for s in history[1]["sources"]] == ["text", "group_interview"]
