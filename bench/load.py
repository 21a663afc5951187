"""Load benchmark: many group interviews at once against a real server on loopback.

    python bench/load.py                       # SQLite, one worker: 50 rooms x 10 participants x 3 stickers
    python bench/load.py --smoke               # 3 rooms x 3 participants, for the test suite (< 20 s)
    python bench/load.py --postgres postgresql+psycopg://postgres@127.0.0.1:54339/postgres --workers 2

The stickers go out over raw keep-alive sockets (``_common.RawHttp``): with httpx the client, on the same two cores,
cost more CPU per sticker than the server and was most of what the latency measured. Every room is built through
the API (as ``build_room`` does): a review, consented participants who have joined
with their phones, 5 factors and an open round of 3 stickers per person. One member screen per room subscribes
to the room's SSE stream (raw asyncio sockets, as in bench/live.py). Then every participant of every room places
3 stickers, at most ``--concurrency`` requests in flight over all rooms; the work is interleaved over the rooms
(sticker 1 of participant 1 in room 1, 2, 3 ..., then participant 2 ...), so that the rooms are busy at once.

Latency of one sticker: from the start of its POST until that room's screen receives a ``tally`` event whose
total reaches the number of stickers confirmed in that room when the POST was answered.
Checks (the exit status is 0 only when all hold): no non-2xx answer and no transport error, every tally seen
on every screen, and the stickers placed equal the stickers expected, on the screens and in the server's results.
``--postgres`` takes an admin URL: a fresh database is created and dropped again.
"""

import argparse
import asyncio
import contextlib
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_ROOT))
sys.path.insert(0, str(_ROOT / "bench"))

from _common import RawHttp, add_server_options, bench_server, post_json  # noqa: E402
from live import Screen, open_screens, percentile, raise_file_limit  # noqa: E402

from tests.live.liveserver import LiveRoom, build_room, owner_client  # noqa: E402

STICKERS_PER_PERSON = 3
FACTORS = 5
TALLY_TIMEOUT = 30.0


@dataclass
class Outcome:
    latencies_ms: list[float]
    non_2xx: int
    transport_errors: int
    missing_tallies: int
    placed: int
    expected: int
    on_screens: int
    in_results: int
    seconds: float


def build_rooms(base_url: str, rooms: int, participants: int, threads: int) -> list[LiveRoom]:
    """``rooms`` rooms with joined phones and an open round, built through the API a few at a time."""

    def one(_n: int) -> LiveRoom:
        return build_room(
            base_url,
            participants=participants,
            factors=FACTORS,
            round_settings={"stickers_per_person": STICKERS_PER_PERSON, "max_per_factor": 1},
            owner=owner_client(base_url),
        )

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(rooms)))


