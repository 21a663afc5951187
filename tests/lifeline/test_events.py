"""Tests for life-line events and pins."""

import pytest

from lifeline import DateParseError, Event, Period, Pin, parse_when, pin_when


def test_from_text_with_until_makes_a_period() -> None:
    event = Event.from_text(id=1, title="Psycholoog", when="2018", until="2020", lane="hulp")
    assert isinstance(event.when, Period)
    assert event.lane == "care"
    assert event.date_text() == "2018–2020"


def test_from_text_accepts_a_period_in_when_and_open_until() -> None:
    assert Event.from_text(id=1, title="x", when="2014-2017").is_period
    open_event = Event.from_text(id=2, title="x", when="2022", until="heden")
    assert isinstance(open_event.when, Period) and open_event.when.open_ended


@pytest.mark.parametrize(
    ("when", "until"), [("gisteren", None), ("2014", "later"), ("2014-2017", "2018"), ("2018", "2014")]
)
def test_from_text_rejects_bad_dates(when: str, until: str | None) -> None:
    with pytest.raises(DateParseError):
        Event.from_text(id=1, title="x", when=when, until=until)


def test_event_validation() -> None:
    with pytest.raises(ValueError):
        Event(id=1, title="  ", when=parse_when("2014"))
    with pytest.raises(ValueError):
        Event(id=1, title="x", when=parse_when("2014"), status="maybe")  # type: ignore[arg-type]
    assert Event(id=1, title="x", when=parse_when("2014"), status="bevestigd").status == "confirmed"  # type: ignore[arg-type]
    assert Event(id=1, title="x", when=parse_when("2014"), lane=" Noor ").lane == "Noor"


def test_pins(events: list[Event]) -> None:
    pin = Pin(kind="success", label="Eén casemanager", event_id=14)
    assert pin_when(pin, events) == events[13].when
    assert pin_when(Pin(kind="hindering", label="x", event_id=999), events) is None
    with pytest.raises(ValueError):
        Pin(kind="success", label="x")
    with pytest.raises(ValueError):
        Pin(kind="neutral", label="x", at=parse_when("2014"))  # type: ignore[arg-type]
