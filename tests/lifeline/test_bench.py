"""The life-line and date-parser benchmarks run in smoke mode."""

from tests.bench_runs import run_smoke


def test_bench_smoke() -> None:
    assert "100" in run_smoke("lifeline.py")


def test_dates_bench_smoke_prints_every_case() -> None:
    out = run_smoke("dates.py")
    assert "p50 ms" in out and "p99 ms" in out
    for case in ("phrase (", "hostile 100 kB text, refused", "longest allowed hostile text (200 chars)"):
        assert case in out, out
