"""Running the group interview: the consent gate, create/open/close, steps, joining on and off."""

from tests.group_interview.rooms import Room, add_participants, make_room, reset_join_limits
from tests.world import World


def test_gate_refuses_create_and_open_while_consent_is_missing_and_names_who(world: World) -> None:
    reset_join_limits(world.app)
    ids = world.new_review("Gate")
    owner = world.api["owner"]
    (missing,) = add_participants(world, ids.review_id, 1, consent=False, prefix="Opa ")
    url = f"/api/v1/reviews/{ids.review_id}/group-interview"

    refused = owner.post(url)
    assert refused.status_code == 409
    assert "Opa 1" in refused.json()["detail"]
    assert "Moeder" not in refused.json()["detail"]  # she consented
    assert [m["participant_id"] for m in refused.json()["conflict"]["missing"]] == [missing]
    assert owner.get(url).status_code == 404  # nothing was created

    consent = owner.post(
        f"/api/v1/reviews/{ids.review_id}/participants/{missing}/consents",
        json={"scope": "group_interview", "given_on": "2024-02-01", "method": "written"},
    )
    assert consent.status_code == 201, consent.text
    created = owner.post(url)
    assert created.status_code == 201, created.text
    assert set(created.json()) >= {"id", "status", "join_code"}

    # A consent withdrawn after creating: opening is refused again, naming who.
    withdrawn = owner.post(
        f"/api/v1/reviews/{ids.review_id}/participants/{missing}/consents/{consent.json()['id']}/withdraw",
        json={"withdrawn_on": "2024-02-02"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    refused_open = owner.post(f"{url}/open")
    assert refused_open.status_code == 409
    assert "Opa 1" in refused_open.json()["detail"]
    assert owner.get(url).json()["status"] == "draft"


def test_create_open_close_and_the_code(world: World) -> None:
    reset_join_limits(world.app)
    room = make_room(world, 2, open_=False)
    owner = room.owner
    base = room.url("/group-interview")
    body = owner.get(base).json()
    assert body["status"] == "draft"
    assert len(room.code.replace("-", "")) >= 6
    assert set(room.code.replace("-", "")) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    assert owner.post(base).status_code == 409  # one group interview that is not closed
    assert room.phone().join(room.code, room.participants[0]).status_code == 404  # not open yet
    assert owner.post(f"{base}/close").status_code == 409  # only an open one closes

    opened = owner.post(f"{base}/open")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    assert owner.post(f"{base}/open").status_code == 409
    # Readers see the group interview but cannot run it, outsiders do not see it.
    assert world.api["reader"].get(base).status_code == 200
    assert world.api["reader"].post(f"{base}/close").status_code == 403
    assert world.api["outsider"].get(base).status_code == 404
    assert world.api["anonymous"].get(base).status_code == 401

    closed = owner.post(f"{base}/close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["join_code"] is None
    steps = {s["key"]: s["status"] for s in owner.get(room.url("/steps")).json()}
    assert steps.get("group_interview_held") == "done"
    room.close()


def test_steps_move_the_room_and_are_validated(room: Room) -> None:
    base = room.url("/group-interview")
    for step in (1, 2, 3, 4, 5, 2):
        moved = room.owner.post(f"{base}/step", json={"step": step})
        assert moved.status_code == 200 and moved.json()["step"] == step
    for bad in (0, 6, "twee"):
        assert room.owner.post(f"{base}/step", json={"step": bad}).status_code == 422
    assert room.owner.get(base).json()["step"] == 2
    state = room.owner.get(f"{base}/state").json()
    assert state["interview"]["step"] == 2
    assert {p["id"] for p in state["participants"]} == set(room.participants)


def test_joining_can_be_closed_and_the_code_replaced(room: Room) -> None:
    base = room.url("/group-interview")
    off = room.owner.post(f"{base}/joining", json={"joining_open": False})
    assert off.status_code == 200 and off.json()["join_code"] is None
    assert room.phone().join(room.code, room.participants[0]).status_code == 404
    on = room.owner.post(f"{base}/joining", json={"joining_open": True})
    assert on.json()["join_code"] == room.code

    rotated = room.owner.post(f"{base}/code").json()["join_code"]
    assert rotated != room.code
    assert room.phone().join(room.code, room.participants[0]).status_code == 404
    assert room.phone().join(rotated, room.participants[0]).status_code == 200
