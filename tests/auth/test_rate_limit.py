"""Login rate limits per client, and the slow-down per address after repeated failures (issue 11, item 6)."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.models import User
from app.config import Settings
from app.main import create_app
from app.security import MemoryBackoff, RateLimiter
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


def test_repeated_failures_slow_the_address_down_whether_it_has_an_account_or_not(
    strict_app: FastAPI, make_user: Callable[..., User]
) -> None:
    strict_app.state.login_limiter = RateLimiter(100, 60)  # only the slow-down is under test here
    strict_app.state.login_backoff = MemoryBackoff(3, 900, 60, clock=FakeClock())
    user = make_user()
    answers = []
    with TestClient(strict_app, base_url=BASE_URL, headers=ENGLISH) as client:
        for email in (user.email, "nobody@example.org"):
            for _ in range(3):
                assert _token(client, email, "wrong").status_code == 401
            answers.append(_token(client, email, PASSWORD if email == user.email else "wrong"))
    known, unknown = answers
    assert known.status_code == unknown.status_code == 429
    assert known.json() == unknown.json()  # nothing tells which address has an account
    assert known.json()["detail"] == "Too many failed attempts for this address. Please wait 1 seconds and try again."
    assert known.headers["retry-after"] == unknown.headers["retry-after"] == "1"


def test_failures_count_within_a_window_only(strict_app: FastAPI, make_user: Callable[..., User]) -> None:
    clock = FakeClock()
    strict_app.state.login_limiter = RateLimiter(100, 60)
    strict_app.state.login_backoff = MemoryBackoff(3, 900, 60, clock=clock)
    user = make_user()
    with TestClient(strict_app, base_url=BASE_URL, headers=ENGLISH) as client:
        for _ in range(2):
            assert _token(client, user.email, "wrong").status_code == 401
        clock.now += 16 * 60  # yesterday's typos do not add up with today's
        for _ in range(2):
            assert _token(client, user.email, "wrong").status_code == 401
        assert _token(client, user.email, PASSWORD).status_code == 200


def test_a_stranger_can_slow_an_account_down_but_never_lock_it(
    strict_app: FastAPI, make_user: Callable[..., User]
) -> None:
    clock = FakeClock()
    strict_app.state.login_limiter = RateLimiter(10_000, 60)
    strict_app.state.login_backoff = MemoryBackoff(3, 900, 60, clock=clock)
    user = make_user()
    waits = []
    with TestClient(strict_app, base_url=BASE_URL, headers=ENGLISH) as client:
        for _ in range(30):  # the stranger tries again as soon as allowed
            answer = _token(client, user.email, "wrong")
            if answer.status_code == 429:
                waits.append(int(answer.headers["retry-after"]))
                clock.now += waits[-1]
                assert _token(client, user.email, "wrong").status_code == 401
        assert waits == [1, 2, 4, 8, 16, 32] + [60] * (len(waits) - 6)  # it grows, up to a minute
        refused = _token(client, user.email, PASSWORD)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        clock.now += 60  # the owner waits a minute at most
        assert _token(client, user.email, PASSWORD).status_code == 200
        assert _token(client, user.email, "wrong").status_code == 401  # and the slate is clean again
