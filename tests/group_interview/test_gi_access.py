"""What a participant's cookie opens: only its own group interview's participant view, only while valid."""

from tests.group_interview.rooms import Room, make_room

MEMBER_ONLY = (
    ("GET", ""),
    ("GET", "/group-interview"),
    ("GET", "/group-interview/state"),
    ("GET", "/group-interview/stream"),
    ("GET", "/participants"),
    ("GET", "/lifeline/events"),
    ("GET", "/steps"),
    ("POST", "/group-interview/close"),
    ("POST", "/group-interview/step"),
)


def _participant_view_works(phone, room: Room) -> None:
    assert phone.get("/api/v1/participant/state").status_code == 200
    assert phone.get(room.url("/factors")).status_code == 200
    assert phone.get(room.url("/rounds")).status_code == 200


def test_participant_cookie_opens_nothing_but_its_own_participant_view(room: Room) -> None:
    phone = room.phone(room.participants[0])
    _participant_view_works(phone, room)
    for method, tail in MEMBER_ONLY:
        response = phone.client.request(method, room.url(tail), json={"step": 2})
        assert response.status_code == 401, (method, tail, response.status_code)
    for url in ("/api/v1/reviews", "/api/v1/auth/me"):
        assert phone.get(url).status_code in (401, 404), url

    other = make_room(room.world, 1)
    other_id = other.factor("Ander gezin")
    for method, tail, body in (
        ("GET", "/factors", None),
        ("GET", "/rounds", None),
        ("POST", "/factors", {"kind": "success", "title": "x"}),
        ("POST", "/group-interview/proposals", {"text": "x"}),
        ("GET", f"/rounds/{other.round()}/results", None),
    ):
        response = phone.client.request(method, other.url(tail), json=body)
        assert response.status_code in (401, 403, 404), (tail, response.status_code)
    assert [f["id"] for f in other.owner.get(other.url("/factors")).json()] == [other_id]
    other.close()


def test_cookie_stops_working_when_the_group_interview_closes(room: Room) -> None:
    phone = room.phone(room.participants[0])
    _participant_view_works(phone, room)
    room.owner.post(room.url("/group-interview/close"))
    for url in ("/api/v1/participant/state", "/api/v1/participant/stream", room.url("/factors")):
        assert phone.get(url).status_code == 401, url
    assert phone.post(room.url("/factors"), json={"kind": "success", "title": "te laat"}).status_code == 401


def test_release_revokes_the_old_device_and_only_then_allows_a_new_one(room: Room) -> None:
    person = room.participants[1]
    old = room.phone(person)
    new = room.phone()
    assert new.join(room.code, person).status_code == 409  # not before the release
    released = room.owner.post(room.url(f"/group-interview/participants/{person}/release"))
    assert released.status_code == 204
    assert old.get("/api/v1/participant/state").status_code == 401
    assert old.get(room.url("/factors")).status_code == 401
    assert new.join(room.code, person).status_code == 200
    assert new.get("/api/v1/participant/state").json()["me"]["id"] == person
    # Releasing someone who has not joined is a clear 404.
    assert room.owner.post(room.url(f"/group-interview/participants/{room.participants[2]}/release")).status_code == 404
