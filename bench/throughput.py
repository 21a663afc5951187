"""Benchmark: requests per second of a bare FastAPI app, of our ``GET /api/v1/ping`` and of sticker POSTs, measured
with ``wrk`` (a C load generator: it costs the two cores almost nothing) in one run, as ratios to the bare app.

    python bench/throughput.py                 # SQLite, one worker: 3 alternating blocks, 30 connections
    python bench/throughput.py --smoke         # one short block, for the test suite (no timed assertion)
    python bench/throughput.py --postgres postgresql+psycopg://postgres@127.0.0.1:54329/postgres --workers 2

The bare app is ``bench/baseline_app.py`` (one ``async def`` route, the uvicorn settings of ``leerreview serve``);
our server is ``leerreview serve`` on a fresh database with one open group interview, ``--phones`` joined phones
and an open round of 20 stickers per person. Each block runs, ``--slices`` times in turn, wrk against the bare
app and against our ping (``--seconds`` per block for each, split over the slices) and a slice of every phone's
20 stickers (a wrk Lua script: each request a phone's cookie, its CSRF token and a factor; wrk stops when every
sticker of the slice has been answered), so a sticker is the whole thing: phone cookie + CSRF, allowance checks,
insert, live events, commit. Finely interleaved, the three see the same moments of a shared machine; the ratios
are the median of the blocks' ratios. Every block (a fresh round) checks the exact total in the round's results.

Targets (issue 17): ping ≥ 50 % of the bare app, stickers ≥ 25 % (SQLite, one worker); on PostgreSQL with two
workers stickers ≥ 40 % of our ping.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_ROOT))

import httpx  # noqa: E402
from _common import add_server_options, bench_server  # noqa: E402

from tests.live.liveserver import LiveRoom, LiveServer, build_room, free_port  # noqa: E402

STICKERS_PER_PERSON = 20
TARGET_PING = 0.50
TARGET_STICKER = 0.25
TARGET_PG_STICKER_VS_PING = 0.40

_DONE = """
threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local placed, failed, timed = 0, 0, 0
  for _, t in ipairs(threads) do
    placed = placed + (t:get("placed") or 0)
    failed = failed + (t:get("failed") or 0)
    timed = timed + ((t:get("last_us") or 0) - (t:get("first_us") or 0))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d, "p50_us": %d, "p99_us": %d, "placed": %d, "failed": %d, "timed_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), placed, failed, timed))
end
"""

# Every sticker once (pre-formatted requests); a connection that asks for more after the last one was sent waits
# (delay()) and would then get the cheap ping (201 = a placed sticker, >= 300 = a refused one): without the wait,
# the connections that were done sent pings as fast as they were answered while the last stickers were placed, a
# quarter more requests than stickers, and those pings were counted against the stickers' time. wrk's own clock
# runs for its whole -d, so the script times the stickers itself (first request to last answer) and says when it
# is done: the bench then interrupts wrk (SIGINT: wrk stops and prints its summary).
_STICKERS = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end
local stickers = {%(requests)s}
local fallback = wrk.format("GET", "/api/v1/ping")
local sent, total, verified = 0, #stickers, false
placed, failed, first_us, last_us = 0, 0, 0, 0
function request()
  -- wrk calls request() once before the run to check what it returns (script_verify_request): not sent.
  if not verified then verified = true; return stickers[1] end
  sent = sent + 1
  if sent == 1 then first_us = now_us() end
  if sent <= total then return stickers[sent] end
  return fallback
end
function delay()
  if sent >= total then return 10000 end  -- done with its stickers: wait instead of loading the server
  return 0
end
function response(status, headers, body)
  if status == 201 then placed = placed + 1 elseif status >= 300 then failed = failed + 1 end
  if placed + failed == total then
    last_us = now_us()
    io.write("STICKERS DONE\\n")
    io.flush()
    wrk.thread:stop()
  end
end
"""


@dataclass
class Run:
    """One wrk run, with the CPU time the server under test (``cpu``) and PostgreSQL (``cpu_db``) spent on it."""

    rate: float
    errors: int
    p50_ms: float
    p99_ms: float
    placed: int = 0
    requests: int = 0
    cpu: float = 0.0
    cpu_db: float = 0.0

    def per_request_ms(self, seconds: float) -> float:
        return 1000 * seconds / max(self.requests, 1)


