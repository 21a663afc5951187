"""Fixtures for the life-line tests: the fictional demo case "gezin Bakker"."""

import sys
from pathlib import Path

# tests/ is on sys.path (tests/conftest.py has no package), so this folder would shadow the real ``lifeline``
# package as a namespace package unless the repository root is on sys.path too.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import pytest  # noqa: E402
from lifeline_demo import demo_events, demo_pins  # noqa: E402

from lifeline import Event, Pin  # noqa: E402


@pytest.fixture
def events() -> list[Event]:
    """The demo case's events."""
    return demo_events()


@pytest.fixture
def pins() -> list[Pin]:
    """The demo case's pins."""
    return demo_pins()
