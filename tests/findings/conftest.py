"""Fixtures of the findings-tree tests: a fresh review of the shared world, with an empty tree."""

import pytest
from findings_kit import empty_review
from world import Ids, World


@pytest.fixture
def ids(world: World) -> Ids:
    """A fresh review (members of every role, a participant) whose findings tree is still empty."""
    return empty_review(world)
