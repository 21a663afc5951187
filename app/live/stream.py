"""A group interview's Server-Sent-Events stream for one audience (ARCHITECTURE.md, "The live-update protocol").

The router says who is listening (audiences, the snapshot to send, how to re-check access) and gets the stream's
text; everything about reading, waking and the heartbeat is here.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.db import DbGates, db_gates
from app.live import Broker, FedEvent, Feed, events_since, fetch_feed, last_event_id, sse
from app.live.models import EventKind
from app.validation import whole_number

HEARTBEAT_SECONDS = 15.0
# Events after which a phone's stream re-checks whether its access still holds (closed, or released).
ACCESS_EVENTS = frozenset({EventKind.interview, EventKind.released})

Message = tuple[str, str | bytes]  # (event kind, SSE text; bytes when encoded once for every stream)


def events(
    app: FastAPI,
    *,
    interview_id: int,
    audiences: list[str],
    last_id: int | None,
    snapshot: Callable[[Session], dict[str, Any]],
    still_allowed: Callable[[Session], bool],
    only_members: bool = False,
) -> AsyncIterator[str | bytes]:
    """The stream's text: missed events, a state snapshot, then live events and heartbeats until access ends."""
    # Streams only read: a deferred transaction on SQLite (never waiting for the writer in WAL mode).
    engine: Engine = app.state.engine.execution_options(readonly=True)
    broker: Broker = app.state.broker

    def read(since: int | None, with_state: bool) -> tuple[list[Message], int, bool]:
        with Session(engine) as session:
            if not still_allowed(session):
                return [(EventKind.ended, sse("{}", event_name=EventKind.ended))], since or 0, False
            messages: list[Message] = []
            position = since
            if position is None:
                position = last_event_id(session, interview_id)
            for row in events_since(session, interview_id, position, audiences):
                messages.append((row.kind, sse(row.payload_json, event_name=row.kind, event_id=row.id)))
                position = row.id or position
            if with_state:
                state = sse(json.dumps(snapshot(session), default=str), event_name=EventKind.state)
                messages.append((EventKind.state, state))
            session.rollback()
            return messages, position, True

    def fetch(after: int | None) -> tuple[list[FedEvent], int]:
        with Session(engine) as session:
            return fetch_feed(session, interview_id, after)

    async def refresh(feed: Feed, generation: int, gates: DbGates) -> None:
        """Bring the process's feed up to ``generation``: one query however many streams wait.

        One stream reads; the others await the same future, so all of them resume in one turn of the event
        loop when it is done (a lock would hand itself on waiter by waiter: N turns for N screens)."""
        while feed.fetched_generation < generation:
            if feed.fetching is not None:
                await asyncio.shield(feed.fetching)
                continue
            done = feed.fetching = asyncio.get_running_loop().create_future()
            target = broker.generation(interview_id)  # everything published so far is committed: read it all
            try:
                async with gates.slots:
                    rows, newest = await run_in_threadpool(fetch, feed.last_id if feed.floor is not None else None)
                feed.add(rows, newest)
                feed.fetched_generation = max(feed.fetched_generation, target)
            finally:
                feed.fetching = None
                done.set_result(None)

    async def generate() -> AsyncIterator[str | bytes]:
        gates = db_gates(app)
        wanted = frozenset(audiences)
        feed = broker.feed(interview_id)
        position = last_id
        yield "retry: 2000\n\n"
        first, check = True, True
        while not broker.closing:
            seen = broker.generation(interview_id)
            if not first:
                await refresh(feed, seen, gates)
            messages: list[Message]
            if first or check or position is None or not feed.covers(position):
                # From the database: the first time (missed events and the state), after a change that may end
                # a phone's access, on every heartbeat, and for a stream further behind than the feed reaches.
                async with gates.slots:  # a pooled connection is free: the thread will not wait for one
                    messages, position, allowed = await run_in_threadpool(read, position, first)
                if not allowed:
                    for _kind, text in messages:
                        yield text
                    return
            else:
                fed, position = feed.after(position, wanted)
                messages = [(e.kind, e.encoded) for e in fed]
            first = False
            for _kind, text in messages:
                yield text
            if not messages:
                yield ": ping\n\n"
            woken = await broker.wait(interview_id, seen, HEARTBEAT_SECONDS)
            check = not woken or (not only_members and any(kind in ACCESS_EVENTS for kind, _text in messages))

    return generate()


async def resume_from(
    header: Annotated[str | None, Header(alias="last-event-id")] = None,
    query: Annotated[int | None, Query(ge=0, alias="last_event_id")] = None,
) -> int | None:
    """The last event a reconnecting client saw: ``?last_event_id=`` wins over the ``Last-Event-ID`` header.

    A dependency of every stream route (``async``: nothing to wait for, so no hop to a thread)."""
    if query is not None:
        return query
    return whole_number(header.strip(), digits=18) if header else None


ResumeFrom = Annotated[int | None, Depends(resume_from)]


def response(
    request: Request,
    *,
    interview_id: int,
    audiences: list[str],
    last_id: int | None,
    snapshot: Callable[[Session], dict[str, Any]],
    still_allowed: Callable[[Session], bool],
    only_members: bool = False,
) -> StreamingResponse:
    """The SSE stream of one group interview for one audience (``app.live.stream``) as a response."""
    text = events(
        request.app,
        interview_id=interview_id,
        audiences=audiences,
        last_id=last_id,
        snapshot=snapshot,
        still_allowed=still_allowed,
        only_members=only_members,
    )
    return StreamingResponse(
        text, media_type="text/event-stream", headers={"cache-control": "no-store", "x-accel-buffering": "no"}
    )


def members_response(
    request: Request, *, interview_id: int, last_id: int | None, snapshot: Callable[[Session], dict[str, Any]]
) -> StreamingResponse:
    """The members' stream of a room (the console, the shared screen): events for everyone and for members; the
    route checked the member's access when the stream opened."""
    return response(
        request,
        interview_id=interview_id,
        audiences=["all", "members"],
        last_id=last_id,
        snapshot=snapshot,
        still_allowed=lambda db: True,
        only_members=True,
    )
