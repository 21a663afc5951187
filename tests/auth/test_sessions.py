"""Server-side sessions: idle and absolute timeouts, and disabling an account ends every session and token."""

import datetime as dt
from collections.abc import Callable

from fastapi import FastAPI
from sqlmodel import Session, select

from app.auth.models import AuthSession, User
from app.auth.service import disable_user
from app.db.base import utcnow
from tests.world import bearer_client, form_client


def _only_session(db: Session, user: User, kind: str) -> AuthSession:
    return db.exec(select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.kind == kind)).one()


def test_idle_timeout_ends_the_session(app: FastAPI, make_user: Callable[..., User], db: Session) -> None:
    user = make_user()
    browser = form_client(app, user.email)
    auth = _only_session(db, user, "web")
    idle = dt.timedelta(minutes=app.state.settings.session_idle_minutes)
    auth.last_seen_at = utcnow() - idle + dt.timedelta(minutes=2)  # still inside the idle window
    db.add(auth)
    db.commit()
    assert browser.get("/").status_code == 200

    auth.last_seen_at = utcnow() - idle - dt.timedelta(seconds=1)
    db.add(auth)
    db.commit()
    response = browser.get("/reviews/new")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert browser.client.get("/api/v1/me").status_code == 401
    db.refresh(auth)
    assert auth.last_seen_at < utcnow() - idle  # a refused request does not revive the session
    db.commit()
    browser.client.close()


def test_absolute_timeout_ends_an_active_session(app: FastAPI, make_user: Callable[..., User], db: Session) -> None:
    user = make_user()
    browser = form_client(app, user.email)
    auth = _only_session(db, user, "web")
    lifetime = auth.expires_at - auth.created_at
    assert abs(lifetime - dt.timedelta(hours=app.state.settings.session_absolute_hours)) < dt.timedelta(seconds=5)
    auth.expires_at = utcnow() - dt.timedelta(seconds=1)
    auth.last_seen_at = utcnow()  # in use a moment ago: only the absolute limit applies
    db.add(auth)
    db.commit()
    assert browser.get("/").status_code == 303
    assert browser.client.get("/api/v1/me").status_code == 401
    browser.client.close()


def test_disabling_a_user_ends_their_sessions_and_tokens(
    app: FastAPI, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    browser = form_client(app, user.email)
    api = bearer_client(app, user.email)
    assert browser.get("/").status_code == 200
    assert api.get("/api/v1/me").json()["email"] == user.email

    disable_user(session=db, user=user)
    db.commit()

    assert browser.get("/").status_code == 303
    assert api.get("/api/v1/me").status_code == 401
    sessions = db.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    assert len(sessions) == 2 and all(s.revoked_at is not None for s in sessions)
    db.commit()
    login = api.post("/api/v1/auth/token", data={"username": user.email, "password": "correct horse battery"})
    assert login.status_code == 401  # and a disabled account cannot log in again
    browser.client.close()
    api.close()
