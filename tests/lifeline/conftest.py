"""Fixtures for the life-line tests: the fictional demo case "gezin Bakker"."""

import pytest

from lifeline import Event, Pin
from tests.lifeline.lifeline_demo import demo_events, demo_pins


@pytest.fixture
def events() -> list[Event]:
    """The demo case's events."""
    return demo_events()


@pytest.fixture
def pins() -> list[Pin]:
    """The demo case's pins."""
    return demo_pins()
