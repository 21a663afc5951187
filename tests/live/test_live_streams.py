"""SSE against a real server: a placed sticker's tally reaches a member stream; Last-Event-ID replay; a phone's
stream carries only events for everyone and for that phone."""

import httpx
import pytest

from tests.live.liveserver import HANG_SECONDS, LiveServer, SSEReader

pytestmark = pytest.mark.slow


def _member_stream(server: LiveServer, room, last_event_id: int | None = None) -> SSEReader:
    token = room.owner.headers["authorization"]
    return SSEReader(
        server.url,
        room.url("/group-interview/stream"),
        headers={"authorization": token},
        last_event_id=last_event_id,
    )


def test_a_sticker_reaches_a_member_stream_within_a_second(sqlite_server: LiveServer, make_room) -> None:
    room = make_room(sqlite_server, participants=2, factors=2, round_settings={})
    stream = _member_stream(sqlite_server, room)
    try:
        assert stream.status == 200 and stream.headers["content-type"].startswith("text/event-stream")
        # A stream is a page answer like any other: no caching, no proxy buffering, the strict CSP.
        assert stream.headers["cache-control"] == "no-store"
        assert stream.headers["x-accel-buffering"] == "no"
        assert "frame-ancestors 'none'" in stream.headers["content-security-policy"]
        state = stream.next(kind="state").json()
        assert state["interview"]["id"] == room.interview_id
        with room.phones[0].client(sqlite_server.url) as phone:
            placed = phone.post(room.stickers_url(), json={"factor_id": room.factors[1]})
            assert placed.status_code == 201
        tally = stream.next(kind="tally", timeout=HANG_SECONDS)
        assert tally.json() == {
            "round_id": room.round_id,
            "results": [{"factor_id": room.factors[1], "stickers": 1}, {"factor_id": room.factors[0], "stickers": 0}],
        }
        assert tally.id is not None and tally.id > state["last_event_id"]
    finally:
        stream.close()


def test_last_event_id_replays_exactly_the_missed_events_then_the_state(sqlite_server: LiveServer, make_room) -> None:
    room = make_room(sqlite_server, participants=2, factors=2, round_settings={})
    first = _member_stream(sqlite_server, room)
    state = first.next(kind="state").json()
    with room.phones[0].client(sqlite_server.url) as phone:
        assert phone.post(room.stickers_url(), json={"factor_id": room.factors[0]}).status_code == 201
    last_seen = first.next(kind="tally").id
    assert last_seen is not None and last_seen > state["last_event_id"]
    first.close()

    # While disconnected: a sticker, a factor, a step; and a phone-only event that members must not get.
    with room.phones[1].client(sqlite_server.url) as phone:
        assert phone.post(room.stickers_url(), json={"factor_id": room.factors[1]}).status_code == 201
    assert room.owner.post(room.url("/factors"), json={"kind": "success", "title": "Nieuw"}).status_code == 201
    assert room.owner.post(room.url("/group-interview/step"), json={"step": 4}).status_code == 200

    again = _member_stream(sqlite_server, room, last_event_id=last_seen)
    try:
        replay = []
        while True:
            event = again.next()
            if event.kind == "state":
                break
            replay.append(event)
        assert [e.kind for e in replay] == ["tally", "factor", "interview"]
        ids = [e.id for e in replay]
        assert all(i is not None and i > last_seen for i in ids) and ids == sorted(ids)
        assert event.json()["last_event_id"] == ids[-1]
        assert event.json()["interview"]["step"] == 4
        # The replayed tally is the one after the second sticker.
        assert sorted(r["stickers"] for r in replay[0].json()["results"]) == [1, 1]
    finally:
        again.close()

    # Without Last-Event-ID a screen starts with the state and replays nothing.
    fresh = _member_stream(sqlite_server, room)
    try:
        assert fresh.next().kind == "state"
    finally:
        fresh.close()


def test_phone_stream_carries_only_events_for_all_and_its_own(sqlite_server: LiveServer, make_room) -> None:
    room = make_room(sqlite_server, participants=2, factors=2, round_settings={})
    mine, other = room.phones
    stream = SSEReader(sqlite_server.url, "/api/v1/participant/stream", cookies=mine.cookies)
    try:
        state = stream.next(kind="state").json()
        assert state["me"]["id"] == mine.participant_id and "participants" not in state
        with other.client(sqlite_server.url) as phone:  # the other phone: its events must not show up here
            assert phone.post(room.stickers_url(), json={"factor_id": room.factors[0]}).status_code == 201
            assert phone.post(room.url("/group-interview/proposals"), json={"text": "niet voor jou"}).status_code == 201
        with mine.client(sqlite_server.url) as phone:
            own = phone.post(room.stickers_url(), json={"factor_id": room.factors[1]}).json()
        assert (
            room.owner.post(room.url("/factors"), json={"kind": "success", "title": "Voor iedereen"}).status_code == 201
        )
        room.owner.post(room.url(f"/rounds/{room.round_id}/close")).raise_for_status()
        room.owner.post(room.url(f"/rounds/{room.round_id}/reveal")).raise_for_status()

        tally = stream.until(lambda e: e.kind == "tally")  # only once revealed, with the totals
        assert sum(r["stickers"] for r in tally.json()["results"]) == 2
        received = stream.seen[1:]
        kinds = [e.kind for e in received]
        assert kinds.count("mine") == 1 and "proposal" not in kinds and "joined" not in kinds
        (mine_event,) = [e for e in received if e.kind == "mine"]
        assert mine_event.json()["stickers"] == [{"id": own["id"], "factor_id": room.factors[1]}]
        assert kinds.index("tally") > kinds.index("round")  # no tally before the reveal
        assert "factor" in kinds
    finally:
        stream.close()
    # Closing the group interview ends the phone's stream, and it cannot reconnect.
    room.owner.post(room.url("/group-interview/close")).raise_for_status()
    with httpx.Client(base_url=sqlite_server.url, cookies=mine.cookies) as phone:
        assert phone.get("/api/v1/participant/stream").status_code == 401


def test_a_released_phone_stream_ends(sqlite_server: LiveServer, make_room) -> None:
    room = make_room(sqlite_server, participants=1, factors=1)
    (phone,) = room.phones
    stream = SSEReader(sqlite_server.url, "/api/v1/participant/stream", cookies=phone.cookies)
    try:
        stream.next(kind="state")
        room.owner.post(room.url(f"/group-interview/participants/{phone.participant_id}/release")).raise_for_status()
        stream.next(kind="ended", timeout=HANG_SECONDS)
        assert stream.ended.wait(2.0)
    finally:
        stream.close()
