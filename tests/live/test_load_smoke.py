"""bench/load.py --smoke runs end to end against a real server: exact totals, no errors, the latency table."""

import re

import pytest

from tests.bench_runs import run_smoke

pytestmark = pytest.mark.slow


def test_load_bench_smoke_is_exact_and_prints_p95() -> None:
    out = run_smoke("load.py")
    assert re.search(r"^latency p95 \(ms\)\s+[\d.]+$", out, re.M), out
    assert re.search(r"^stickers placed / expected\s+27 / 27$", out, re.M), out
    assert re.search(r"^non-2xx answers\s+0$", out, re.M), out
    assert "result: OK" in out
