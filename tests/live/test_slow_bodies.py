"""A client that sends its request body slowly (or announces a huge one) holds only its own connection: the body
is read whole, bounded in time and size, before any handler takes a database turn (issue 11, item 3).

A real server on loopback, reached directly (the laptop mode and the container); the trickling client is a raw
socket. Every wait has a deadline; nothing sleeps to synchronise.
"""

import re
import select
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live.liveserver import HANG_SECONDS, LiveServer, prepare_database

GRACE_SECONDS = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("slow-bodies")
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    prepare_database(data_dir, migrate=False)
    env = {
        "LEERREVIEW_REQUEST_BODY_GRACE_SECONDS": str(GRACE_SECONDS),
        "LEERREVIEW_REQUEST_BODY_MIN_BYTES_PER_SECOND": "1000",
        "LEERREVIEW_REQUEST_MAX_BYTES": str(1024 * 1024),
    }
    live = LiveServer(data_dir, env=env).start()
    yield live
    live.stop()
    assert "Traceback" not in live.log(), live.log()


def _login_form(server: LiveServer) -> tuple[str, str]:
    """The pre-login cookie and the CSRF token of the log-in page, as anyone can fetch them."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return cookie, token.group(1)


def _open_post(server: LiveServer, path: str, length: int, extra: str = "") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    head = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1:{server.port}\r\naccept-language: en\r\n"
        f"content-type: application/x-www-form-urlencoded\r\ncontent-length: {length}\r\n{extra}\r\n"
    )
    sock.sendall(head.encode())
    return sock


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the socket's timeout is the deadline)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_trickled_body_does_not_hold_anyone_else_and_is_stopped(server: LiveServer) -> None:
    cookie, token = _login_form(server)
    # The CSRF token in a header: nothing needs the body before the handler, which waits for a database turn.
    sock = _open_post(server, "/login", 5000, f"x-csrf-token: {token}\r\ncookie: {cookie}\r\n")
    stop = threading.Event()

    def trickle() -> None:
        try:
            while not stop.wait(0.1):  # the attacker's pace: one byte every tenth of a second
                sock.sendall(b"e")
        except OSError:
            pass  # the server stopped listening to it

    writer = threading.Thread(target=trickle, daemon=True)
    writer.start()
    started = time.monotonic()
    try:
        probes = 0
        with httpx.Client(base_url=server.url, timeout=HANG_SECONDS) as other:
            # Others are served all the while: the first ones are answered before the trickled request is (a
            # server held by it would answer them only after its 408).
            while time.monotonic() - started < GRACE_SECONDS - 0.3 or probes < 3:
                assert other.get("/healthz").status_code == 200
                assert other.get("/login").status_code == 200
                if probes == 0:
                    assert select.select([sock], [], [], 0)[0] == [], "the trickled request was answered first"
                probes += 1
        answer = _answer(sock)
    finally:
        stop.set()
        writer.join(5)
        sock.close()
    # Stopped, not waited out: 5000 bytes at this pace would take over eight minutes, the socket gives up at 15 s.
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"connection: close" in answer.lower()
    assert b"sent too slowly" in answer


def test_an_announced_body_over_the_limit_is_refused_before_it_is_sent(server: LiveServer) -> None:
    sock = _open_post(server, "/api/v1/auth/token", 10_000_000, "accept: application/json\r\n")
    try:
        answer = _answer(sock)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"detail":"The request is too large (at most 1 MB)."' in answer.replace(b": ", b":")


def test_a_body_over_the_limit_is_refused_while_it_is_read(server: LiveServer) -> None:
    head = (
        f"POST /api/v1/auth/token HTTP/1.1\r\nhost: 127.0.0.1:{server.port}\r\naccept: application/json\r\n"
        "content-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    chunk = b"a" * 600_000
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as sock:
        sock.sendall(head.encode() + (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 2)
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_an_ordinary_form_post_still_works(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=10, headers={"accept-language": "en"}) as client:
        response = client.post("/api/v1/auth/token", data={"username": "nobody@example.org", "password": "x" * 12})
    assert response.status_code == 401