async def place_all(rooms: list[LiveRoom], port: int, concurrency: int) -> Outcome:
    screens: list[Screen] = []
    for room in rooms:  # one screen per room, each past its first ``state`` event
        token = room.owner.headers["authorization"]
        screens += await open_screens(port, room.url("/group-interview/stream"), token, 1)
    confirmed = [0] * len(rooms)
    latencies: list[float] = []
    non_2xx = transport_errors = missing = 0
    # Interleaved over the rooms: sticker k of participant p in every room, then the next participant.
    work = [
        (r, p, k)
        for k in range(STICKERS_PER_PERSON)
        for p in range(max(len(room.phones) for room in rooms))
        for r, room in enumerate(rooms)
        if p < len(room.phones)
    ]
    work.reverse()  # popped from the end
    expected = len(work)
    client = RawHttp(port, concurrency)  # a cheap client: the server, not httpx, is what is measured

    async def arrived(screen: Screen, total: int, started: float) -> float:
        while not screen.tallies or screen.tallies[-1][1] < total:
            screen.changed.clear()
            await screen.changed.wait()
        return next(t for t, count in screen.tallies if count >= total and t >= started) - started

    async def worker() -> None:
        nonlocal non_2xx, transport_errors, missing
        while work:
            r, p, k = work.pop()
            room, phone = rooms[r], rooms[r].phones[p]
            headers = {
                "x-csrf-token": phone.csrf,
                "cookie": "; ".join(f"{name}={value}" for name, value in phone.cookies.items()),
                "accept-language": "en",
            }
            factor = room.factors[(p + k) % len(room.factors)]
            request = post_json(port, room.stickers_url(), json.dumps({"factor_id": factor}), headers)
            started = time.perf_counter()
            try:
                status, body = await client.request(request)
            except (OSError, asyncio.IncompleteReadError) as error:
                transport_errors += 1
                print(f"  {type(error).__name__} room {r} phone {p}: {error!r}", file=sys.stderr)
                continue
            if not 200 <= status < 300:
                non_2xx += 1
                print(f"  {status} room {r} phone {p}: {body[:200]!r}", file=sys.stderr)
                continue
            confirmed[r] += 1
            try:
                seconds = await asyncio.wait_for(arrived(screens[r], confirmed[r], started), TALLY_TIMEOUT)
            except TimeoutError:
                missing += 1
                continue
            latencies.append(seconds * 1000)

    began = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
        # the last tally on each screen must show every sticker of its room
        for r, screen in enumerate(screens):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived(screen, confirmed[r], 0.0), TALLY_TIMEOUT)
        on_screens = sum(screen.tallies[-1][1] if screen.tallies else 0 for screen in screens)
    finally:
        for screen in screens:
            screen.close()
        client.close()
    in_results = sum(sum(room.results().values()) for room in rooms)
    return Outcome(
        latencies, non_2xx, transport_errors, missing, sum(confirmed), expected, on_screens, in_results, seconds
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny run: 3 rooms x 3 participants")
    parser.add_argument("--rooms", type=int, default=50, help="group interviews at once (default 50)")
    parser.add_argument("--participants", type=int, default=10, help="participants per room (default 10)")
    parser.add_argument("--concurrency", type=int, default=50, help="sticker requests in flight (default 50)")
    add_server_options(parser)
    args = parser.parse_args(argv)
    rooms_count, participants = (3, 3) if args.smoke else (args.rooms, args.participants)
    raise_file_limit(rooms_count * 2 + args.concurrency * 2 + 256)

    wall = time.perf_counter()
    with bench_server(args, "load") as bench:
        rooms: list[LiveRoom] = []
        try:
            built = time.perf_counter()
            rooms = build_rooms(bench.server.url, rooms_count, participants, threads=4)
            build_seconds = time.perf_counter() - built
            outcome = asyncio.run(place_all(rooms, bench.server.port, args.concurrency))
        finally:
            for room in rooms:
                with contextlib.suppress(Exception):
                    room.close()
    wall = time.perf_counter() - wall

    ms = outcome.latencies_ms
    exact = outcome.placed == outcome.expected == outcome.on_screens == outcome.in_results
    ok = exact and not (outcome.non_2xx or outcome.transport_errors or outcome.missing_tallies)
    rows = [
        ("rooms built (s)", f"{build_seconds:.1f}"),
        ("stickers placed / expected", f"{outcome.placed} / {outcome.expected}"),
        ("totals on screens / in results", f"{outcome.on_screens} / {outcome.in_results}"),
        ("non-2xx answers", f"{outcome.non_2xx}"),
        ("transport errors", f"{outcome.transport_errors}"),
        ("tallies not seen", f"{outcome.missing_tallies}"),
        ("latency p50 (ms)", f"{percentile(ms, 50):.1f}"),
        ("latency p95 (ms)", f"{percentile(ms, 95):.1f}"),
        ("latency p99 (ms)", f"{percentile(ms, 99):.1f}"),
        ("latency max (ms)", f"{max(ms, default=float('nan')):.1f}"),
        ("stickers/s", f"{outcome.placed / outcome.seconds:.0f}"),
        ("sticker phase wall time (s)", f"{outcome.seconds:.1f}"),
        ("total wall time (s)", f"{wall:.1f}"),
    ]
    print(
        f"\nleerreview load bench — {bench.database}, {bench.workers} worker(s), {rooms_count} rooms x {participants} "
        f"participants x {STICKERS_PER_PERSON} stickers, {args.concurrency} in flight\n"
    )
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value:>12}")
    print(f"\nresult: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
