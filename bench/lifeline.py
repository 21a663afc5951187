"""Benchmark: build the life-line figure and its JSON for 100, 1,000 and 5,000 events against px.timeline."""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

# Run as ``python bench/lifeline.py``: this file's folder would shadow the ``lifeline`` package.
_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

from lifeline import Event, FuzzyDate, Period, Pin, build_figure, figure_json  # noqa: E402
from lifeline.dates import SEASONS  # noqa: E402

LANES = ("family", "care", "safety", "school")
WORDS = (
    "hulp",
    "gesprek",
    "school",
    "moeder",
    "vader",
    "noor",
    "opname",
    "melding",
    "wijkteam",
    "overleg",
    "verhuizing",
    "behandeling",
)


def synthetic_events(count: int, seed: int = 42) -> list[Event]:
    """Return ``count`` seeded random events: a realistic mix of moments, periods and vague dates."""
    rng = random.Random(seed)
    events: list[Event] = []
    for index in range(count):
        year = rng.randint(1995, 2024)
        kind = rng.random()
        approximate = rng.random() < 0.2
        if kind < 0.3:
            start = FuzzyDate(year, approximate=approximate)
        elif kind < 0.5:
            start = FuzzyDate(year, rng.randint(1, 12), approximate=approximate)
        elif kind < 0.6:
            start = FuzzyDate(year, season=rng.choice(SEASONS), approximate=approximate)
        else:
            day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            start = FuzzyDate(day.year, day.month, day.day)
        when: FuzzyDate | Period = start
        if rng.random() < 0.35:
            end = FuzzyDate(min(2025, start.year + rng.randint(0, 4)), approximate=rng.random() < 0.1)
            when = Period(start, end) if end.latest() >= start.earliest() else start
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 7))).capitalize()
        events.append(
            Event(
                id=index,
                title=title,
                when=when,
                lane=rng.choice(LANES),
                sources=[f"interview {rng.choice(WORDS)}"],
                status=rng.choice(("draft", "confirmed", "disputed")),
            )
        )
    return events


def synthetic_pins(events: list[Event], seed: int = 7) -> list[Pin]:
    """Return a handful of pins on random events, as a group interview would place them."""
    rng = random.Random(seed)
    chosen = rng.sample(events, min(8, len(events)))
    return [Pin(kind=rng.choice(("success", "hindering")), label=e.title[:30], event_id=e.id) for e in chosen]


def _median_ms(run: Callable[[], str], repeats: int) -> tuple[float, int]:
    times: list[float] = []
    size = 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = len(run())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def _baseline(events: list[Event]) -> Callable[[], str]:
    import pandas as pd
    import plotly.express as px

    def run() -> str:
        frame = pd.DataFrame(
            {
                "start": [e.earliest() for e in events],
                "end": [e.latest() for e in events],
                "lane": [e.lane for e in events],
                "title": [e.title for e in events],
            }
        )
        return str(px.timeline(frame, x_start="start", x_end="end", y="lane", hover_name="title").to_json())

    return run


def main() -> int:
    """Print a table of timings and JSON sizes; ``--smoke`` runs 100 events once."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="run 100 events once and exit")
    args = parser.parse_args()
    sizes, repeats = ((100,), 1) if args.smoke else ((100, 1_000, 5_000), 7)
    try:
        import pandas  # noqa: F401
        import plotly.express  # noqa: F401

        have_baseline = not args.smoke
    except ImportError:
        have_baseline = False
    print(
        f"{'events':>7} {'figure_json ms':>15} {'KB':>8} {'build_figure+to_json ms':>24} "
        f"{'px.timeline ms':>15} {'KB':>8} {'ratio':>6}"
    )
    for count in sizes:
        events = synthetic_events(count)
        pins = synthetic_pins(events)
        ms, size = _median_ms(lambda events=events, pins=pins: figure_json(events, pins), repeats)
        full_ms, _ = _median_ms(lambda events=events, pins=pins: str(build_figure(events, pins).to_json()), repeats)
        if have_baseline:
            base_ms, base_size = _median_ms(_baseline(events), repeats)
            baseline = f"{base_ms:>15.1f} {base_size / 1024:>8.1f} {ms / base_ms:>6.2f}"
        else:
            baseline = f"{'-':>15} {'-':>8} {'-':>6}"
        print(f"{count:>7} {ms:>15.1f} {size / 1024:>8.1f} {full_ms:>24.1f} {baseline}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
