"""The suite's guard against database work on the event loop (tests/loop_guard.py) sees a statement an async
handler runs, and not one a plain handler runs in the thread pool."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests import loop_guard


def test_the_guard_sees_a_statement_on_the_event_loop_and_not_one_in_a_thread() -> None:
    engine = create_engine("sqlite://")
    app = FastAPI()

    @app.get("/on-the-loop")
    async def on_the_loop() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT 41 + 1")).scalar_one())

    @app.get("/in-a-thread")
    def in_a_thread() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT 40 + 2")).scalar_one())

    start = len(loop_guard._on_loop)
    with TestClient(app) as client:
        assert client.get("/in-a-thread").json() == 42
        assert loop_guard._on_loop[start:] == []
        assert client.get("/on-the-loop").json() == 42
    seen = loop_guard._on_loop[start:]
    del loop_guard._on_loop[start:]  # seen on purpose: this test's own guard must not fail it
    assert len(seen) == 1 and seen[0].startswith("SELECT 41 + 1")
    engine.dispose()
