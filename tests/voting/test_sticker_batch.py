"""Group commit of stickers (``app.db.batch``): stickers that arrive together are one transaction with one tally,
a refusal in a batch fails only its own request (in its own language), and nothing else of the batch is lost."""

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import db_gates
from app.db.batch import writer
from app.live.models import LiveEvent
from tests.group_interview.rooms import Phone, Room, add_participants, make_room
from tests.world import BASE_URL, run_async


@contextmanager
def counting(engine: Engine) -> Iterator[dict[str, int]]:
    """Count commits and tally queries (the grouped count of a round's stickers) on ``engine``."""
    seen = {"commits": 0, "tallies": 0}

    def on_commit(_connection: Any) -> None:
        seen["commits"] += 1

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "count(stickers.id)" in statement.lower():
            seen["tallies"] += 1

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "before_cursor_execute", on_execute)


Request = tuple[Phone, str, dict[str, Any] | None, dict[str, str]]  # phone, URL, JSON body (None: DELETE), headers


async def _together(app: FastAPI, requests: list[Request]) -> list[Any]:
    """Send every request while the database turn is held, so all of them are queued before one batch runs."""
    gates = db_gates(app)
    assert gates.writer is not None  # SQLite: one write turn
    await gates.writer.acquire()
    batches_before = writer(app).batches
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("10.9.0.1", 50000)),
            base_url=BASE_URL,
            headers={**phone.client.headers, **headers},
            cookies=dict(phone.client.cookies),
        )
        for phone, _url, _body, headers in requests
    ]
    try:
        sent = [
            asyncio.ensure_future(client.post(url, json=body) if body is not None else client.delete(url))
            for client, (_p, url, body, _h) in zip(clients, requests, strict=True)
        ]
        for _turn in range(10_000):  # yield to the loop until every request waits in the queue (no clock)
            if len(writer(app).queue) == len(requests):
                break
            await asyncio.sleep(0)
        assert len(writer(app).queue) == len(requests)
        gates.writer.release()
        answers = await asyncio.gather(*sent)
    finally:
        if gates.writer.locked() and len(writer(app).queue):
            gates.writer.release()
        for client in clients:
            await client.aclose()
    assert writer(app).batches == batches_before + 1
    return answers


def _tallies(room: Room, round_id: int, after: int) -> list[dict[str, Any]]:
    with Session(room.world.engine) as session:
        rows = session.exec(
            select(LiveEvent)
            .where(LiveEvent.group_interview_id == room.interview_id, col(LiveEvent.id) > after)
            .where(LiveEvent.kind == "tally")
            .order_by(col(LiveEvent.id))
        ).all()
    return [json.loads(row.payload_json) for row in rows if json.loads(row.payload_json)["round_id"] == round_id]


def _last_event(room: Room) -> int:
    with Session(room.world.engine) as session:
        return max(session.exec(select(LiveEvent.id)).all() or [0]) or 0


def test_stickers_that_arrive_together_are_one_transaction_with_one_tally(room: Room) -> None:
    people = room.participants + add_participants(room.world, room.review_id, 7)
    phones = [room.phone(p) for p in people]
    factors = [room.factor("A"), room.factor("B")]
    round_id = room.round()
    before = _last_event(room)
    url = room.url(f"/rounds/{round_id}/stickers")
    requests = [(phone, url, {"factor_id": factors[n % 2]}, {}) for n, phone in enumerate(phones)]
    with counting(room.world.engine) as seen:
        answers = run_async(_together(room.world.app, requests))
    assert [a.status_code for a in answers] == [201] * 10
    assert seen == {"commits": 1, "tallies": 1}  # ten stickers, one commit, one tally query
    tallies = _tallies(room, round_id, before)
    assert len(tallies) == 1  # one tally event for the screens, counted after the last sticker
    assert {r["factor_id"]: r["stickers"] for r in tallies[0]["results"]} == {factors[0]: 5, factors[1]: 5}
    assert room.results(round_id) == {factors[0]: 5, factors[1]: 5}
    mine = phones[3].get("/api/v1/participant/state").json()["mine"][str(round_id)]
    assert [s["factor_id"] for s in mine] == [factors[1]]


def test_a_refusal_in_a_batch_fails_only_its_own_request_in_its_own_language(room: Room) -> None:
    people = room.participants + add_participants(room.world, room.review_id, 2)
    phones = [room.phone(p) for p in people]
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round(stickers_per_person=1)
    url = room.url(f"/rounds/{round_id}/stickers")
    assert phones[0].post(url, json={"factor_id": a}).status_code == 201  # phone 0 has used its only sticker
    requests = [
        (phones[0], url, {"factor_id": b}, {"accept-language": "nl"}),  # 409: allowance used, in Dutch
        (phones[1], url, {"factor_id": a}, {}),
        (phones[2], url, {"factor_id": 10**6}, {}),  # 404: no such factor
        (phones[3], url, {"factor_id": b}, {"accept-language": "en"}),
        (phones[4], url, {"factor_id": b, "client_key": "k" * 16}, {}),
    ]
    answers = run_async(_together(room.world.app, requests))
    assert [a.status_code for a in answers] == [409, 201, 404, 201, 201]
    assert answers[0].json()["detail"] == "Je hebt al je 1 stickers gebruikt. Haal er een terug om hem te verplaatsen."
    assert answers[2].json()["detail"] == "This factor does not exist."
    assert room.results(round_id) == {a: 2, b: 2}
    # The same client key again in a later batch is the same sticker, not a second one.
    again = run_async(_together(room.world.app, [requests[4]]))
    assert again[0].status_code == 200 and again[0].json()["id"] == answers[4].json()["id"]
    assert room.results(round_id) == {a: 2, b: 2}


