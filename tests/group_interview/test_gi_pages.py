"""The group interview's pages: the QR link, joining without JavaScript, the phone page, the members' pages, the
figure with the room's pins, and the demo's closed group interview."""

import json
import re
from pathlib import Path

from fastapi import FastAPI
from sqlmodel import Session

from app.demo import DEMO_PASSWORD, load_demo
from app.group_interview.demo import HINDERING, SUCCESS
from app.live.models import EventKind
from tests.group_interview.rooms import Room
from tests.world import bearer_client, csrf_of


def test_the_qr_link_moves_the_code_into_a_short_cookie_and_out_of_the_address(room: Room) -> None:
    phone = room.phone()
    response = phone.get(f"/j/{room.code.replace('-', '')}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/join"
    cookie = response.headers["set-cookie"]
    assert "leerreview-join=" in cookie and "HttpOnly" in cookie and "Max-Age=600" in cookie
    page = phone.get("/join")
    assert page.status_code == 200
    assert f'value="{room.code}"' in page.text  # filled in, shown as ABCD-EFGH


def test_joining_works_without_javascript(room: Room) -> None:
    phone = room.phone()
    csrf = csrf_of(phone.get("/join").text)
    names = phone.post("/join", data={"csrf_token": csrf, "code": room.code.lower()}, follow_redirects=False)
    assert names.status_code == 200
    assert 'name="participant_id"' in names.text and "Moeder" in names.text
    joined = phone.post(
        "/join",
        data={"csrf_token": csrf, "code": room.code, "participant_id": str(room.participants[0])},
        follow_redirects=False,
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/p"
    page = phone.get("/p")
    assert page.status_code == 200
    assert "Moeder" in page.text and 'id="gi-phone"' in page.text
    assert room.code not in page.text  # the phone never sees the code again


def test_a_wrong_code_in_the_form_is_answered_on_the_page(room: Room) -> None:
    phone = room.phone()
    csrf = csrf_of(phone.get("/join").text)
    answer = phone.post("/join", data={"csrf_token": csrf, "code": "ZZZZ-ZZZZ"}, follow_redirects=False)
    assert answer.status_code == 404
    assert "not valid" in answer.text


def test_the_phone_page_sends_strangers_to_join_and_released_phones_to_an_ended_page(room: Room) -> None:
    assert room.phone().get("/p", follow_redirects=False).headers["location"] == "/join"
    phone = room.phone(room.participants[0])
    assert phone.get("/p").status_code == 200
    released = room.owner.post(room.url(f"/group-interview/participants/{room.participants[0]}/release"))
    assert released.status_code == 204
    ended = phone.get("/p", follow_redirects=False)
    assert ended.status_code == 200 and "released" in ended.text


def test_members_open_the_console_screen_and_tablet(room: Room) -> None:
    owner, reader = room.world.pages["owner"], room.world.pages["reader"]
    base = f"/reviews/{room.review_id}/group-interview"
    for path in (base, f"{base}/screen", f"{base}/tablet"):
        page = owner.get(path)
        assert page.status_code == 200, path
        assert 'name="csrf-token"' in page.text
    assert reader.get(base).status_code == 200
    assert reader.get(f"{base}/tablet").status_code == 403
    assert room.world.pages["anonymous"].get(base).status_code == 303


def test_every_live_page_gets_the_event_kinds_from_the_server(room: Room) -> None:
    # The screens' script listens for exactly these names; they are not copied into the JavaScript.
    kinds = [kind.value for kind in EventKind]
    assert {"factor", "tally", "mine", "state", "ended"} <= set(kinds)
    base = f"/reviews/{room.review_id}/group-interview"
    owner = room.world.pages["owner"]
    phone = room.phone(room.participants[0])
    for client, path in ((owner, base), (owner, f"{base}/screen"), (owner, f"{base}/tablet"), (phone, "/p")):
        page = client.get(path)
        found = re.search(r'<script type="application/json" id="gi-live-kinds">(.*?)</script>', page.text)
        assert found, path
        assert json.loads(found.group(1)) == kinds, path
    script = (Path(__file__).resolve().parents[2] / "static/js/gi-live.js").read_text()
    assert 'readJson("gi-live-kinds")' in script and '"factor_removed", "round"' not in script


def test_the_console_offers_a_new_group_interview_only_after_a_closed_one(room: Room) -> None:
    owner = room.world.pages["owner"]
    base = f"/reviews/{room.review_id}/group-interview"
    assert 'id="gi-gate"' not in owner.get(base).text
    assert room.owner.post(room.url("/group-interview/close")).status_code == 200
    assert 'id="gi-gate"' in owner.get(base).text
    assert owner.post(base).status_code == 303
    state = room.owner.get(room.url("/group-interview")).json()
    assert state["status"] == "draft" and state["id"] != room.interview_id


def test_the_figure_pins_factors_to_events_and_moments(room: Room) -> None:
    event = room.owner.post(room.url("/lifeline/events"), json={"title": "Startgesprek", "when": "jan. 2022"})
    assert event.status_code == 201, event.text
    room.factor("Korte lijnen met school", event_id=event.json()["id"])
    room.factor("Iemand die luisterde", kind="hindering", moment_text="voorjaar 2019")
    room.factor("Na het startgesprek", moment_text="na het startgesprek")  # not a date: no pin, no error
    response = room.owner.get(room.url("/group-interview/figure?height=600"))
    assert response.status_code == 200
    figure = response.json()
    text = json.dumps(figure, ensure_ascii=False)
    assert "Korte lijnen met school" in text and "Iemand die luisterde" in text
    assert "Na het startgesprek" not in text
    assert figure["layout"]["height"] == 600


def test_the_figure_is_laid_out_for_the_width_of_the_screen(room: Room) -> None:
    """Labels are packed for the width the shared screen draws at: a narrow screen gets fewer labels per row."""
    for index in range(12):
        room.owner.post(
            room.url("/lifeline/events"),
            json={"title": f"Gebeurtenis met een lange naam {index}", "when": f"{2010 + index}"},
        )
    narrow = room.owner.get(room.url("/group-interview/figure?height=600&width=700")).json()
    wide = room.owner.get(room.url("/group-interview/figure?height=600&width=2400")).json()
    assert narrow["layout"]["width"] == 700 and wide["layout"]["width"] == 2400
    assert narrow["layout"]["height"] == wide["layout"]["height"] == 600
    rows = lambda figure: {y for trace in figure["data"] for y in (trace.get("y") or []) if isinstance(y, (int, float))}  # noqa: E731
    assert len(rows(narrow)) > len(rows(wide))


def test_the_demo_has_a_closed_group_interview_with_the_expected_outcome(app: FastAPI, db: Session) -> None:
    review = load_demo(session=db)
    db.commit()
    client = bearer_client(app, "onderzoeker.a@example.org", DEMO_PASSWORD)
    with client:
        base = f"/api/v1/reviews/{review.id}"
        assert client.get(f"{base}/group-interview").json()["status"] == "closed"
        factors = client.get(f"{base}/factors").json()
        titles = {f["id"]: f["title"] for f in factors}
        assert all(f["event_id"] for f in factors), "every demo factor is pinned to a life-line event"
        rounds = client.get(f"{base}/rounds").json()
        assert [(r["kind"], r["revealed"], r["status"]) for r in rounds] == [
            ("success", True, "closed"),
            ("hindering", True, "closed"),
        ]
        success = client.get(f"{base}/rounds/{rounds[0]['id']}/results").json()
        hindering = client.get(f"{base}/rounds/{rounds[1]['id']}/results").json()
    assert [titles[r["factor_id"]] for r in success[:2]] == [SUCCESS[3][0], SUCCESS[1][0]]
    assert titles[hindering[0]["factor_id"]] == HINDERING[0][0]
    assert sum(r["stickers"] for r in success) == sum(r["stickers"] for r in hindering) == 24


def test_a_participant_id_that_int_cannot_read_in_the_join_form_is_no_server_error(room: Room) -> None:
    phone = room.phone()
    csrf = csrf_of(phone.get("/join").text)
    for chosen in ("²", "9" * 5000):  # "²" passes str.isdigit but not int()
        data = {"csrf_token": csrf, "code": room.code, "participant_id": chosen}
        answer = phone.post("/join", data=data, follow_redirects=False)
        assert answer.status_code == 200 and 'name="participant_id"' in answer.text  # the names again, no join
