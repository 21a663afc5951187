"""Fixtures of the share-back tests: a review with a findings tree, consented participants and a meeting."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "group_interview"))  # the room's phone kit

from gi_kit import reset_join_limits
from sb_kit import Meeting, make_meeting
from world import World


@pytest.fixture
def meeting(world: World) -> Iterator[Meeting]:
    """An open share-back meeting with three consented participants (nobody joined yet)."""
    reset_join_limits(world.app)
    made = make_meeting(world, 3)
    yield made
    made.close()
