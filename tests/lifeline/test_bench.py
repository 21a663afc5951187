"""The life-line benchmark runs in smoke mode."""

from tests.bench_runs import run_smoke


def test_bench_smoke() -> None:
    assert "100" in run_smoke("lifeline.py")
