"""Sticker rounds: defaults, allowances and caps, taking back and moving, round states, results, idempotency."""

import json

from sqlmodel import Session, col, select

from app.live.models import LiveEvent
from tests.group_interview.rooms import Room, make_room


def _sticker(phone, room: Room, round_id: int, factor_id: int, **extra):
    return phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor_id, **extra})


def test_round_defaults_are_three_stickers_two_per_factor_anonymous(room: Room) -> None:
    created = room.owner.post(room.url("/rounds"), json={"kind": "success"})
    assert created.status_code == 201
    body = created.json()
    assert (body["stickers_per_person"], body["max_per_factor"], body["anonymous"]) == (3, 2, True)
    assert (body["status"], body["revealed"]) == ("draft", False)
    assert room.owner.post(room.url("/rounds"), json={"kind": "success", "stickers_per_person": 0}).status_code == 422
    assert room.world.api["reader"].post(room.url("/rounds"), json={"kind": "success"}).status_code == 403


def test_allowance_and_cap_are_refused_with_a_clear_409(room: Room) -> None:
    a, b, c = room.factor("A"), room.factor("B"), room.factor("C")
    hindering = room.factor("H", kind="hindering")
    round_id = room.round()
    phone = room.phone(room.participants[0])
    assert _sticker(phone, room, round_id, a).status_code == 201
    assert _sticker(phone, room, round_id, a).status_code == 201
    capped = _sticker(phone, room, round_id, a)
    assert capped.status_code == 409 and "At most 2" in capped.json()["detail"]
    assert _sticker(phone, room, round_id, hindering).status_code == 422  # another kind of factor
    assert _sticker(phone, room, round_id, 10**6).status_code == 404
    assert _sticker(phone, room, round_id, b).status_code == 201
    used_up = _sticker(phone, room, round_id, c)
    assert used_up.status_code == 409 and "all 3 of your stickers" in used_up.json()["detail"]
    assert room.results(round_id) == {a: 2, b: 1, c: 0}
    # The refusal in Dutch, for a phone set to Dutch.
    dutch = phone.client.post(
        room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": c}, headers={"accept-language": "nl"}
    )
    assert dutch.status_code == 409 and dutch.json()["detail"] != used_up.json()["detail"]


def test_take_back_and_move_a_sticker_while_the_round_is_open(room: Room) -> None:
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round(stickers_per_person=1)
    phone, other = room.phone(room.participants[0]), room.phone(room.participants[1])
    placed = _sticker(phone, room, round_id, a).json()
    assert _sticker(phone, room, round_id, b).status_code == 409
    theirs = _sticker(other, room, round_id, a).json()
    # Nobody takes back someone else's sticker.
    assert phone.delete(room.url(f"/rounds/{round_id}/stickers/{theirs['id']}")).status_code == 404
    # Move: take back, place elsewhere.
    assert phone.delete(room.url(f"/rounds/{round_id}/stickers/{placed['id']}")).status_code == 204
    assert _sticker(phone, room, round_id, b).status_code == 201
    assert room.results(round_id) == {a: 1, b: 1}
    mine = phone.get("/api/v1/participant/state").json()["mine"][str(round_id)]
    assert [s["factor_id"] for s in mine] == [b]

    assert room.owner.post(room.url(f"/rounds/{round_id}/close")).status_code == 200
    closed = _sticker(other, room, round_id, b)
    assert closed.status_code == 409 and "not open" in closed.json()["detail"]
    assert other.delete(room.url(f"/rounds/{round_id}/stickers/{theirs['id']}")).status_code == 409
    assert room.results(round_id) == {a: 1, b: 1}


def test_round_states(room: Room) -> None:
    a = room.factor("A")
    first = room.round(open_=False)
    phone = room.phone(room.participants[0])
    assert _sticker(phone, room, first, a).status_code == 409  # draft: not open
    assert room.owner.post(room.url(f"/rounds/{first}/reveal")).status_code == 409
    assert room.owner.post(room.url(f"/rounds/{first}/close")).status_code == 409
    assert room.owner.post(room.url(f"/rounds/{first}/open")).status_code == 200
    second = room.round(open_=False)
    assert room.owner.post(room.url(f"/rounds/{second}/open")).status_code == 409  # one open round at a time
    assert room.owner.post(room.url(f"/rounds/{first}/open")).status_code == 409
    assert room.owner.post(room.url(f"/rounds/{first}/close")).status_code == 200
    assert room.owner.post(room.url(f"/rounds/{second}/open")).status_code == 200
    assert _sticker(phone, room, first, a).status_code == 409
    assert _sticker(phone, room, second, a).status_code == 201


