"""Real uvicorn servers on loopback for the live tests: SQLite (one per session), PostgreSQL on demand."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.live.liveserver import LiveRoom, LiveServer, build_room, prepare_database


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[LiveServer]:
    """One server on a migrated SQLite database for the session; tests work in rooms of their own."""
    data_dir = tmp_path_factory.mktemp("live-sqlite")
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    prepare_database(data_dir, migrate=False)
    server = LiveServer(data_dir).start()
    yield server
    server.stop()


@pytest.fixture
def fresh_sqlite_server(tmp_path: Path, migrated_template: Path) -> Iterator[LiveServer]:
    """A server of this test alone (it may be killed and restarted)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    prepare_database(data_dir, migrate=False)
    server = LiveServer(data_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_servers(
    tmp_path_factory: pytest.TempPathFactory, postgres_database_url: str
) -> Iterator[Callable[[], LiveServer]]:
    """Servers on one fresh PostgreSQL database (migrated once): call to start another process on it."""
    data_dir = tmp_path_factory.mktemp("live-pg")
    prepare_database(data_dir, postgres_database_url)
    started: list[LiveServer] = []

    def start() -> LiveServer:
        server = LiveServer(data_dir, database_url=postgres_database_url).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def pg_server(pg_servers: Callable[[], LiveServer]) -> LiveServer:
    """One server process on PostgreSQL."""
    return pg_servers()


@pytest.fixture
def make_room() -> Iterator[Callable[..., LiveRoom]]:
    """Build rooms through a server's API (``make_room(server, participants=…)``); closed at the end."""
    made: list[LiveRoom] = []

    def factory(server: LiveServer, **options: object) -> LiveRoom:
        room = build_room(server.url, **options)  # type: ignore[arg-type]
        made.append(room)
        return room

    yield factory
    for room in made:
        room.close()
