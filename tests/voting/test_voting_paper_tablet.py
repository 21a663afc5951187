"""Paper stickers typed in by the facilitator, and pass-the-tablet: they count exactly like phone stickers."""

from sqlmodel import Session, select

from app.voting.models import Sticker
from tests.group_interview.rooms import Room
from tests.world import snapshot


def _paper(room: Room, round_id: int, *cells: dict):
    return room.owner.post(room.url(f"/rounds/{round_id}/paper"), json={"counts": list(cells)})


def test_paper_stickers_count_like_phone_stickers(room: Room) -> None:
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round()
    phone = room.phone(room.participants[0])
    assert phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": a}).status_code == 201

    stored = _paper(
        room,
        round_id,
        {"factor_id": a, "participant_id": room.participants[1], "stickers": 2},
        {"factor_id": b, "participant_id": room.participants[1], "stickers": 1},
        {"factor_id": b, "stickers": 4},  # unnamed, per factor
    )
    assert stored.status_code == 204, stored.text
    assert room.results(round_id) == {a: 3, b: 5}
    # A count replaces the earlier count of that cell; it is not added to it.
    assert _paper(room, round_id, {"factor_id": b, "stickers": 1}).status_code == 204
    assert room.results(round_id) == {a: 3, b: 2}
    assert room.world.api["reader"].post(room.url(f"/rounds/{round_id}/paper"), json={"counts": []}).status_code in (
        403,
        422,
    )


def test_paper_stickers_respect_the_allowance_and_the_cap_together_with_phone_stickers(room: Room) -> None:
    a, b, c = room.factor("A"), room.factor("B"), room.factor("C")
    round_id = room.round()
    person = room.participants[0]
    phone = room.phone(person)
    for factor in (a, a):
        assert phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor}).status_code == 201
    before = snapshot(room.world.engine)

    over_cap = _paper(room, round_id, {"factor_id": a, "participant_id": person, "stickers": 1})
    assert over_cap.status_code == 422 and "At most 2" in over_cap.json()["detail"]
    over_cap_paper_only = _paper(
        room, round_id, {"factor_id": c, "participant_id": room.participants[1], "stickers": 3}
    )
    assert over_cap_paper_only.status_code == 422
    over_allowance = _paper(
        room,
        round_id,
        {"factor_id": b, "participant_id": person, "stickers": 1},
        {"factor_id": c, "participant_id": person, "stickers": 1},
    )
    assert over_allowance.status_code == 422 and "more than 3" in over_allowance.json()["detail"]
    assert snapshot(room.world.engine) == before  # refused input leaves stored data untouched

    assert _paper(room, round_id, {"factor_id": b, "participant_id": person, "stickers": 1}).status_code == 204
    # The phone now has its allowance used up, paper included, and sees the paper sticker as its own.
    refused = phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": c})
    assert refused.status_code == 409
    assert sorted(s["factor_id"] for s in phone.get("/api/v1/participant/state").json()["mine"][str(round_id)]) == [
        a,
        a,
        b,
    ]
    # Merged factors and factors of the other kind take no paper stickers.
    other_kind = room.factor("H", kind="hindering")
    assert _paper(room, round_id, {"factor_id": other_kind, "stickers": 1}).status_code == 422
    room.owner.post(room.url("/factors/merge"), json={"into_id": a, "factor_ids": [c]})
    assert _paper(room, round_id, {"factor_id": c, "stickers": 1}).status_code == 422


def test_paper_needs_an_opened_round(room: Room) -> None:
    a = room.factor("A")
    round_id = room.round(open_=False)
    assert _paper(room, round_id, {"factor_id": a, "stickers": 1}).status_code == 409
    room.owner.post(room.url(f"/rounds/{round_id}/open"))
    room.owner.post(room.url(f"/rounds/{round_id}/close"))
    assert _paper(room, round_id, {"factor_id": a, "stickers": 2}).status_code == 204  # counted after the round
    assert room.results(round_id) == {a: 2}


def test_pass_the_tablet_places_for_the_holder_only(room: Room) -> None:
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round()
    stickers = room.url(f"/rounds/{round_id}/stickers")
    first, second = room.participants[:2]

    nobody = room.owner.post(stickers, json={"factor_id": a, "participant_id": first})
    assert nobody.status_code == 422 and "Pass the tablet" in nobody.json()["detail"]
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": 10**6}).status_code == 422
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": first}).status_code == 204
    assert room.owner.post(stickers, json={"factor_id": a, "participant_id": second}).status_code == 422
    placed = [room.owner.post(stickers, json={"factor_id": f, "participant_id": first}) for f in (a, a, b, b)]
    assert [p.status_code for p in placed] == [201, 201, 201, 409]  # the holder's own allowance of 3
    assert [s["factor_id"] for s in room.owner.get(room.url(f"/rounds/{round_id}/tablet")).json()] == [a, a, b]
    # Take one back through the tablet, then pass it on: the next person starts with their own allowance.
    assert room.owner.delete(f"{stickers}/{placed[0].json()['id']}").status_code == 204
    assert room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": second}).status_code == 204
    assert room.owner.get(room.url(f"/rounds/{round_id}/tablet")).json() == []
    assert room.owner.post(stickers, json={"factor_id": b, "participant_id": first}).status_code == 422
    assert room.owner.delete(f"{stickers}/{placed[1].json()['id']}").status_code == 404  # not the holder's
    assert room.owner.post(stickers, json={"factor_id": b, "participant_id": second}).status_code == 201
    assert room.results(round_id) == {a: 1, b: 2}
    assert room.world.api["reader"].post(stickers, json={"factor_id": b, "participant_id": second}).status_code == 403
    with Session(room.world.engine) as db:
        sources = {s.source for s in db.exec(select(Sticker).where(Sticker.round_id == round_id))}
    assert sources == {"tablet"}
