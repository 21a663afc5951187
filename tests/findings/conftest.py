"""Fixtures of the findings-tree tests: a fresh review of the shared world, with an empty tree."""

import pytest

from tests.findings.trees import empty_review
from tests.world import Ids, World


@pytest.fixture
def ids(world: World) -> Ids:
    """A fresh review (members of every role, a participant) whose findings tree is still empty."""
    return empty_review(world)
