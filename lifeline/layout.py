"""Row packing for the life-line: which row of its lane each event takes so that nothing overlaps."""

import heapq
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lifeline._labels import MAX_LABEL_CHARS, event_label
from lifeline.dates import Period
from lifeline.events import Event, EventId, Lane


@dataclass(frozen=True)
class Placement:
    """Where one event is drawn: its lane, its row in that lane and its horizontal extent including the label."""

    event_id: EventId
    lane: str
    row: int
    x_start: date
    x_end: date


def lanes_in_order(events: Iterable[Event], *, all_standard: bool = False) -> list[str]:
    """Return the lanes in use: family, care, safety, school first, then members' lanes alphabetically."""
    used = {event.lane for event in events}
    standard = [lane for lane in Lane.STANDARD if all_standard or lane in used]
    others = sorted(used.difference(Lane.STANDARD), key=lambda lane: (lane.lower(), lane))
    return standard + others


def horizon_of(events: Iterable[Event]) -> date | None:
    """Return the latest day of all events: where open-ended periods are drawn up to."""
    return max((event.latest() for event in events), default=None)


@dataclass(frozen=True)
class _Item:
    """What the packing needs to know of one event, computed once."""

    event_id: EventId
    lane: str
    start: date
    end: date
    anchor: date
    label_chars: int


def _items(
    events: Sequence[Event],
    *,
    lang: str,
    max_label_chars: int,
    horizon: date,
    point_lanes: Collection[str],
) -> list[_Item]:
    """Return the events' packing items in life-line order (earliest, title, id)."""
    items: list[_Item] = []
    for event in sorted(events, key=Event.sort_key):
        start = event.earliest()
        end = max(event.latest(), horizon) if _open_ended(event) else event.latest()
        as_point = not event.is_period or event.lane in point_lanes
        anchor = event.when.midpoint() if as_point else start
        label_chars = len(event_label(event, lang, max_label_chars)) + 2  # marker and a little air
        items.append(_Item(event.id, event.lane, start, end, anchor, label_chars))
    return items


def _pack(items: Sequence[_Item], days_per_char: float) -> list[Placement]:
    """First-fit interval packing: each item takes the lowest row of its lane that is free at its start.

    Items come sorted by start, so a row that is free for one item stays free for all later ones: two heaps
    (busy rows by end, free rows by index) make this O(n log n) instead of scanning every row.
    """
    gap = timedelta(days=max(1.0, days_per_char))
    busy: dict[str, list[tuple[date, int]]] = {}
    free: dict[str, list[int]] = {}
    count: dict[str, int] = {}
    placements: list[Placement] = []
    for item in items:
        x_end = max(item.end, item.anchor + timedelta(days=max(1.0, item.label_chars * days_per_char)))
        lane_busy = busy.setdefault(item.lane, [])
        lane_free = free.setdefault(item.lane, [])
        while lane_busy and lane_busy[0][0] < item.start:
            heapq.heappush(lane_free, heapq.heappop(lane_busy)[1])
        if lane_free:
            row = heapq.heappop(lane_free)
        else:
            row = count.get(item.lane, 0)
            count[item.lane] = row + 1
        heapq.heappush(lane_busy, (x_end + gap, row))
        placements.append(Placement(item.event_id, item.lane, row, item.start, x_end))
    return placements


def _open_ended(event: Event) -> bool:
    return isinstance(event.when, Period) and event.when.open_ended


class Packer:
    """Packs one set of events repeatedly at different scales (the figure refines its scale a few times)."""

    def __init__(
        self,
        events: Sequence[Event],
        *,
        lang: str = "nl",
        max_label_chars: int = MAX_LABEL_CHARS,
        horizon: date | None = None,
        point_lanes: Collection[str] = (),
    ) -> None:
        end_of_line = horizon or horizon_of(events)
        self._items = (
            []
            if end_of_line is None
            else _items(
                events,
                lang=lang,
                max_label_chars=max_label_chars,
                horizon=end_of_line,
                point_lanes=point_lanes,
            )
        )

    def pack(self, days_per_char: float) -> list[Placement]:
        """Return the placements for a scale of ``days_per_char`` days per label character."""
        if days_per_char <= 0:
            raise ValueError("days_per_char must be positive")
        return _pack(self._items, days_per_char)


def layout(
    events: Sequence[Event],
    *,
    days_per_char: float,
    lang: str = "nl",
    max_label_chars: int = MAX_LABEL_CHARS,
    horizon: date | None = None,
    point_lanes: Collection[str] = (),
) -> list[Placement]:
    """Pack events greedily into rows per lane, in life-line order (earliest, title, id), without overlap.

    A placement spans the event's vague range (open-ended periods up to ``horizon``, by default the latest day
    of all events) and its label: drawn from a period's start, and right of a point's marker at its midpoint;
    events in ``point_lanes`` are all drawn as points.
    """
    packer = Packer(events, lang=lang, max_label_chars=max_label_chars, horizon=horizon, point_lanes=point_lanes)
    return packer.pack(days_per_char)


def rows_per_lane(placements: Iterable[Placement]) -> dict[str, int]:
    """Return how many rows each lane needs."""
    counts: dict[str, int] = {}
    for placement in placements:
        counts[placement.lane] = max(counts.get(placement.lane, 0), placement.row + 1)
    return counts
