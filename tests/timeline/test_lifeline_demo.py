"""The demo case's life-line (gezin Bakker), including the supervision order's date corrected in the room."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.demo import DEMO_PASSWORD, load_demo
from lifeline.demo_case import EVENTS, PEOPLE, SAID, SUPERVISION_ORDER
from tests.timeline.events import events_url
from tests.world import bearer_client


def _demo_owner(app: FastAPI, db: Session) -> tuple[TestClient, int]:
    review = load_demo(session=db)
    db.commit()
    return bearer_client(app, "onderzoeker.a@example.org", DEMO_PASSWORD, headers={}), review.id or 0


def test_the_demo_has_every_event_of_the_case(app: FastAPI, db: Session) -> None:
    client, review_id = _demo_owner(app, db)
    with client:
        events = client.get(events_url(review_id)).json()
    titles = [title for _w, _u, _l, title, _s in EVENTS] + [title for _w, _l, title, _s, _p in SAID]
    assert sorted(e["title"] for e in events) == sorted(titles)
    assert {e["lane"] for e in events} == {"family", "care", "safety", "school"}
    by_title = {e["title"]: e for e in events}
    assert by_title["Ouders leren elkaar kennen"]["approximate"] is True
    assert by_title["Psycholoog voor Noor"]["is_period"] is True
    assert by_title["Moeder voor het eerst opgenomen (psychose)"]["precision"] == "season"
    dated = [e["earliest"] for e in events if not e["undated"]]
    assert dated == sorted(dated) and events[-1]["undated"] is True  # undated ones last (on the shelf)


def test_the_demo_has_its_children_and_dates_as_they_were_said(app: FastAPI, db: Session) -> None:
    client, review_id = _demo_owner(app, db)
    with client:
        people = client.get(f"/api/v1/reviews/{review_id}/lifeline/people").json()
        events = {e["title"]: e for e in client.get(events_url(review_id)).json()}
        supervision = events[SUPERVISION_ORDER]
        talk = events["Gezinsvoogd spreekt Noor voor het eerst alleen"]
        history = client.get(events_url(review_id, talk["id"], "history")).json()
    assert [(p["name"], p["born"]) for p in people] == list(PEOPLE)
    sem = next(p["id"] for p in people if p["name"] == "Sem")
    stay = events["Sem logeert vaak bij tante Ilse als het thuis onrustig is"]
    assert stay["anchor"]["kind"] == "person" and stay["anchor"]["id"] == sem
    assert (stay["earliest"], stay["latest"], stay["date_text"]) == ("2018-01-01", "2019-12-31", "2018–2019")
    assert events["Moeder en Noor zien elkaar elke week"]["latest"] is None  # open-ended
    assert events["Vader krijgt werk in een andere stad"]["undated"] is True
    # dated from the supervision order, and moved when the room corrected it (sept. → okt. 2021)
    assert talk["anchor"] == {"kind": "event", "id": supervision["id"], "name": SUPERVISION_ORDER}
    assert talk["earliest"] == "2021-10-01" and [h["change"] for h in history] == ["create", "moved"]
    assert history[0]["earliest"] == "2021-09-01"


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
