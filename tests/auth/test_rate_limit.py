"""Login rate limits per client and account lockout after repeated failures."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import User
from app.config import Settings
from app.main import create_app
from app.security import RateLimiter
from tests.world import BASE_URL, ENGLISH, PASSWORD, csrf_of


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def strict_app(settings: Settings) -> Iterator[FastAPI]:
    """The app with 3 login attempts per minute and a lockout after 3 failures."""
    application = create_app(settings.model_copy(update={"login_attempts_per_minute": 3, "lockout_after_failures": 3}))
    yield application
    application.state.engine.dispose()


def _token(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def test_rate_limiter_window_with_a_clock() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 60, clock=clock)
    assert limiter.hit("a") and limiter.hit("a")
    assert not limiter.hit("a")
    assert limiter.hit("b")  # per key
    assert limiter.retry_after("a") == 60
    clock.now += 59.5
    assert limiter.retry_after("a") == 1
    clock.now += 0.5
    assert limiter.hit("a")
    limiter.reset("a")
    assert limiter.retry_after("a") == 0


def test_too_many_logins_from_one_client_give_429_with_retry_after(
    strict_app: FastAPI, make_user: Callable[..., User]
) -> None:
    clock = FakeClock()
    strict_app.state.login_limiter = RateLimiter(3, 60, clock=clock)
    user = make_user()
    with TestClient(strict_app, base_url=BASE_URL, headers=ENGLISH) as client:
        for _ in range(3):
            assert _token(client, "nobody@example.org", "wrong").status_code == 401
        refused = _token(client, user.email, PASSWORD)  # even right credentials wait
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "60"
        assert refused.json()["detail"] == "Too many login attempts. Please wait 60 seconds and try again."

        page = client.get("/login")
        form = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_of(page.text)})
        assert form.status_code == 429 and "Too many login attempts" in form.text
        assert int(form.headers["retry-after"]) > 0

        clock.now += 61
        assert _token(client, user.email, PASSWORD).status_code == 200


def test_repeated_failures_lock_the_account(strict_app: FastAPI, make_user: Callable[..., User], db: Session) -> None:
    strict_app.state.login_limiter = RateLimiter(100, 60)  # only the lockout is under test here
    user = make_user()
    with TestClient(strict_app, base_url=BASE_URL, headers=ENGLISH) as client:
        for _ in range(3):
            assert _token(client, user.email, "wrong").status_code == 401
        locked = _token(client, user.email, PASSWORD)
        assert locked.status_code == 429
        assert "This account is locked after too many failed attempts" in locked.json()["detail"]
        assert int(locked.headers["retry-after"]) >= 60
        db.refresh(user)
        assert user.locked_until is not None
        user.locked_until = None  # the lockout is over
        db.add(user)
        db.commit()
        assert _token(client, user.email, PASSWORD).status_code == 200