def test_stickers_taken_back_together_are_one_transaction(room: Room) -> None:
    phones = [room.phone(p) for p in room.participants]
    a = room.factor("A")
    round_id = room.round()
    url = room.url(f"/rounds/{round_id}/stickers")
    placed = [phone.post(url, json={"factor_id": a}).json()["id"] for phone in phones]
    requests: list[Request] = [(phone, f"{url}/{n}", None, {}) for phone, n in zip(phones, placed, strict=True)]
    with counting(room.world.engine) as seen:
        answers = run_async(_together(room.world.app, requests))
    assert [a.status_code for a in answers] == [204, 204, 204]
    assert seen == {"commits": 1, "tallies": 1}
    assert room.results(round_id) == {a: 0}


def test_a_participants_own_stickers_are_found_without_reading_the_round(room: Room) -> None:
    """The allowance check reads the batch's participants' stickers through the (round, participant) index, not
    every sticker of the round (which made each sticker slower the fuller the round)."""
    from app.voting.service import _PLACED

    ids = {"round_ids": [1, 2], "participant_ids": [1, 2, 3], "round_id": 1, "client_keys": ["k" * 16]}
    for query in (_PLACED,):
        sql = query.params(**ids).compile(room.world.engine, compile_kwargs={"literal_binds": True})
        with room.world.engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        steps = " ".join(str(row[-1]) for row in plan)
        assert "round_id=? AND participant_id=?" in steps, steps
        assert "SCAN stickers" not in steps, steps  # (the lists themselves are scanned: json_each)


def test_a_sticker_from_a_released_or_another_reviews_phone_is_refused(room: Room) -> None:
    """The hot path checks a phone's cookie with one narrow query: the same rules as everywhere else."""
    a = room.factor("A")
    round_id = room.round()
    url = room.url(f"/rounds/{round_id}/stickers")
    released, kept = room.phone(room.participants[0]), room.phone(room.participants[1])
    other = make_room(room.world, 1)
    try:
        stranger = other.phone(other.participants[0])
        response = room.owner.post(room.url(f"/group-interview/participants/{room.participants[0]}/release"))
        assert response.status_code == 204
        assert released.post(url, json={"factor_id": a}).status_code == 401
        refused = stranger.post(url, json={"factor_id": a})
        assert (
            refused.status_code == 404
            and refused.json()["detail"] == "This review does not exist or you have no access to it."
        )
        assert kept.post(url, json={"factor_id": a}).status_code == 201
        assert room.results(round_id) == {a: 1}
    finally:
        other.close()


def test_a_client_key_already_used_through_another_source_fails_only_its_own_request(room: Room) -> None:
    """A client key is unique per round and person whatever the source, but the same sticker again only through the
    same source: a tablet sticker with the key of the holder's phone sticker (or the other way round) is refused on
    its own, never sent to the database, where the unique constraint failed the whole batch (every phone in it 500)."""
    a, b = room.factor("A"), room.factor("B")
    round_id = room.round(anonymous=False)
    url = room.url(f"/rounds/{round_id}/stickers")
    holder, bystander = room.phone(room.participants[0]), room.phone(room.participants[1])
    assert holder.post(url, json={"factor_id": a, "client_key": "phone-key-1"}).status_code == 201
    tablet = room.owner.post(room.url("/group-interview/tablet"), json={"participant_id": room.participants[0]})
    assert tablet.status_code == 204
    at_the_tablet = Phone(room.world.app)
    at_the_tablet.client = room.owner  # the facilitator's API client, sent as _together sends a phone's
    same_key = {"factor_id": b, "participant_id": room.participants[0], "client_key": "phone-key-1"}
    answers = run_async(
        _together(room.world.app, [(at_the_tablet, url, same_key, {}), (bystander, url, {"factor_id": b}, {})])
    )
    assert [answer.status_code for answer in answers] == [409, 201]
    # In one batch too: the tablet's key first, then the phone's.
    both = [
        (at_the_tablet, url, {**same_key, "client_key": "tablet-key-2"}, {}),
        (holder, url, {"factor_id": b, "client_key": "tablet-key-2"}, {}),
        (bystander, url, {"factor_id": a}, {}),
    ]
    assert [answer.status_code for answer in run_async(_together(room.world.app, both))] == [201, 409, 201]
    assert room.results(round_id) == {a: 2, b: 2}
