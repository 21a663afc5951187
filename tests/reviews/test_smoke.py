"""A first pass through the workspace API (the full matrix lives in test_access.py)."""

from fastapi.testclient import TestClient


def test_review_lifecycle(team, api_as) -> None:
    owner = api_as(team.owner)
    review = owner.get(f"/api/v1/reviews/{team.review_id}").json()
    assert review["role"] == "owner"
    assert review["current_phase"] == 1
    steps = owner.get(f"/api/v1/reviews/{team.review_id}/steps").json()
    assert [s["key"] for s in steps][:2] == ["case_selected", "participants_selected"]
    assert owner.get(f"/api/v1/reviews/{team.review_id}/readiness").json()["ready"] is False


def test_pages_render(team, browser_as) -> None:
    browser = browser_as(team.owner)
    for url in [
        "/",
        f"/reviews/{team.review_id}",
        f"/reviews/{team.review_id}/participants",
        f"/reviews/{team.review_id}/members",
        "/reviews/new",
        f"/reviews/{team.review_id}/erase",
    ]:
        response = browser.get(url)
        assert response.status_code == 200, (url, response.text[:2000])


def test_anonymous_redirected(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/reviews").status_code == 401
