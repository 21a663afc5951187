"""The group-commit writer (``app.db.batch``): one connection while requests keep coming, and nothing queued is
dropped when the writer gives its connection back."""

import asyncio
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event, text
from sqlmodel import Session

from app.db import make_engine
from app.db.batch import Entry, writer
from app.live import Broker
from tests.fixtures import make_settings
from tests.world import run_async


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    """A bare app with the service's engine on an empty SQLite database: all the writer needs."""
    application = FastAPI()
    application.state.engine = make_engine(make_settings(tmp_path))
    application.state.broker = Broker()
    yield application
    application.state.engine.dispose()


def answer_each(session: Session, entries: Sequence[Entry[Any]]) -> None:
    """A work function: every request answered with its own value and the connection's id."""
    connection = id(session.connection().connection.driver_connection)
    for entry in entries:
        entry.done((entry.request, session.execute(text("SELECT 1")).scalar_one(), connection))


def test_a_request_queued_while_the_writer_gives_its_connection_back_is_answered(app: FastAPI) -> None:
    checked_in = threading.Event()
    go_on = threading.Event()

    def on_checkin(*_args: Any) -> None:  # in the thread that gives the connection back
        if not checked_in.is_set():
            checked_in.set()
            assert go_on.wait(30)

    event.listen(app.state.engine, "checkin", on_checkin)

    async def scenario() -> list[Any]:
        loop = asyncio.get_running_loop()
        first = await writer(app).submit(answer_each, "first")
        # The queue is empty: the writer is giving its connection back, and waits in on_checkin.
        assert await loop.run_in_executor(None, checked_in.wait, 30)
        late = asyncio.ensure_future(writer(app).submit(answer_each, "late"))
        await asyncio.sleep(0)  # let it join the queue (no clock: one turn of the loop)
        assert len(writer(app).queue) == 1 and writer(app).task is not None  # the drain has not ended yet
        go_on.set()
        return [first, await asyncio.wait_for(late, 30)]

    first, late = run_async(scenario())
    assert first[:2] == ("first", 1) and late[:2] == ("late", 1)


def test_a_burst_shares_one_connection_and_one_transaction(app: FastAPI) -> None:
    async def scenario() -> list[Any]:
        return list(await asyncio.gather(*(writer(app).submit(answer_each, n) for n in range(20))))

    answers = run_async(scenario())
    assert [a[0] for a in answers] == list(range(20))
    assert len({a[2] for a in answers}) == 1


def test_a_request_that_fails_its_batch_fails_only_itself(app: FastAPI) -> None:
    """An error nothing foresaw (not a refusal: here a unique constraint) fails the batch's transaction; then each
    request runs again alone, so the others that arrived with it are stored and answered, and only it fails."""
    with app.state.engine.begin() as connection:
        connection.execute(text("CREATE TABLE keys (key TEXT PRIMARY KEY)"))

    def insert_each(session: Session, entries: Sequence[Entry[Any]]) -> None:
        for entry in entries:
            session.execute(text("INSERT INTO keys (key) VALUES (:key)"), {"key": entry.request})
            entry.done(entry.request)

    async def scenario() -> tuple[list[Any], int]:
        requests = ["a", "b", "b", "c"]  # the second "b" breaks the constraint
        sent = (writer(app).submit(insert_each, key) for key in requests)
        return list(await asyncio.gather(*sent, return_exceptions=True)), writer(app).batches

    answers, batches = run_async(scenario())
    assert answers[:2] == ["a", "b"] and answers[3] == "c"
    assert type(answers[2]).__name__ == "IntegrityError"
    assert batches == 1 + 4  # the four together, then each alone
    with app.state.engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM keys ORDER BY key")).scalars().all() == ["a", "b", "c"]
