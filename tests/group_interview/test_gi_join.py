"""Joining by code: cookie, wrong and closed codes, rate limits per client and globally, a full room."""

from app.deps import participant_cookie_name
from tests.group_interview.rooms import Phone, Room, add_participants, make_room, new_address, reset_join_limits
from tests.world import World


def test_join_sets_a_random_cookie_and_answers_a_csrf_token(room: Room) -> None:
    phone = room.phone()
    names = phone.post("/api/v1/join/check", json={"code": room.code.lower()}).json()["participants"]
    assert {p["id"] for p in names} == set(room.participants)
    assert set(names[0]) == {"id", "pseudonym"}

    joined = phone.join(room.code.replace("-", " "), room.participants[0])  # typed loosely: still the code
    assert joined.status_code == 200, joined.text
    body = joined.json()
    assert body["participant_id"] == room.participants[0] and body["csrf_token"]
    cookie_name = participant_cookie_name(room.world.app.state.settings)
    set_cookie = joined.headers["set-cookie"]
    assert set_cookie.startswith(f"{cookie_name}=") and "httponly" in set_cookie.lower()
    token = phone.client.cookies[cookie_name]
    assert len(token) >= 22  # ≥128 bits, url-safe base64

    # The name is taken now: it is no longer offered, and joining as it again is refused.
    left = {p["id"] for p in room.phone().post("/api/v1/join/check", json={"code": room.code}).json()["participants"]}
    assert left == set(room.participants[1:])
    assert room.phone().join(room.code, room.participants[0]).status_code == 409


def test_writes_from_a_phone_need_its_csrf_token(room: Room) -> None:
    phone = room.phone(room.participants[0])
    token = phone.client.headers.pop("x-csrf-token")
    factor = {"kind": "success", "title": "Vaste contactpersoon"}
    assert phone.post(room.url("/factors"), json=factor).status_code == 403
    phone.client.headers["x-csrf-token"] = token
    assert phone.post(room.url("/factors"), json=factor).status_code == 201


def test_wrong_and_closed_codes_answer_404(room: Room) -> None:
    phone = room.phone()
    assert phone.join("ZZZZ-ZZZZ", room.participants[0]).status_code == 404
    # A participant who is not in this group interview, with the right code.
    other = make_room(room.world, 1)
    assert phone.join(room.code, other.participants[0]).status_code == 404
    room.owner.post(room.url("/group-interview/close"))
    closed = phone.join(room.code, room.participants[0])
    assert closed.status_code == 404 and "not valid" in closed.json()["detail"]
    other.close()


def test_too_many_wrong_codes_from_one_client_answer_429_and_others_still_join(room: Room) -> None:
    reset_join_limits(room.world.app, per_client=5, global_=1000)
    attacker = room.phone()
    statuses = [attacker.join(f"WRNG-{n:04d}", room.participants[0]).status_code for n in range(5)]
    assert statuses == [404] * 5
    refused = attacker.join("WRNG-9999", room.participants[0])
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1 and "Too many" in refused.json()["detail"]
    # Even the right code is refused from that client for now: brute force gains nothing.
    assert attacker.join(room.code, room.participants[0]).status_code == 429
    assert attacker.post("/api/v1/join/check", json={"code": room.code}).status_code == 429
    # Another address is not affected.
    assert room.phone().join(room.code, room.participants[0]).status_code == 200


def test_wrong_codes_are_limited_across_all_group_interviews_but_a_right_code_gets_in(room: Room) -> None:
    reset_join_limits(room.world.app, per_client=1000, global_=6)
    other = make_room(room.world, 1)
    # Six different addresses, one wrong try each, spread over both rooms' participants.
    for n in range(6):
        target = room if n % 2 else other
        assert Phone(room.world.app).join(f"BAD{n}-CODE", target.participants[0]).status_code == 404
    # Over the global limit an address that already guessed wrong waits, whatever it types now ...
    guessed = Phone(room.world.app)
    assert guessed.join("ANOT-HER0", room.participants[0]).status_code == 404
    assert guessed.join(room.code, room.participants[0]).status_code == 429
    # ... while one that tries for the first time is checked: one guess each, and the right code gets in
    # (issue 11, item 16: one attacker could shut joining for every group interview).
    assert Phone(room.world.app).join("ANOT-HER1", room.participants[0]).status_code == 404
    assert room.phone().join(room.code, room.participants[0]).status_code == 200
    assert Phone(room.world.app).join(other.code, other.participants[0]).status_code == 200
    other.close()


def test_forty_phones_behind_one_address_all_join(world: World) -> None:
    reset_join_limits(world.app)  # the default limits: 10 failures per client, 200 overall
    room = make_room(world, 1)
    people = [room.participants[0], *add_participants(world, room.review_id, 39)]
    address = new_address()
    statuses = [room.phone(address=address).join(room.code, pid).status_code for pid in people]
    assert statuses == [200] * 40
    joined = [p for p in room.owner.get(room.url("/group-interview/state")).json()["participants"] if p["joined"]]
    assert len(joined) == 40
    room.close()
