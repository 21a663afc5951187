"""An unexpected error answers the generic 500 page, is logged once, and leaves the keep-alive connection usable
(issue 11, item 15). A real uvicorn server in this process, so that the test can add a route that fails."""

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from tests.live.liveserver import free_port


def _read_response(sock: socket.socket) -> bytes:
    """One HTTP/1.1 response with a content-length (the socket's timeout is the deadline)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed by the server after {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of a response"
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.fixture
def failing_server(settings: Settings) -> Iterator[tuple[int, FastAPI]]:
    app = create_app(settings)

    @app.get("/api/v1/test-failure")
    def fail() -> None:
        raise RuntimeError("a bug")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:  # polling a condition with a deadline, not a sleep to synchronise
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield port, app
    server.should_exit = True
    thread.join(10)
    app.state.engine.dispose()


def test_a_500_keeps_the_connection_and_is_logged_once(
    failing_server: tuple[int, FastAPI], caplog: pytest.LogCaptureFixture
) -> None:
    port, _app = failing_server
    request = "GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\naccept-language: en\r\n\r\n"
    with caplog.at_level(logging.INFO), socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.format(path="/api/v1/test-failure", port=port).encode())
        failed = _read_response(sock)
        sock.sendall(request.format(path="/api/v1/ping", port=port).encode())
        pinged = _read_response(sock)  # on the same connection
    assert failed.startswith(b"HTTP/1.1 500")
    assert b'"detail":"An unexpected error occurred. Nothing was changed. Please try again."' in failed
    assert b"content-security-policy" in failed.lower()
    assert pinged.startswith(b"HTTP/1.1 200") and pinged.endswith(b'{"ok":true}')
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == ["unhandled error on GET /api/v1/test-failure"]
