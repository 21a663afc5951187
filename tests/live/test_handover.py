"""A transaction's own live events reach this process's streams without being read back (``app.live.Handover``):
a stream gets every event of every batch, in order, and the feed reads the log only when it must."""

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlmodel import Session, select

from app import live
from app.db.batch import Entry, writer
from app.group_interview.models import GroupInterview, RoomPurpose
from app.live.models import EventKind
from app.live.stream import events
from app.main import create_app
from tests.world import World, run_async


@pytest.fixture
def app(world: World) -> Iterator[FastAPI]:
    """An app of its own on the world's database (its own broker, bound to the test's loop)."""
    application = create_app(world.app.state.settings)
    yield application
    application.state.engine.dispose()


def _interview(world: World) -> int:
    review_id = world.new_review(group_interview=True).review_id
    with Session(world.engine) as session:
        room = session.exec(
            select(GroupInterview).where(
                GroupInterview.review_id == review_id, GroupInterview.purpose == RoomPurpose.group_interview
            )
        ).one()
        return room.id or 0


def _emitter(interview_id: int) -> Any:
    def emit(session: Session, entries: Sequence[Entry[Any]]) -> None:
        """A batch's work: one tally event per request (the request is its number)."""
        batch = [live.Event(interview_id, EventKind.tally, {"n": entry.request}, "members") for entry in entries]
        live.emit_many(session, batch)
        for entry in entries:
            entry.done(None)

    return emit


async def _until(stream: AsyncIterator[str | bytes], wanted: int) -> list[str]:
    """The tally messages the stream sends until it has sent ``wanted`` of them (a deadline, not a wait)."""
    got: list[str] = []
    async with asyncio.timeout(20):
        while len(got) < wanted:
            text = await anext(stream)
            text = text.decode() if isinstance(text, bytes) else text
            if "event: tally" in text:
                got.append(text)
    return got


def test_a_stream_gets_every_batch_without_its_feed_reading_them_back(world: World, app: FastAPI) -> None:
    interview_id = _interview(world)
    reads: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        # What a feed or a stream reads (not the writer's look-up of the last event before its own).
        select = statement.lstrip().upper().startswith("SELECT")
        if select and "FROM live_events" in statement and "max(live_events.id)" not in statement:
            reads.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", on_execute)
    emit = _emitter(interview_id)

    async def scenario() -> tuple[list[str], int, list[str], int]:
        app.state.broker.bind(asyncio.get_running_loop())
        stream = events(
            app,
            interview_id=interview_id,
            audiences=["all", "members"],
            last_id=None,
            snapshot=lambda _session: {},
            still_allowed=lambda _session: True,
            only_members=True,
        )
        async with asyncio.timeout(20):
            while "event: state" not in str(await anext(stream)):
                pass
        # The first batch: the feed has never read the log, so it reads it once (and the stream catches up).
        first = asyncio.gather(*(writer(app).submit(emit, n) for n in range(3)))
        seen = await _until(stream, 3)
        await first
        after_first = len(reads)
        for start in (3, 6, 9):  # three more batches: handed over, nothing read back
            batch = asyncio.gather(*(writer(app).submit(emit, n) for n in range(start, start + 3)))
            seen += await _until(stream, 3)
            await batch
        await stream.aclose()  # type: ignore[attr-defined]
        return seen, after_first, reads[after_first:], len(seen)

    seen, _after_first, later_reads, count = run_async(scenario())
    assert count == 12
    assert [int(text.split('"n": ')[1].split("}")[0]) for text in seen] == list(range(12))
    ids = [int(text.split("id: ")[1].split("\n")[0]) for text in seen]
    assert ids == sorted(ids) and len(set(ids)) == 12
    assert later_reads == []  # the feed took the last three batches as they were committed


def test_a_rolled_back_savepoint_keeps_what_came_before_it(world: World) -> None:
    """Whoever begins a SAVEPOINT (not only the group commit): rolled back, its own events are not handed to a
    feed, and the transaction keeps what it held before it — the event it had already appended is still handed
    over and its interview still woken after the commit (SQLAlchemy's rollback of a savepoint forgot both: the
    streams learned of the committed event only at their next heartbeat)."""
    interview_id = _interview(world)
    broker = live.Broker()
    broker.feed(interview_id)  # this process's streams follow the interview
    later: live.Published = {}
    with Session(world.engine) as session:
        session.info.update(broker=broker, publish_later=later)
        live.emit(session, interview_id, EventKind.tally, {"n": 0}, "members")
        savepoint = session.begin_nested()
        live.emit(session, interview_id, EventKind.tally, {"n": 1}, "members")
        savepoint.rollback()
        session.commit()
    handover = later.get(interview_id)
    assert handover is not None
    assert [event.message.split("data: ")[1].strip() for event in handover.events] == ['{"n": 0}']
