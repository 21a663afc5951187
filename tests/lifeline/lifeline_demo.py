"""The fictional demo case "gezin Bakker" as life-line events and pins, for the tests and the bench."""

from lifeline import Event, Pin, parse_when
from lifeline.demo_case import EVENTS, SUPERVISION_ORDER

# (when, until, lane, title, source) — the demo case's life-line as the service's demo holds it, with the
# supervision order at its corrected date (okt. 2021), vague dates kept vague.
DEMO_ROWS: list[tuple[str, str | None, str, str, str]] = [
    ("okt. 2021" if title == SUPERVISION_ORDER else when, until, lane, title, source)
    for when, until, lane, title, source in EVENTS
]


def demo_events() -> list[Event]:
    """Return the demo case's 21 life-line events."""
    return [
        Event.from_text(
            id=index,
            title=title,
            when=when,
            until=until,
            lane=lane,
            sources=[source],
            status="confirmed",
            organisation="Jeugd-GGZ De Linde" if "De Linde" in title else None,
        )
        for index, (when, until, lane, title, source) in enumerate(DEMO_ROWS, start=1)
    ]


def demo_pins() -> list[Pin]:
    """Return moments of good and no good help named in the demo group interview."""
    return [
        Pin(kind="success", label="Eén casemanager met mandaat", event_id=14),
        Pin(kind="success", label="Dagelijkse zorg tijdelijk overgenomen", at=parse_when("zomer 2022")),
        Pin(kind="success", label="Tempo van het gezin gevolgd", event_id=19),
        Pin(kind="hindering", label="Drie gezinsvoogden in korte tijd", event_id=13),
        Pin(kind="hindering", label="Niemand sprak met Noor apart", at=parse_when("2014–2017")),
        Pin(kind="hindering", label="Info psycholoog bereikte school niet", at=parse_when("2019")),
    ]
