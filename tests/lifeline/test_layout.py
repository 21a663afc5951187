"""Tests for the row packing of the life-line."""

import itertools
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline import Event, Lane, lanes_in_order, layout, parse_when
from tests.lifeline.lifeline_strategies import event_lists


@settings(max_examples=150, deadline=None)
@given(event_lists(), st.floats(min_value=1.0, max_value=120.0))
def test_no_overlap_each_event_once_and_stable(events: list[Event], days_per_char: float) -> None:
    placements = layout(events, days_per_char=days_per_char)
    assert Counter(p.event_id for p in placements) == Counter(e.id for e in events)
    lane_of = {e.id: e.lane for e in events}
    for placement in placements:
        assert placement.lane == lane_of[placement.event_id]
        assert placement.x_start <= placement.x_end
    by_row: dict[tuple[str, int], list[tuple[date, date]]] = {}
    for p in placements:
        by_row.setdefault((p.lane, p.row), []).append((p.x_start, p.x_end))
    for spans in by_row.values():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end < start
    assert layout(list(reversed(events)), days_per_char=days_per_char) == placements


def test_covers_vague_range_and_label(events: list[Event]) -> None:
    placements = {p.event_id: p for p in layout(events, days_per_char=30)}
    for event in events:
        p = placements[event.id]
        assert p.x_start <= event.earliest()
        assert p.x_end >= event.latest()


def test_open_ended_period_reaches_the_horizon() -> None:
    events = [
        Event(id=1, title="Hulp", when=parse_when("sinds 2015"), lane="care"),
        Event(id=2, title="Later", when=parse_when("2020"), lane="family"),
    ]
    placement = layout(events, days_per_char=1)[0]
    assert placement.x_end >= parse_when("2020").latest()


def test_lanes_in_order(events: list[Event]) -> None:
    extra = [
        Event(id="z", title="x", when=parse_when("2019"), lane="Vader"),
        Event(id="y", title="x", when=parse_when("2019"), lane="Noor"),
    ]
    assert lanes_in_order(events + extra) == ["family", "care", "safety", "school", "Noor", "Vader"]
    assert lanes_in_order([], all_standard=True) == list(Lane.STANDARD)
