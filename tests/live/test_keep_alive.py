"""Idle HTTP connections stay open as long as LEERREVIEW_KEEP_ALIVE_SECONDS says (uvicorn's own default is 5 s:
a room's phones and a proxy's pooled connections that reuse a connection just as the server drops it lose that
request)."""

import shutil
import socket
import time
from pathlib import Path

from app.config import Settings
from tests.live.liveserver import LiveServer, prepare_database


def test_the_default_outlasts_a_proxys_idle_upstream_connections() -> None:
    assert Settings(secret_key="x").keep_alive_seconds > 60  # deploy/nginx.conf keeps upstreams idle for 60 s


def test_the_server_closes_an_idle_connection_after_the_configured_time(
    tmp_path: Path, migrated_template: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    prepare_database(data_dir, migrate=False)
    server = LiveServer(data_dir, env={"LEERREVIEW_KEEP_ALIVE_SECONDS": "1"}).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"GET /api/v1/ping HTTP/1.1\r\nhost: 127.0.0.1:{server.port}\r\n\r\n".encode())
            answer = b""
            while b'{"ok":true}' not in answer:
                answer += sock.recv(4096)
            assert answer.startswith(b"HTTP/1.1 200")
            idle_since = time.monotonic()
            assert sock.recv(4096) == b""  # blocks until the server closes the idle connection
            idle = time.monotonic() - idle_since
        assert 0.5 < idle < 4, idle  # 1 s as configured, not uvicorn's 5 s
    finally:
        server.stop()
