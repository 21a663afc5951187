"""bench/load.py --smoke runs end to end against a real server: exact totals, no errors, the latency table."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_load_bench_smoke_is_exact_and_prints_p95() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"^latency p95 \(ms\)\s+[\d.]+$", out, re.M), out
    assert re.search(r"^stickers placed / expected\s+27 / 27$", out, re.M), out
    assert re.search(r"^non-2xx answers\s+0$", out, re.M), out
    assert "result: OK" in out
