"""Benchmark: sticker→screen latency with 30 and 300 subscribed screens, and sticker throughput against a bare
JSON endpoint of the same server, measured in the same run against a real server on loopback.

    python bench/live.py                       # SQLite, one worker: 30 and 300 screens, 200 stickers
    python bench/live.py --smoke               # tiny version (5 screens, 10 stickers), for the test suite
    python bench/live.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres --workers 2

Latency: a phone places a sticker (one at a time); the time from the start of its POST until the ``tally``
event arrives is measured on every subscribed screen (member SSE streams, raw asyncio sockets in this process).
Throughput: stickers placed per second, sequentially and with 30 phones at once, against ``GET /api/v1/ping``
with the same client and the same concurrency, in alternating blocks (the ratio is the median of the blocks').
``--postgres`` takes an admin URL: a fresh database is created and dropped again.

Targets: p95 < 50 ms with 30 screens (issue 4), < 60 ms with 300 and < 250 ms with 1,000 (issue 17), 0 errors;
throughput ≥ 40 % of the bare endpoint.
"""

import argparse
import asyncio
import contextlib
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402
from _common import add_server_options, bench_server  # noqa: E402

from tests.live.liveserver import LiveRoom, LiveServer, build_room, parse_sse  # noqa: E402

TARGET_P95_MS = {30: 50.0, 300: 60.0, 1000: 250.0}
TARGET_RATIO = 0.40


