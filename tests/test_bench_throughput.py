"""bench/throughput.py --smoke runs wrk against the bare app, our ping and sticker POSTs and prints the ratios."""

import re

import pytest

from tests.bench_runs import run_smoke

pytestmark = pytest.mark.slow


def test_throughput_bench_smoke_places_every_sticker_and_prints_the_ratios() -> None:
    out = run_smoke("throughput.py")
    assert "SQLite, 1 worker(s), 30 connections, 1 block(s), 100 stickers per block" in out, out
    row = re.search(r"^1\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s+\d+%\s+\d+%\s+0$", out, re.M)
    assert row, out
    assert all(int(n) > 0 for n in row.groups()), out
    for label in ("ping : bare", "sticker : bare", "sticker : ping"):
        assert re.search(rf"^{label} \(median\)\s+\d+%", out, re.M), out
    assert "result: OK" in out
