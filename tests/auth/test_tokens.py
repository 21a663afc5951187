"""API bearer tokens: POST /api/v1/auth/token (OAuth2 password style)."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.auth.models import User
from tests.world import PASSWORD


def test_token_endpoint_returns_a_bearer_token(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    response = client.post("/api/v1/auth/token", data={"username": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"}
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 22
    me = client.get("/api/v1/me", headers={"authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["email"] == user.email


def test_wrong_password_gives_401_with_a_clear_message(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    response = client.post(
        "/api/v1/auth/token",
        data={"username": user.email, "password": "wrong"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "E-mail address or password is not correct."}
    assert response.headers["www-authenticate"] == "Bearer"


def test_missing_token_fields_give_422(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "a@example.org"}, headers={"accept-language": "en"})
    assert response.status_code == 422
    assert {"field": "password", "message": "This field is required."} in response.json()["errors"]


def test_a_bad_or_wrong_kind_of_token_is_refused(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    assert client.get("/api/v1/me", headers={"authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get("/api/v1/me", headers={"authorization": "Basic abc"}).status_code == 401
    # A browser session id is not an API token.
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    session_id = client.cookies["leerreview"]
    client.cookies.clear()
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {session_id}"}).status_code == 401
