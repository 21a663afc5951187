"""bench/live.py --smoke runs end to end against a real server and prints its table."""

import re

import pytest

from tests.bench_runs import run_smoke

pytestmark = pytest.mark.slow


def test_live_bench_smoke_prints_the_table() -> None:
    out = run_smoke("live.py")
    assert "SQLite, 1 worker(s)" in out
    latency = re.search(r"^latency 5 screens \(ms p50/p95/p99\)\s+([\d.]+) / ([\d.]+) / ([\d.]+)", out, re.M)
    assert latency, out
    p50, p95, p99 = (float(x) for x in latency.groups())
    assert 0 < p50 <= p95 <= p99
    assert re.search(r"^latency 5 screens samples/errors\s+50 / 0\b", out, re.M), out
    for label in ("sequential", "concurrent x30"):
        row = re.search(rf"^throughput {label} \(stickers/s \| ping/s\)\s+(\d+) \| (\d+) = (\d+)%", out, re.M)
        assert row, out
        assert int(row.group(1)) > 0 and int(row.group(2)) > 0
    assert "errors" not in out.split("throughput", 1)[1], out  # no failed sticker or ping