def _stat(pid: str) -> tuple[str, int, float] | None:
    """(command name, parent pid, CPU seconds) of a process, from /proc (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> tuple[float, float]:
    """CPU seconds used so far by process ``root`` and its children (the server and its workers), and by every
    ``postgres`` process of the machine (the bench's own cluster: nothing else runs PostgreSQL during a bench)."""
    stats = {pid: found for pid in os.listdir("/proc") if pid.isdigit() and (found := _stat(pid)) is not None}
    ours = sum(cpu for pid, (_name, parent, cpu) in stats.items() if int(pid) == root or parent == root)
    database = sum(cpu for name, _parent, cpu in stats.values() if name == "postgres")
    return ours, database


def metered(pid: int, url: str, script: Path, *, seconds: float, connections: int) -> Run:
    """``wrk`` with the CPU time process ``pid`` (the server it loads, and its children) and PostgreSQL spent."""
    before = cpu_seconds(pid)
    result = wrk(url, script, seconds=seconds, connections=connections)
    after = cpu_seconds(pid)
    result.cpu, result.cpu_db = after[0] - before[0], after[1] - before[1]
    return result


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    return found


def wrk(url: str, script: Path, *, seconds: float, connections: int) -> Run:
    """Run wrk with one thread (the load generator must not compete for the cores) and parse its summary."""
    command = [wrk_binary(), "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script)]
    with subprocess.Popen([*command, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stderr is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("STICKERS DONE"):
                process.send_signal(signal.SIGINT)  # wrk stops at once and prints its summary
        process.wait(30)
        stderr = process.stderr.read()
    found = next((x for x in lines if x.startswith("WRKJSON ")), None)
    if process.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{''.join(lines)}\n{stderr}")
    out = json.loads(found.removeprefix("WRKJSON "))
    errors = sum(out[k] for k in ("connect", "read", "write", "status", "timeout")) + out["failed"]
    if out["timed_us"] > 0:  # the sticker script: placed stickers over its own clock
        rate = out["placed"] / (out["timed_us"] / 1e6)
    else:
        rate = out["requests"] / (out["duration_us"] / 1e6)
    return Run(rate, errors, out["p50_us"] / 1000, out["p99_us"] / 1000, out["placed"], out["requests"])


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n") + '"'


def sticker_script(room: LiveRoom, path: Path, part: int = 0, parts: int = 1) -> int:
    """A wrk script placing part ``part`` of ``parts`` of every phone's stickers in the room's open round; how
    many stickers it places."""
    requests = []
    for n in range(STICKERS_PER_PERSON):
        for p, phone in enumerate(room.phones):  # interleaved: every phone's first sticker, then the second ...
            factor = room.factors[(n + p) % len(room.factors)]
            cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
            headers = (
                "{"
                f'["cookie"] = {lua_string(cookie)}, ["x-csrf-token"] = {lua_string(phone.csrf)}, '
                '["content-type"] = "application/json", ["accept-language"] = "en"'
                "}"
            )
            body = lua_string(json.dumps({"factor_id": factor}))
            requests.append(f'wrk.format("POST", {lua_string(room.stickers_url())}, {headers}, {body})')
    requests = requests[part * len(requests) // parts : (part + 1) * len(requests) // parts]
    path.write_text(_STICKERS % {"requests": ",\n".join(requests)} + _DONE)
    return len(requests)


class Baseline:
    """bench/baseline_app.py in a subprocess."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(_ROOT / "bench" / "baseline_app.py"), "--port", str(self.port)],
                cwd=_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        with httpx.Client(timeout=2) as client:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if client.get(f"{self.url}/ping").status_code == 200:
                        return
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the baseline app did not start")
                time.sleep(0.05)  # polling interval while waiting for readiness (a condition with a deadline)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _combined(runs: list[Run]) -> Run:
    """Slices of one kind as one run: the mean of their rates, every error, the worst p99."""
    return Run(
        statistics.mean(r.rate for r in runs),
        sum(r.errors for r in runs),
        statistics.median(r.p50_ms for r in runs),
        max(r.p99_ms for r in runs),
        sum(r.placed for r in runs),
        sum(r.requests for r in runs),
        sum(r.cpu for r in runs),
        sum(r.cpu_db for r in runs),
    )


def measure(
    baseline: Baseline,
    server: LiveServer,
    room: LiveRoom,
    tmp: Path,
    blocks: int,
    seconds: float,
    connections: int,
    slices: int,
) -> list[dict[str, Run]]:
    """Per block: ``slices`` rounds of (bare, ping, a slice of the stickers), so that all three see the same
    moments of a shared machine; every block in a fresh round, its total checked in the results."""
    plain = tmp / "plain.lua"
    plain.write_text(_DONE)
    assert server.process is not None
    ours = server.process.pid
    results: list[dict[str, Run]] = []
    for block in range(blocks):
        if block:
            room.owner.post(room.url(f"/rounds/{room.round_id}/close")).raise_for_status()
            room.new_round(stickers_per_person=STICKERS_PER_PERSON, max_per_factor=STICKERS_PER_PERSON)
        runs: dict[str, list[Run]] = {"bare": [], "ping": [], "sticker": []}
        expected = 0
        for part in range(slices):
            each = seconds / slices
            bare = metered(baseline.process.pid, f"{baseline.url}/ping", plain, seconds=each, connections=connections)
            runs["bare"].append(bare)
            ping = metered(ours, f"{server.url}/api/v1/ping", plain, seconds=each, connections=connections)
            runs["ping"].append(ping)
            script = tmp / f"stickers-{block}-{part}.lua"
            expected += sticker_script(room, script, part, slices)
            runs["sticker"].append(metered(ours, server.url, script, seconds=300, connections=connections))
        combined = {kind: _combined(kind_runs) for kind, kind_runs in runs.items()}
        total = sum(room.results().values())
        if total != expected or combined["sticker"].placed != expected:
            placed = combined["sticker"].placed
            raise RuntimeError(f"block {block}: {placed} placed, {total} in the results, {expected} sent")
        results.append(combined)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one short block with 5 phones (for the test suite)")
    parser.add_argument("--blocks", type=int, default=3, help="alternating bare/ping/sticker blocks (default 3)")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds of bare and of ping per block (default 8)")
    parser.add_argument("--phones", type=int, default=60, help="joined phones, 20 stickers each (default 60)")
    parser.add_argument("--connections", type=int, default=30, help="wrk connections, i.e. at once (default 30)")
    parser.add_argument("--slices", type=int, default=4, help="bare/ping/sticker slices per block (default 4)")
    add_server_options(parser)
    args = parser.parse_args(argv)
    blocks, seconds, phones, slices = (
        (1, 1.0, 5, 1) if args.smoke else (args.blocks, args.seconds, args.phones, args.slices)
    )
    wrk_binary()

    with bench_server(args, "wrk") as bench:
        baseline = Baseline(bench.data_dir / "baseline.log")
        try:
            settings = {"stickers_per_person": STICKERS_PER_PERSON, "max_per_factor": STICKERS_PER_PERSON}
            room = build_room(bench.server.url, participants=phones, factors=10, round_settings=settings)
            try:
                results = measure(
                    baseline, bench.server, room, bench.data_dir, blocks, seconds, args.connections, slices
                )
            finally:
                room.close()
        finally:
            baseline.stop()
    ok = print_table(results, bench.database, bench.workers, args.connections, phones)
    return 0 if ok else 1


def print_table(results: list[dict[str, Run]], database: str, workers: int, connections: int, phones: int) -> bool:
    """Print the blocks and the median ratios; whether there was no error."""
    print(
        f"\nleerreview throughput (wrk) — {database}, {workers} worker(s), {connections} connections, "
        f"{len(results)} block(s), {phones * STICKERS_PER_PERSON} stickers per block\n"
    )
    print(
        f"{'block':<6} {'bare/s':>8} {'ping/s':>8} {'stickers/s':>10} {'ping:bare':>10} {'sticker:bare':>12} "
        f"{'sticker:ping':>12} {'errors':>6}"
    )
    for n, block in enumerate(results, 1):
        bare, ping, sticker = block["bare"].rate, block["ping"].rate, block["sticker"].rate
        errors = sum(run.errors for run in block.values())
        print(
            f"{n:<6} {bare:>8.0f} {ping:>8.0f} {sticker:>10.0f} {ping / bare:>10.0%} {sticker / bare:>12.0%} "
            f"{sticker / ping:>12.0%} {errors:>6}"
        )

    def median(key: str, over: str) -> float:
        return statistics.median(b[key].rate / b[over].rate for b in results)

    errors = sum(run.errors for block in results for run in block.values())
    ping_ratio, sticker_ratio, sticker_ping = (
        median("ping", "bare"),
        median("sticker", "bare"),
        median("sticker", "ping"),
    )
    latency = (
        statistics.median(b["sticker"].p50_ms for b in results),
        statistics.median(b["sticker"].p99_ms for b in results),
    )
    print()
    print(f"ping : bare (median)      {ping_ratio:>5.0%}   target ≥ {TARGET_PING:.0%}")
    print(f"sticker : bare (median)   {sticker_ratio:>5.0%}   target ≥ {TARGET_STICKER:.0%}")
    print(
        f"sticker : ping (median)   {sticker_ping:>5.0%}   "
        f"target (PostgreSQL, 2 workers) ≥ {TARGET_PG_STICKER_VS_PING:.0%}"
    )
    print(f"sticker latency p50/p99   {latency[0]:.1f} / {latency[1]:.1f} ms")
    cpu = {
        kind: (
            statistics.median(b[kind].per_request_ms(b[kind].cpu) for b in results),
            statistics.median(b[kind].per_request_ms(b[kind].cpu_db) for b in results),
        )
        for kind in ("bare", "ping", "sticker")
    }
    print(
        f"CPU per request (median)  bare {cpu['bare'][0]:.2f} ms, ping {cpu['ping'][0]:.2f} ms, "
        f"sticker {cpu['sticker'][0]:.2f} ms + the database server {cpu['sticker'][1]:.2f} ms"
    )
    print(f"errors                    {errors}")
    print(f"\nresult: {'OK' if not errors else 'FAILED'}")
    return not errors


if __name__ == "__main__":
    sys.exit(main())
