"""Logging in and out through the form: the session cookie, rotation, logout, wrong passwords."""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.auth.models import AuthSession, User
from app.config import Settings
from app.main import create_app
from app.security import token_hash
from tests.world import BASE_URL, PASSWORD, csrf_of


def _login(client: TestClient, email: str, password: str = PASSWORD, next: str = "/"):  # type: ignore[no-untyped-def]
    client.headers["accept-language"] = "en"
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": next},
        follow_redirects=False,
    )


def _session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("leerreview="))
    return cookie.split(";")[0].split("=", 1)[1]


def test_login_sets_an_httponly_lax_session_cookie(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    response = _login(client, user.email, next="/reviews/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/reviews/new"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("leerreview="))
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags
    assert client.get("/", follow_redirects=False).status_code == 200


def test_https_base_url_makes_the_cookie_secure_and_host_prefixed(
    settings: Settings, make_user: Callable[..., User]
) -> None:
    user = make_user()
    app = create_app(settings.model_copy(update={"base_url": "https://leerreview.example.org"}))
    with TestClient(app, base_url="https://leerreview.example.org") as client:
        page = client.get("/login")
        pre = " ".join(page.headers.get_list("set-cookie"))
        assert "__Host-leerreview-pre=" in pre and "Secure" in pre
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-leerreview="))
        flags = [part.strip().lower() for part in cookie.split(";")]
        assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(flags)
        assert not any(flag.startswith("domain=") for flag in flags)  # __Host- forbids a Domain
        assert client.get("/", follow_redirects=False).status_code == 200
    app.state.engine.dispose()


def test_login_rotates_the_session_id(client: TestClient, make_user: Callable[..., User], db: Session) -> None:
    user = make_user()
    planted = "attacker-chosen-session-id"
    client.cookies.set("leerreview", planted)
    response = _login(client, user.email)
    assert response.status_code == 303
    first = _session_cookie(response)
    assert first != planted
    assert first != client.cookies["leerreview-pre"]  # the pre-login binding never becomes the session
    assert db.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(planted))).first() is None
    db.commit()  # end the read: every transaction takes the write lock (BEGIN IMMEDIATE); commit keeps `user` loaded

    # Logging in again (e.g. as someone else on a shared laptop) gives a new id and ends the old session.
    client.cookies.clear()
    client.cookies.set("leerreview", first)
    again = _login(client, user.email)
    assert again.status_code == 303
    assert _session_cookie(again) != first
    with TestClient(client.app, base_url=BASE_URL) as other:  # type: ignore[arg-type]
        other.cookies.set("leerreview", first)
        assert other.get("/", follow_redirects=False).status_code == 303


def test_the_session_token_is_random_and_stored_only_as_a_hash(
    client: TestClient, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    _login(client, user.email)
    token = client.cookies["leerreview"]
    assert len(token) >= 22  # at least 128 bits of URL-safe base64
    stored = db.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash


def test_logout_ends_the_session_on_the_server(app: FastAPI, make_user: Callable[..., User]) -> None:
    user = make_user()
    with TestClient(app, base_url=BASE_URL) as client:
        _login(client, user.email)
        cookie = client.cookies["leerreview"]
        csrf = csrf_of(client.get("/").text)
        response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    with TestClient(app, base_url=BASE_URL) as replay:
        replay.cookies.set("leerreview", cookie)
        assert replay.get("/", follow_redirects=False).status_code == 303
        assert replay.get("/api/v1/me").status_code == 401


def test_wrong_password_is_refused_with_a_clear_message(
    client: TestClient, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    response = _login(client, user.email, password="not the password")
    assert response.status_code == 401
    assert "E-mail address or password is not correct." in response.text
    assert "leerreview=" not in " ".join(response.headers.get_list("set-cookie"))
    unknown = _login(client, "nobody@example.org")
    assert unknown.status_code == 401
    assert "E-mail address or password is not correct." in unknown.text  # no hint whether the account exists


def test_login_form_with_missing_fields_answers_422(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"csrf_token": token, "email": "a@example.org"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_open_redirects_are_not_followed(client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user()
    for target in ("https://evil.example", "//evil.example", "/\\evil.example"):
        assert _login(client, user.email, next=target).headers["location"] == "/"


def test_logins_and_failures_are_audited(client: TestClient, make_user: Callable[..., User], db: Session) -> None:
    user = make_user()
    _login(client, user.email, password="wrong password!")
    _login(client, user.email)
    actions = db.exec(
        select(AuditEntry.action).where(AuditEntry.actor == f"user:{user.id}").order_by(col(AuditEntry.id))
    ).all()
    assert actions == ["login.failed", "login"]
