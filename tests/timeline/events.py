"""Helpers for the life-line service tests: URLs and adding events through the API."""

from typing import Any

from fastapi.testclient import TestClient


def events_url(review_id: int, *rest: object) -> str:
    """``/api/v1/reviews/{id}/lifeline/events[/rest...]``."""
    tail = "".join(f"/{part}" for part in rest)
    return f"/api/v1/reviews/{review_id}/lifeline/events{tail}"


def lifeline_url(review_id: int, name: str) -> str:
    """``/api/v1/reviews/{id}/lifeline.csv`` and the like (``name`` is "figure", "lifeline.csv", ...)."""
    return (
        f"/api/v1/reviews/{review_id}/{name}"
        if name.startswith("lifeline.")
        else (f"/api/v1/reviews/{review_id}/lifeline/{name}")
    )


def add_event(client: TestClient, review_id: int, **fields: Any) -> dict[str, Any]:
    """Add an event through the API (defaults for what is not given) and return it as read back."""
    body: dict[str, Any] = {"title": "Noor geboren", "when": "2008", "lane": "family", "description": ""}
    body.update(fields)
    response = client.post(events_url(review_id), json=body)
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    return event
