"""Fixtures of the share-back tests: a review with a findings tree, consented participants and a meeting."""

from collections.abc import Iterator

import pytest

from tests.group_interview.rooms import reset_join_limits
from tests.share_back.meetings import Meeting, make_meeting
from tests.world import World


@pytest.fixture
def meeting(world: World) -> Iterator[Meeting]:
    """An open share-back meeting with three consented participants (nobody joined yet)."""
    reset_join_limits(world.app)
    made = make_meeting(world, 3)
    yield made
    made.close()