@dataclass
class Screen:
    """One subscribed screen: a member SSE stream over a raw asyncio socket; arrival times of tally events."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    tallies: list[tuple[float, int]] = field(default_factory=list)  # (arrival, total stickers)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    task: "asyncio.Task[None] | None" = None

    async def run(self) -> None:
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"stream refused: {head[:200]!r}")
        chunked = b"transfer-encoding: chunked" in head.lower()
        text = ""
        while True:
            if chunked:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    return
                body = (await self.reader.readexactly(size + 2))[:-2]
            else:
                body = await self.reader.read(65536)
                if not body:
                    return
            text += body.decode()
            while "\n\n" in text:
                block, text = text.split("\n\n", 1)
                now = time.perf_counter()
                event = parse_sse(block, now)
                if event is None:
                    continue
                if event.kind == "state":
                    self.ready.set()
                elif event.kind == "tally":
                    total = sum(r["stickers"] for r in event.json()["results"])
                    self.tallies.append((now, total))
                    self.changed.set()

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.writer.close()


async def open_screens(port: int, path: str, token: str, count: int) -> list[Screen]:
    """``count`` member streams, opened in batches, each past its first ``state`` event."""
    screens: list[Screen] = []

    async def one() -> Screen:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
        request = (
            f"GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n"
            f"accept: text/event-stream\r\nauthorization: {token}\r\n\r\n"
        )
        writer.write(request.encode())
        screen = Screen(reader, writer)
        screen.task = asyncio.create_task(screen.run())
        return screen

    for start in range(0, count, 50):
        batch = await asyncio.gather(*(one() for _ in range(min(50, count - start))))
        screens.extend(batch)
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in batch)), 60)
    return screens


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def measure_latency(room: LiveRoom, port: int, screens_count: int, stickers: int) -> dict[str, float]:
    """Place ``stickers`` one at a time; per sticker and screen, the time until that screen got the new tally."""
    token = room.owner.headers["authorization"]
    screens = await open_screens(port, room.url("/group-interview/stream"), token, screens_count)
    async_phones = [p.async_client(room.base_url) for p in room.phones]
    samples: list[float] = []
    errors = 0
    try:
        total = sum(room.results().values())
        for n in range(stickers):
            phone = async_phones[n % len(async_phones)]
            factor = room.factors[(n // len(async_phones)) % len(room.factors)]
            for screen in screens:
                screen.changed.clear()
            started = time.perf_counter()
            response = await phone.post(room.stickers_url(), json={"factor_id": factor})
            if response.status_code != 201:
                errors += 1
                print(f"  sticker {n}: {response.status_code} {response.text[:200]}", file=sys.stderr)
                continue
            total += 1

            async def arrived(screen: Screen, expected: int = total, started: float = started) -> float:
                while not screen.tallies or screen.tallies[-1][1] < expected:
                    screen.changed.clear()
                    await screen.changed.wait()
                return next(t for t, count in screen.tallies if count >= expected) - started

            samples.extend(await asyncio.wait_for(asyncio.gather(*(arrived(s) for s in screens)), 30))
    finally:
        for screen in screens:
            screen.close()
        for client in async_phones:
            await client.aclose()
    ms = [s * 1000 for s in samples]
    return {
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms, default=float("nan")),
        "samples": len(ms),
        "errors": errors,
    }


async def measure_throughput(room: LiveRoom, count: int, concurrency: int, blocks: int = 4) -> dict[str, float]:
    """Requests per second for the bare endpoint and for placing stickers, at the same concurrency.

    The two alternate in ``blocks`` pairs of ``count`` requests each (ping block, sticker block, ...), every
    sticker block in a fresh round, and the ratio is the median of the pairs' ratios: a shared machine that slows
    down for a moment slows both sides of a pair, not one side only.
    """
    clients = [p.async_client(room.base_url) for p in room.phones]
    errors = 0

    async def run(make_request: "object", requests: int) -> float:
        nonlocal errors
        queue = list(range(requests))
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal errors
            while queue:
                n = queue.pop()
                client = clients[n % len(clients)]  # spread over the phones: each has its own allowance
                response = await make_request(client, n)  # type: ignore[operator]
                if response.status_code >= 300:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)

    async def ping(client: httpx.AsyncClient, _n: int) -> httpx.Response:
        return await client.get("/api/v1/ping")

    async def sticker(client: httpx.AsyncClient, n: int) -> httpx.Response:
        return await client.post(room.stickers_url(), json={"factor_id": room.factors[n % len(room.factors)]})

    pings: list[float] = []
    stickers: list[float] = []
    try:
        await run(ping, count)  # warm up connections
        for _block in range(blocks):
            pings.append(await run(ping, count))
            room.owner.post(room.url(f"/rounds/{room.round_id}/close")).raise_for_status()
            room.new_round(stickers_per_person=20, max_per_factor=20)
            stickers.append(await run(sticker, count))
    finally:
        for client in clients:
            await client.aclose()
    ratios = [s / p for s, p in zip(stickers, pings, strict=True)]
    return {
        "ping": statistics.median(pings),
        "sticker": statistics.median(stickers),
        "ratio": statistics.median(ratios),
        "errors": errors,
    }


def raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny run: 5 screens, 10 stickers")
    parser.add_argument("--screens", default="30,300,1000", help="comma-separated screen counts (default 30,300,1000)")
    parser.add_argument("--stickers", type=int, default=200, help="stickers per latency run (default 200)")
    parser.add_argument("--throughput", type=int, default=300, help="requests per throughput block (default 300)")
    parser.add_argument("--blocks", type=int, default=4, help="alternating ping/sticker blocks (default 4)")
    add_server_options(parser)
    args = parser.parse_args(argv)
    screen_counts = [5] if args.smoke else [int(n) for n in args.screens.split(",")]
    stickers = 10 if args.smoke else args.stickers
    throughput = 40 if args.smoke else args.throughput
    raise_file_limit(max(screen_counts) * 2 + 256)

    with bench_server(args, "bench") as bench:
        rows = run_all(bench.server, screen_counts, stickers, throughput, 1 if args.smoke else args.blocks)

    sets = len(screen_counts)
    print(f"\nleerreview live bench — {bench.database}, {bench.workers} worker(s), {sets} screen set(s)\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'metric'.ljust(width)}  {'value':>34}  target")
    print(f"{'-' * width}  {'-' * 34}  ------")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>34}  {target}")
    return 0


def run_all(
    server: LiveServer, screen_counts: list[int], stickers: int, throughput: int, blocks: int
) -> list[tuple[str, str, str]]:
    room = build_room(
        server.url,
        participants=30,
        factors=10,
        round_settings={"stickers_per_person": 20, "max_per_factor": 20},
    )
    rows: list[tuple[str, str, str]] = []
    try:
        for n, count in enumerate(screen_counts):
            if n:  # a fresh round per screen set: the first phones place one more sticker of each set than the rest
                room.owner.post(room.url(f"/rounds/{room.round_id}/close")).raise_for_status()
                room.new_round(stickers_per_person=20, max_per_factor=20)
            result = asyncio.run(measure_latency(room, server.port, count, stickers))
            target = TARGET_P95_MS.get(count)
            verdict = "" if target is None else f"p95 < {target:.0f} ms: {'ok' if result['p95'] < target else 'MISSED'}"
            rows.append(
                (
                    f"latency {count} screens (ms p50/p95/p99)",
                    f"{result['p50']:.1f} / {result['p95']:.1f} / {result['p99']:.1f}",
                    verdict,
                )
            )
            rows.append(
                (f"latency {count} screens samples/errors", f"{result['samples']:.0f} / {result['errors']:.0f}", "")
            )
        for label, concurrency in (("sequential", 1), ("concurrent x30", 30)):
            result = asyncio.run(measure_throughput(room, min(throughput, 30 * 20), concurrency, blocks))
            verdict = f"≥ {TARGET_RATIO:.0%}: {'ok' if result['ratio'] >= TARGET_RATIO else 'MISSED'}"
            rows.append(
                (
                    f"throughput {label} (stickers/s | ping/s)",
                    f"{result['sticker']:.0f} | {result['ping']:.0f} = {result['ratio']:.0%}",
                    verdict,
                )
            )
            if result["errors"]:
                rows.append((f"throughput {label} errors", f"{result['errors']:.0f}", ""))
    finally:
        with contextlib.suppress(Exception):
            room.close()
    return rows


if __name__ == "__main__":
    sys.exit(main())
