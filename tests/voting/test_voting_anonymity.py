"""Anonymity is enforced by the server: in an anonymous round nothing tells who placed which sticker.

The scenario: three participants place stickers on different factors in an anonymous round. Then every
response a member can get (results, state, named results, the member stream's events, the audit log) is
searched for anything tying a participant to a sticker, and each phone may see only its own stickers.
"""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.live.models import LiveEvent
from tests.group_interview.rooms import Room

PERSONAL = {"participant_id", "participant", "pseudonym", "by", "mine", "me", "stickers_by"}


def _walk(value: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """Every (path, key, value) in a JSON document."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((path, key, item))
            found.extend(_walk(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for item in value:
            found.extend(_walk(item, f"{path}[]"))
    return found


def _place_everyone(room: Room, anonymous: bool) -> tuple[int, dict[int, list[int]], list[Any], int]:
    factors = [room.factor(f"Factor {n}") for n in range(3)]
    with Session(room.world.engine) as db:
        first_event = max(db.exec(select(LiveEvent.id)).all() or [0])
        first_audit = max(db.exec(select(AuditEntry.id)).all() or [0])
    round_id = room.round(anonymous=anonymous)
    phones = [room.phone(p) for p in room.participants]
    placed: dict[int, list[int]] = {}
    for n, phone in enumerate(phones):
        for factor in (factors[n], factors[(n + 1) % 3]):
            response = phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor})
            assert response.status_code == 201, response.text
            placed.setdefault(phone.participant_id or 0, []).append(response.json()["id"])
    # Take one back and place it again: moves are as anonymous as placements.
    back = placed[room.participants[0]].pop()
    assert phones[0].delete(room.url(f"/rounds/{round_id}/stickers/{back}")).status_code == 204
    again = phones[0].post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factors[2]}).json()
    placed[room.participants[0]].append(again["id"])
    return round_id, placed, phones, first_event * 1_000_000 + first_audit


def test_anonymous_round_tells_members_nothing_about_who_placed_what(room: Room) -> None:
    round_id, placed, _phones, marks = _place_everyone(room, anonymous=True)
    first_event, first_audit = divmod(marks, 1_000_000)
    assert room.owner.post(room.url(f"/rounds/{round_id}/close")).status_code == 200
    assert room.owner.post(room.url(f"/rounds/{round_id}/reveal")).status_code == 200

    for role in ("owner", "researcher", "reader"):
        named = room.world.api[role].get(room.url(f"/rounds/{round_id}/named-results"))
        assert named.status_code == 403 and "anonymous" in named.json()["detail"]

    documents: dict[str, Any] = {
        "results": room.owner.get(room.url(f"/rounds/{round_id}/results")).json(),
        "rounds": room.owner.get(room.url("/rounds")).json(),
        "state": room.owner.get(room.url("/group-interview/state")).json(),
    }
    with Session(room.world.engine) as db:
        rows = db.exec(
            select(LiveEvent).where(LiveEvent.group_interview_id == room.interview_id, col(LiveEvent.id) > first_event)
        ).all()
        audit = db.exec(select(AuditEntry).where(col(AuditEntry.id) > first_audit)).all()
    shared = [r for r in rows if r.audience in ("all", "members")]
    assert {r.kind for r in shared} >= {"tally", "round"}
    # Joining is public in the room (who is here), and says nothing about stickers.
    joins = [json.loads(r.payload_json) for r in shared if r.kind == "joined"]
    assert joins and all(set(j) == {"participant_id", "joined"} for j in joins)
    documents["stream"] = [json.loads(r.payload_json) for r in shared if r.kind != "joined"]

    all_sticker_ids = {s for ids in placed.values() for s in ids}
    for name, document in documents.items():
        for path, key, value in _walk(document):
            if name == "state" and path in (".participants[]", ".proposals[]"):
                continue  # who joined is shown, but it holds no stickers
            assert key not in PERSONAL, (name, path, key)
            if key == "id" and path.endswith(("results[]", "tallies")):
                assert value not in all_sticker_ids, (name, path)
    assert set(documents["state"]["participants"][0]) == {"id", "pseudonym", "role_category", "joined"}
    # The audit log has no line per sticker and nothing naming a participant for the round.
    for entry in audit:
        assert not (entry.actor.startswith("participant:") and "sticker" in entry.action), entry
        assert "sticker" not in entry.target
    # Only each participant's own events reach participant audiences, with their own stickers only.
    for participant_id, ids in placed.items():
        own = [json.loads(r.payload_json) for r in rows if r.audience == f"participant:{participant_id}"]
        seen = {s["id"] for event in own if "stickers" in event for s in event["stickers"]}
        assert seen & set(ids)  # their own stickers reach them (including the one taken back, for phone 0)
        assert not seen & (all_sticker_ids - set(ids))  # nobody else's


def test_each_phone_sees_only_its_own_stickers(room: Room) -> None:
    round_id, placed, phones, _marks = _place_everyone(room, anonymous=True)
    for phone in phones:
        state = phone.get("/api/v1/participant/state").json()
        mine = {s["id"] for s in state["mine"][str(round_id)]}
        assert mine == set(placed[phone.participant_id or 0])
        assert "participants" not in state and "tallies" in state and str(round_id) not in state["tallies"]
        assert {key for _path, key, _value in _walk(state)} & {"by", "participants", "stickers_by"} == set()
        assert phone.get(room.url(f"/rounds/{round_id}/named-results")).status_code == 401


def test_named_round_shows_who_placed_how_many(room: Room) -> None:
    round_id, _placed, phones, _marks = _place_everyone(room, anonymous=False)
    named = room.owner.get(room.url(f"/rounds/{round_id}/named-results"))
    assert named.status_code == 200, named.text
    by = {row["factor_id"]: row["by"] for row in named.json()}
    totals = {row["factor_id"]: row["stickers"] for row in named.json()}
    assert all(sum(people.values()) == totals[f] for f, people in by.items())
    assert sum(totals.values()) == 6
    assert {name for people in by.values() for name in people} == {"Moeder", "P1", "P2"}
    assert phones[0].get(room.url(f"/rounds/{round_id}/named-results")).status_code == 401


def test_tablet_view_of_an_anonymous_round_does_not_show_phone_stickers(room: Room) -> None:
    round_id, placed, _phones, _marks = _place_everyone(room, anonymous=True)
    person = room.participants[1]
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": person}).status_code == 204
    # The facilitator passing the tablet to someone who voted on their phone learns nothing of their stickers…
    assert room.owner.get(room.url(f"/rounds/{round_id}/tablet")).json() == []
    # …and cannot take them back through the tablet either.
    for sticker_id in placed[person]:
        assert room.owner.delete(room.url(f"/rounds/{round_id}/stickers/{sticker_id}")).status_code == 404
    assert sum(room.results(round_id).values()) == 6


def test_in_an_anonymous_round_the_tablets_answers_do_not_depend_on_a_phones_stickers(room: Room) -> None:
    first, second = room.factor("Eén casemanager"), room.factor("Korte lijnen")
    round_id = room.round(anonymous=True, stickers_per_person=3, max_per_factor=2)
    person = room.participants[0]
    phone = room.phone(person)
    for _ in range(2):  # the phone fills its cap on the first factor
        assert phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": first}).status_code == 201
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": person}).status_code == 204
    answers = [
        room.owner.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor, "participant_id": person})
        for factor in (first, second)
    ]
    # The same refusal on either factor: nothing says where (or how many) the phone's stickers are.
    assert [a.status_code for a in answers] == [409, 409]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["detail"] == "In this anonymous round this person votes on their own phone."
    assert sum(room.results(round_id).values()) == 2
    # Someone without phone stickers in the round votes on the tablet as before.
    other = room.participants[1]
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": other}).status_code == 204
    placed = room.owner.post(
        room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": first, "participant_id": other}
    )
    assert placed.status_code == 201
