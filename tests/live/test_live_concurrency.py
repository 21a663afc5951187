"""30 participants placing all their stickers at the same moment, against a real server: exact totals, never
more than the allowance, no 5xx; on SQLite and on PostgreSQL. And cross-worker fan-out on PostgreSQL."""

import time
from collections import Counter
from collections.abc import Callable

import pytest

from tests.live.liveserver import HANG_SECONDS, LiveRoom, LiveServer, SSEReader, post_at_once

pytestmark = pytest.mark.slow
PARTICIPANTS = 30


def _stampede(server: LiveServer, room: LiveRoom) -> list[tuple[int, int, int]]:
    """Every participant fires 4 stickers (on 4 different factors, allowance 3) at once: 120 threads, one barrier."""
    attempts = [(phone, factor) for phone in room.phones for factor in room.factors[:4]]
    statuses = post_at_once(server.url, [(phone, room.stickers_url(), {"factor_id": f}) for phone, f in attempts])
    return [(phone.participant_id, factor, status) for (phone, factor), status in zip(attempts, statuses, strict=True)]


def _check_stampede(server: LiveServer, room: LiveRoom) -> None:
    screen = SSEReader(
        server.url, room.url("/group-interview/stream"), headers={"authorization": room.owner.headers["authorization"]}
    )
    try:
        screen.next(kind="state")
        outcomes = _stampede(server, room)
        statuses = Counter(status for _p, _f, status in outcomes)
        assert statuses == {201: PARTICIPANTS * 3, 409: PARTICIPANTS}, statuses  # no 5xx, no lost request
        per_person = Counter(p for p, _f, status in outcomes if status == 201)
        assert set(per_person.values()) == {3}
        results = room.results()
        assert sum(results.values()) == PARTICIPANTS * 3
        assert results == dict(Counter(f for _p, f, status in outcomes if status == 201)) | {
            f: 0 for f in room.factors if f not in {f for _p, f, s in outcomes if s == 201}
        }
        # Each phone sees exactly its 3 stickers.
        for phone in room.phones[:5]:
            with phone.client(server.url) as client:
                mine = client.get("/api/v1/participant/state").json()["mine"][str(room.round_id)]
            assert len(mine) == 3
        # The screen gets to the exact final tally, never above it on the way.
        totals = []
        deadline = time.monotonic() + HANG_SECONDS
        while not totals or totals[-1] < PARTICIPANTS * 3:
            event = screen.next(timeout=max(0.01, deadline - time.monotonic()), kind="tally")
            totals.append(sum(r["stickers"] for r in event.json()["results"]))
        assert totals == sorted(totals) and totals[-1] == PARTICIPANTS * 3
    finally:
        screen.close()


def test_thirty_participants_at_once_on_sqlite(sqlite_server: LiveServer, make_room) -> None:
    room = make_room(sqlite_server, participants=PARTICIPANTS, factors=5, round_settings={})
    _check_stampede(sqlite_server, room)


@pytest.mark.postgres
def test_thirty_participants_at_once_on_postgresql(pg_server: LiveServer, make_room) -> None:
    room = make_room(pg_server, participants=PARTICIPANTS, factors=5, round_settings={})
    _check_stampede(pg_server, room)


@pytest.mark.postgres
def test_a_sticker_through_one_worker_reaches_a_stream_held_by_another(
    pg_servers: Callable[[], LiveServer], pg_server: LiveServer, make_room
) -> None:
    worker_a, worker_b = pg_server, pg_servers()
    assert worker_a.port != worker_b.port
    room = make_room(worker_a, participants=2, factors=2, round_settings={})
    token = {"authorization": room.owner.headers["authorization"]}
    on_b = SSEReader(worker_b.url, room.url("/group-interview/stream"), headers=token)
    phone_on_b = SSEReader(worker_b.url, "/api/v1/participant/stream", cookies=room.phones[0].cookies)
    try:
        last = on_b.next(kind="state").json()["last_event_id"]
        phone_on_b.next(kind="state")
        with room.phones[0].client(worker_a.url) as phone:
            assert phone.post(room.stickers_url(), json={"factor_id": room.factors[0]}).status_code == 201
        tally = on_b.next(kind="tally", timeout=HANG_SECONDS)
        assert tally.id is not None and tally.id > last
        assert {r["factor_id"]: r["stickers"] for r in tally.json()["results"]}[room.factors[0]] == 1
        assert phone_on_b.next(kind="mine", timeout=HANG_SECONDS).json()["stickers"][0]["factor_id"] == room.factors[0]
        # A screen that reconnects to the other worker catches up from its Last-Event-ID.
        with room.phones[1].client(worker_b.url) as phone:
            assert phone.post(room.stickers_url(), json={"factor_id": room.factors[1]}).status_code == 201
        on_b.next(kind="tally", timeout=HANG_SECONDS)
        on_a = SSEReader(worker_a.url, room.url("/group-interview/stream"), headers=token, last_event_id=tally.id)
        try:
            replay = on_a.next(kind="tally")
            assert sorted(r["stickers"] for r in replay.json()["results"]) == [1, 1]
            assert on_a.next().kind == "state"
        finally:
            on_a.close()
    finally:
        on_b.close()
        phone_on_b.close()
