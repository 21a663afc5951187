"""Fixtures of the sticker-round API tests: the same room as the group-interview tests."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "group_interview"))

from gi_kit import Room, make_room, reset_join_limits
from world import World


@pytest.fixture
def room(world: World) -> Iterator[Room]:
    """An open group interview with three consented participants (nobody joined yet)."""
    reset_join_limits(world.app)
    made = make_room(world, 3)
    yield made
    made.close()
