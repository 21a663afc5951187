"""Live updates: the append-only event log of a group interview and the broker that wakes its streams.

Protocol (see ARCHITECTURE.md): every change appends ``LiveEvent`` rows in the same transaction as the
change itself. After the commit the broker wakes the Server-Sent-Events streams of that group interview,
which read the new rows (``id`` greater than the last one they sent) and forward those meant for their
audience. A reconnecting client sends ``Last-Event-ID`` and gets every event it missed, then a fresh
``state`` snapshot. With PostgreSQL, ``pg_notify`` (delivered at commit) wakes the streams held by every
other worker through a LISTEN connection; with SQLite (one process) the in-process broker is enough.
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, text
from sqlmodel import Session, col, select

from app.models import LiveEvent

log = logging.getLogger("leerreview.live")
CHANNEL = "leerreview_live"


class Broker:
    """Wakes the streams waiting on a group interview; safe to publish from any thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[int, asyncio.Event] = {}
        self._generation: dict[int, int] = {}
        self.closing = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Attach to the event loop that runs the streams (at startup)."""
        self._loop = loop

    def generation(self, interview_id: int) -> int:
        """A counter that grows with every publish for this group interview."""
        return self._generation.get(interview_id, 0)

    def publish(self, interview_id: int) -> None:
        """Wake every stream of this group interview (from a worker thread or the loop itself)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake(interview_id)
        else:
            loop.call_soon_threadsafe(self._wake, interview_id)

    def _wake(self, interview_id: int) -> None:
        self._generation[interview_id] = self._generation.get(interview_id, 0) + 1
        waiting = self._events.pop(interview_id, None)
        if waiting is not None:
            waiting.set()

    async def wait(self, interview_id: int, seen_generation: int, timeout: float) -> None:
        """Return when something was published after ``seen_generation``, or after ``timeout`` seconds."""
        if self.generation(interview_id) != seen_generation or self.closing:
            return
        waiting = self._events.setdefault(interview_id, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiting.wait(), timeout)

    def close(self) -> None:
        """Let every stream finish (at shutdown)."""
        self.closing = True
        for interview_id in list(self._events):
            self._wake(interview_id)


class PgListener:
    """A thread holding a PostgreSQL LISTEN connection that relays notifications to the local broker."""

    def __init__(self, dsn: str, broker: Broker) -> None:
        self.dsn = dsn
        self.broker = broker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> None:
        """Start listening."""
        self._thread.start()

    def stop(self) -> None:
        """Stop listening (the thread notices within a second)."""
        self._stop.set()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=1.0, stop_after=100):
                            if notice.payload.isdigit():
                                self.broker.publish(int(notice.payload))
            except Exception:  # the database went away: retry, streams fall back to their heartbeat poll
                log.exception("LISTEN connection lost; reconnecting")
                self._stop.wait(1.0)


def emit(session: Session, interview_id: int, kind: str, payload: dict[str, Any], audience: str = "all") -> None:
    """Append one event to the group interview's log, in the caller's transaction."""
    session.add(
        LiveEvent(
            group_interview_id=interview_id,
            kind=kind,
            audience=audience,
            payload_json=json.dumps(payload, ensure_ascii=False, default=str),
        )
    )
    touched: set[int] = session.info.setdefault("live_touched", set())
    if interview_id not in touched:
        touched.add(interview_id)
        if session.get_bind().dialect.name == "postgresql":
            session.exec(
                text("SELECT pg_notify(:channel, :payload)").bindparams(channel=CHANNEL, payload=str(interview_id))
            )  # type: ignore[call-overload]


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    broker: Broker | None = session.info.get("broker")
    touched: set[int] = session.info.pop("live_touched", set())
    if broker is not None:
        for interview_id in touched:
            broker.publish(interview_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("live_touched", None)


def events_since(session: Session, interview_id: int, last_id: int, audiences: Iterable[str]) -> list[LiveEvent]:
    """Events of a group interview after ``last_id`` meant for one of ``audiences``, oldest first."""
    return list(
        session.exec(
            select(LiveEvent)
            .where(
                LiveEvent.group_interview_id == interview_id,
                col(LiveEvent.id) > last_id,
                col(LiveEvent.audience).in_(list(audiences)),
            )
            .order_by(col(LiveEvent.id))
            .limit(500)
        )
    )


def last_event_id(session: Session, interview_id: int) -> int:
    """The newest event id of a group interview (0 when none)."""
    newest = session.exec(
        select(LiveEvent.id)
        .where(LiveEvent.group_interview_id == interview_id)
        .order_by(col(LiveEvent.id).desc())
        .limit(1)
    ).first()
    return newest or 0


def sse(data: str, *, event_name: str | None = None, event_id: int | None = None) -> str:
    """One Server-Sent-Events message."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event_name:
        lines.append(f"event: {event_name}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"
