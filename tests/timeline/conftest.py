"""Fixtures for the life-line service tests."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import User


@pytest.fixture
def owner_api(team: Any, api_as: Callable[[User], TestClient]) -> TestClient:
    """The review owner's bearer-token client."""
    return api_as(team.owner)
