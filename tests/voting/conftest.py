"""Fixtures of the sticker-round API tests: the same room as the group-interview tests."""

from collections.abc import Iterator

import pytest

from tests.group_interview.rooms import Room, make_room, reset_join_limits
from tests.world import World


@pytest.fixture
def room(world: World) -> Iterator[Room]:
    """An open group interview with three consented participants (nobody joined yet)."""
    reset_join_limits(world.app)
    made = make_room(world, 3)
    yield made
    made.close()
