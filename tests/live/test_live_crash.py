"""Crash safety: SIGKILL the server during a burst of stickers from 30 participants, restart it on the same data
directory: every acknowledged sticker is there, none is counted twice (client_key), and streams resume."""

import threading
from collections import Counter

import httpx
import pytest

from tests.live.liveserver import LiveServer, SSEReader, build_room

pytestmark = pytest.mark.slow
PARTICIPANTS, ALLOWANCE = 30, 3


def test_sigkill_during_a_burst_loses_no_acknowledged_sticker(fresh_sqlite_server: LiveServer) -> None:
    server = fresh_sqlite_server.start()
    room = build_room(server.url, participants=PARTICIPANTS, factors=5, round_settings={})
    auth = {"authorization": room.owner.headers["authorization"]}
    screen = SSEReader(server.url, room.url("/group-interview/stream"), headers=auth)
    screen.next(kind="state")

    keys = {p.participant_id: [f"crash-{p.participant_id}-{n}" for n in range(ALLOWANCE)] for p in room.phones}
    acked: dict[str, int] = {}  # client_key -> sticker id, for every 2xx answer
    failed: list[str] = []
    progress = threading.Condition()
    barrier = threading.Barrier(PARTICIPANTS + 1)

    def burst(n: int) -> None:
        phone = room.phones[n]
        with phone.client(server.url, timeout=10.0) as client:
            barrier.wait(30)
            for k, key in enumerate(keys[phone.participant_id]):
                factor = room.factors[(n + k) % len(room.factors)]
                try:
                    response = client.post(room.stickers_url(), json={"factor_id": factor, "client_key": key})
                except httpx.TransportError:
                    with progress:
                        failed.append(key)
                    continue
                with progress:
                    if 200 <= response.status_code < 300:
                        acked[key] = response.json()["id"]
                    else:
                        assert response.status_code < 500, response.text
                        failed.append(key)
                    progress.notify_all()

    threads = [threading.Thread(target=burst, args=(n,)) for n in range(PARTICIPANTS)]
    for thread in threads:
        thread.start()
    barrier.wait(30)
    with progress:
        assert progress.wait_for(lambda: len(acked) >= 20, timeout=30)
    server.kill()  # SIGKILL mid-burst: no shutdown, no flush
    for thread in threads:
        thread.join(60)
    assert screen.ended.wait(10)  # the stream broke with the server
    screen.received()
    screen.close()
    last_seen = max((e.id for e in screen.seen if e.id is not None), default=None)
    assert acked, "nothing was acknowledged before the kill"
    assert len(acked) < PARTICIPANTS * ALLOWANCE or failed == [], "the burst must still be going on when killed"

    server.start()  # same data directory, same port
    with httpx.Client(base_url=server.url, headers=auth, timeout=30.0) as owner:
        # 1. Every acknowledged sticker survived, under its own participant.
        stored: dict[int, set[int]] = {}
        for phone in room.phones:
            with phone.client(server.url) as client:
                state = client.get("/api/v1/participant/state")
                assert state.status_code == 200, state.text  # the phone's cookie survives a restart too
                stored[phone.participant_id] = {s["id"] for s in state.json()["mine"][str(room.round_id)]}
        for phone in room.phones:
            mine_acked = {acked[k] for k in keys[phone.participant_id] if k in acked}
            assert mine_acked <= stored[phone.participant_id]
            assert len(stored[phone.participant_id]) <= ALLOWANCE

        # 2. Phones retry everything with the same client_key: acknowledged ones answer 200 with the same sticker,
        #    lost ones are placed now (or found, if they were stored but the answer was lost).
        retried: dict[str, tuple[int, int]] = {}
        for n, phone in enumerate(room.phones):
            with phone.client(server.url) as client:
                for k, key in enumerate(keys[phone.participant_id]):
                    factor = room.factors[(n + k) % len(room.factors)]
                    response = client.post(room.stickers_url(), json={"factor_id": factor, "client_key": key})
                    assert response.status_code in (200, 201), response.text
                    retried[key] = (response.status_code, response.json()["id"])
        for key, sticker_id in acked.items():
            assert retried[key] == (200, sticker_id)
        assert len({sticker_id for _status, sticker_id in retried.values()}) == PARTICIPANTS * ALLOWANCE

        # 3. Totals exact: nothing lost, nothing twice.
        results = {
            r["factor_id"]: r["stickers"] for r in owner.get(room.url(f"/rounds/{room.round_id}/results")).json()
        }
        assert sum(results.values()) == PARTICIPANTS * ALLOWANCE
        expected = Counter(
            room.factors[(n + k) % len(room.factors)] for n in range(PARTICIPANTS) for k in range(ALLOWANCE)
        )
        assert results == dict(expected)

    # 4. The screen reconnects with its Last-Event-ID: it gets what it missed, in order, then the state.
    resumed = SSEReader(server.url, room.url("/group-interview/stream"), headers=auth, last_event_id=last_seen)
    try:
        missed = []
        while (event := resumed.next(timeout=5.0)).kind != "state":
            missed.append(event)
        ids = [e.id for e in missed]
        assert ids == sorted(ids) and all(i is not None and last_seen is not None and i > last_seen for i in ids)
        tallies = [sum(r["stickers"] for r in e.json()["results"]) for e in missed if e.kind == "tally"]
        assert tallies and tallies[-1] == PARTICIPANTS * ALLOWANCE
        assert tallies == sorted(tallies)
        assert sum(r["stickers"] for r in event.json()["tallies"][str(room.round_id)]) == PARTICIPANTS * ALLOWANCE
    finally:
        resumed.close()
        room.close()