def test_results_for_members_any_time_for_phones_after_the_reveal(room: Room) -> None:
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round()
    phone = room.phone(room.participants[0])
    _sticker(phone, room, round_id, b)
    results_url = room.url(f"/rounds/{round_id}/results")
    assert room.world.api["reader"].get(results_url).json() == [
        {"factor_id": b, "stickers": 1},
        {"factor_id": a, "stickers": 0},
    ]
    hidden = phone.get(results_url)
    assert hidden.status_code == 403 and "reveal" in hidden.json()["detail"]
    assert str(round_id) not in phone.get("/api/v1/participant/state").json()["tallies"]
    assert room.world.api["outsider"].get(results_url).status_code == 404

    assert room.owner.post(room.url(f"/rounds/{round_id}/reveal")).status_code == 200
    assert phone.get(results_url).json() == [{"factor_id": b, "stickers": 1}, {"factor_id": a, "stickers": 0}]
    assert phone.get("/api/v1/participant/state").json()["tallies"][str(round_id)][0] == {"factor_id": b, "stickers": 1}


def test_same_client_key_twice_is_one_sticker(room: Room) -> None:
    a = room.factor("A")
    round_id = room.round()
    phone = room.phone(room.participants[0])
    first = _sticker(phone, room, round_id, a, client_key="tap-0001-abcdef")
    again = _sticker(phone, room, round_id, a, client_key="tap-0001-abcdef")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert room.results(round_id) == {a: 1}
    # The same key from another participant is their own sticker.
    other = room.phone(room.participants[1])
    assert _sticker(other, room, round_id, a, client_key="tap-0001-abcdef").status_code == 201
    assert room.results(round_id) == {a: 2}
    assert _sticker(phone, room, round_id, a, client_key="bad key!").status_code == 422


def test_a_round_or_factor_of_another_room_is_not_found(room: Room) -> None:
    """The sticker route checks its own way (one transaction): rounds and factors never cross reviews."""
    a = room.factor("A")
    round_id = room.round()
    elsewhere = make_room(room.world, 2)
    try:
        their_factor, their_round = elsewhere.factor("Theirs"), elsewhere.round()
        phone = room.phone(room.participants[0])
        # Their round under our review, our round with their factor, their review altogether.
        assert _sticker(phone, room, their_round, a).status_code == 404
        assert _sticker(phone, room, round_id, their_factor).status_code == 404
        theirs = phone.post(elsewhere.url(f"/rounds/{their_round}/stickers"), json={"factor_id": their_factor})
        assert theirs.status_code == 404
        # The same for a researcher at the tablet.
        passed = room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": room.participants[1]})
        assert passed.status_code == 204
        tablet = room.owner.post(
            room.url(f"/rounds/{their_round}/stickers"), json={"factor_id": a, "participant_id": room.participants[1]}
        )
        assert tablet.status_code == 404
        assert room.results(round_id) == {a: 0} and elsewhere.results(their_round) == {their_factor: 0}
    finally:
        elsewhere.close()


def test_a_retry_after_the_round_closed_gets_the_sticker_it_placed(room: Room) -> None:
    """A phone whose answer was lost retries with the same key: it learns its sticker, even after closing."""
    a = room.factor("A")
    round_id = room.round()
    phone = room.phone(room.participants[0])
    first = _sticker(phone, room, round_id, a, client_key="tap-0002-abcdef")
    assert room.owner.post(room.url(f"/rounds/{round_id}/close")).status_code == 200
    again = _sticker(phone, room, round_id, a, client_key="tap-0002-abcdef")
    assert (first.status_code, again.status_code) == (201, 200) and again.json() == first.json()
    assert _sticker(phone, room, round_id, a, client_key="tap-0003-abcdef").status_code == 409


def test_the_live_events_of_a_sticker_match_the_database(room: Room) -> None:
    """The tally and the phone's own stickers sent live are what the results and the phone's state say."""
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round(stickers_per_person=3)
    phone, other = room.phone(room.participants[0]), room.phone(room.participants[1])
    for device, factor in ((phone, a), (other, b), (phone, b), (phone, a)):
        assert _sticker(device, room, round_id, factor).status_code == 201
    with Session(room.world.engine) as db:
        events = db.exec(
            select(LiveEvent).where(LiveEvent.group_interview_id == room.interview_id).order_by(col(LiveEvent.id))
        ).all()
    tally = [json.loads(e.payload_json) for e in events if e.kind == "tally"][-1]
    assert tally["round_id"] == round_id
    assert {row["factor_id"]: row["stickers"] for row in tally["results"]} == room.results(round_id) == {a: 2, b: 2}
    assert [row["stickers"] for row in tally["results"]] == [2, 2]
    mine = [json.loads(e.payload_json) for e in events if e.audience == f"participant:{room.participants[0]}"][-1]
    state = phone.get("/api/v1/participant/state").json()["mine"][str(round_id)]
    assert mine["stickers"] == state and [s["factor_id"] for s in state] == [a, b, a]
