"""Benchmark: the date parser. Time per phrase (p50/p99 over a mix of Dutch and English phrases), the refusal of a
hostile 100 kB text, and the longest allowed hostile texts (those that offer the most ways to split a period)."""

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

# Run as ``python bench/dates.py``: this file's folder would shadow the ``lifeline`` package.
_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT / "bench"]
sys.path.insert(0, str(_ROOT))

from lifeline import DateParseError, parse_when  # noqa: E402
from lifeline.dates import MAX_TEXT_LENGTH  # noqa: E402
from lifeline.phrases import AnchorEvent, Context, Person, interpret  # noqa: E402

CONTEXT = Context(
    reference=date(2020, 3, 10),
    people=[Person(1, "Sem", parse_when("2010")), Person(2, "Noor", parse_when("12-05-2012"))],
    events=[
        AnchorEvent(10, "Verhuizing naar Utrecht", parse_when("sept. 2015")),
        AnchorEvent(12, "Opname GGZ", parse_when("voorjaar 2016")),
    ],
    named=["Sem"],
)
PHRASES = (
    "2014",
    "12-05-2012",
    "sept. 2015",
    "voorjaar 2016",
    "Q2 2016",
    "eind jaren '90",
    "van 2014 tot 2018",
    "2014–2017",
    "sinds 2022",
    "voor 2010",
    "schooljaar 2016/2017",
    "kerst 2019",
    "vorige zomer",
    "drie jaar geleden",
    "toen Sem 7 was",
    "in groep 8",
    "een jaar na de verhuizing",
    "vlak voor de opname",
    "last month",
    "between March 2014 and June 2015",
    "weet ik niet meer",
)
HOSTILE_100_KB = ("- " * 50_000, "1-" * 50_000, "x" * 100_000, "van " * 25_000, "2014 " * 20_000)
HOSTILE_ALLOWED = ("- " * 100, "1-" * 100, "2014-" * 40, "van " + "2014 tot " * 22, "1/" * 100, "'1" * 100)


def _read(text: str) -> None:
    with contextlib.suppress(DateParseError):
        interpret(text, CONTEXT)


def _times_ms(run: Callable[[], None], repeats: int) -> list[float]:
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    """Print the figures; ``--smoke`` runs each case a few times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="run each case a few times and exit")
    args = parser.parse_args()
    repeats = 3 if args.smoke else 200
    per_phrase = [t for text in PHRASES for t in _times_ms(lambda text=text: _read(text), repeats)]
    print(f"{'case':<44} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")

    def row(case: str, times: list[float]) -> None:
        print(f"{case:<44} {len(times):>6} {_p(times, 0.5):>8.3f} {_p(times, 0.99):>8.3f} {max(times):>8.3f}")

    row(f"phrase ({len(PHRASES)} kinds, nl/en)", per_phrase)
    refused = [t for cell in HOSTILE_100_KB for t in _times_ms(lambda cell=cell: _read(cell), repeats)]
    row("hostile 100 kB text, refused (too_long)", refused)
    allowed = [
        t for cell in HOSTILE_ALLOWED for t in _times_ms(lambda cell=cell: _read(cell[:MAX_TEXT_LENGTH]), repeats)
    ]
    row(f"longest allowed hostile text ({MAX_TEXT_LENGTH} chars)", allowed)
    print(f"mean per phrase: {statistics.fmean(per_phrase):.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
