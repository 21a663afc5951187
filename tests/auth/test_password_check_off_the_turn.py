"""Checking a password (argon2, tens of milliseconds of CPU) runs in a thread, without the request's database
turn: others use the database meanwhile, and the event loop stays free (issue 11, item 2)."""

import asyncio
import threading
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.models import User
from app.security import verify_password
from tests.world import BASE_URL, ENGLISH, PASSWORD, csrf_of


class HeldCheck:
    """A password check that waits until the test lets it finish (the app's ``check_password`` seam)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.on_loop = False

    def __call__(self, password_hash: str | None, password: str) -> bool:
        try:
            asyncio.get_running_loop()
            self.on_loop = True
        except RuntimeError:
            self.on_loop = False
        self.entered.set()
        assert self.release.wait(20)
        return verify_password(password_hash, password)


def _in_thread(work: Callable[[], int]) -> tuple[threading.Thread, list[int]]:
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    return thread, result


@pytest.mark.parametrize("route", ["form", "token"])
def test_others_use_the_database_while_a_password_is_checked(
    app: FastAPI, make_user: Callable[..., User], route: str
) -> None:
    user = make_user()
    held = HeldCheck()
    app.state.check_password = held
    with TestClient(app, base_url=BASE_URL, headers=ENGLISH) as client, TestClient(app, base_url=BASE_URL) as other:
        if route == "form":
            token = csrf_of(client.get("/login").text)
            data = {"email": user.email, "password": PASSWORD, "csrf_token": token}

            def log_in() -> int:
                return client.post("/login", data=data, follow_redirects=False).status_code
        else:

            def log_in() -> int:
                credentials = {"username": user.email, "password": PASSWORD}
                return client.post("/api/v1/auth/token", data=credentials).status_code

        login, login_status = _in_thread(log_in)
        try:
            assert held.entered.wait(20), "the password was never checked"
            # A page that needs a database turn, and a bare answer, while the check is still running:
            page, page_status = _in_thread(lambda: other.get("/login").status_code)
            page.join(10)
            assert page_status == [200], "the page waited for the password check"
            assert other.get("/api/v1/ping").status_code == 200
        finally:
            held.release.set()
            login.join(20)
    assert login_status == [303 if route == "form" else 200]
    assert not held.on_loop
