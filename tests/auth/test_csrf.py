"""CSRF: every state-changing form needs this session's token, and cross-site requests are refused."""

import pytest

from tests.test_access_matrix import ACCOUNT_ROUTES, PUBLIC_ROUTES, REVIEW_ROUTES
from tests.world import Ids, World, snapshot

FORM_ROUTES = sorted(path for method, path in REVIEW_ROUTES if method == "POST" and not path.startswith("/api/"))
OTHER_FORMS = sorted(
    path for method, path in ACCOUNT_ROUTES | PUBLIC_ROUTES if method == "POST" and not path.startswith("/api/")
)


def _form(ids: Ids, path: str) -> dict[str, str]:
    return {key: str(value) for key, value in (REVIEW_ROUTES[("POST", path)].body(ids) or {}).items()}


@pytest.mark.parametrize("path", FORM_ROUTES)
def test_review_forms_refuse_a_missing_or_foreign_token(world: World, ids: Ids, path: str) -> None:
    owner = world.pages["owner"].client
    url, data = ids.url(path), _form(ids, path)
    before = snapshot(world.engine)

    assert owner.post(url, data=data, follow_redirects=False).status_code == 403
    foreign = world.pages["researcher"].csrf  # a valid token, but of another session
    assert owner.post(url, data={**data, "csrf_token": foreign}, follow_redirects=False).status_code == 403
    anonymous = world.pages["anonymous"].csrf  # the pre-login token of another browser
    assert owner.post(url, data={**data, "csrf_token": anonymous}, follow_redirects=False).status_code == 403
    assert snapshot(world.engine) == before

    response = world.pages["owner"].post(url, data)  # the control: with its own token it gets through
    assert response.status_code == REVIEW_ROUTES[("POST", path)].ok


@pytest.mark.parametrize("path", FORM_ROUTES)
@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}],
    ids=["origin", "sec-fetch-site-cross", "sec-fetch-site-same-site"],
)
def test_cross_site_requests_are_refused_even_with_a_valid_token(
    world: World, ids: Ids, path: str, headers: dict[str, str]
) -> None:
    before = snapshot(world.engine)
    response = world.pages["owner"].post(ids.url(path), _form(ids, path), headers=headers)
    assert response.status_code == 403
    assert "This request came from another site and was refused." in response.text
    assert snapshot(world.engine) == before


def test_same_origin_headers_are_accepted(world: World, ids: Ids) -> None:
    path = "/reviews/{review_id}/edit"
    headers = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    assert world.pages["owner"].post(ids.url(path), _form(ids, path), headers=headers).status_code == 303


@pytest.mark.parametrize("path", OTHER_FORMS)
def test_account_forms_refuse_a_missing_token(world: World, path: str) -> None:
    before = snapshot(world.engine)
    data = {"title": "Zonder token", "language": "en", "email": "owner@example.org", "password": "x"}
    assert world.pages["owner"].client.post(path, data=data, follow_redirects=False).status_code == 403
    assert world.pages["anonymous"].client.post(path, data=data, follow_redirects=False).status_code == 403
    assert snapshot(world.engine) == before


def test_api_calls_with_a_session_cookie_need_the_csrf_header(world: World) -> None:
    """A browser's cookie is ambient authority: JSON calls riding on it need X-CSRF-Token too."""
    browser = world.pages["owner"]
    before = snapshot(world.engine)
    assert browser.client.post("/api/v1/reviews", json={"title": "Via cookie"}).status_code == 403
    assert snapshot(world.engine) == before
    response = browser.client.post(
        "/api/v1/reviews", json={"title": "Via cookie"}, headers={"x-csrf-token": browser.csrf}
    )
    assert response.status_code == 201
