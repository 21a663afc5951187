"""Live updates: the append-only event log of a group interview and the broker that wakes its streams.

Protocol (see ARCHITECTURE.md): every change appends ``LiveEvent`` rows in the same transaction as the
change itself. After the commit the broker wakes the Server-Sent-Events streams of that group interview,
which read the new rows (``id`` greater than the last one they sent) and forward those meant for their
audience. A reconnecting client sends ``Last-Event-ID`` and gets every event it missed, then a fresh
``state`` snapshot. With PostgreSQL, ``pg_notify`` (delivered at commit) wakes the streams held by every
other worker through a LISTEN connection; with SQLite (one process) the in-process broker is enough.
"""

import asyncio
import bisect
import contextlib
import json
import logging
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, event, func, text
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, SQLModel, col, select

from app.db.base import OneOf, insert_many, utcnow
from app.db.locks import LockKey
from app.live.models import EventKind, LiveEvent

log = logging.getLogger("leerreview.live")
CHANNEL = "leerreview_live"


@dataclass(frozen=True)
class FedEvent:
    """One event of the log as the streams send it: the SSE text formatted and encoded once for every stream."""

    id: int
    audience: str
    message: str
    kind: str = ""
    encoded: bytes = b""

    def __post_init__(self) -> None:
        if not self.encoded:
            object.__setattr__(self, "encoded", self.message.encode())

    @classmethod
    def of(cls, event_id: int, kind: str, audience: str, payload: str) -> "FedEvent":
        """A stored event as the streams send it, whether it is read back or handed over (the same bytes)."""
        return cls(event_id, audience, sse(payload, event_name=kind, event_id=event_id), kind)


class Feed:
    """The recent events of one group interview in this process, read from the database once per wake-up.

    Without it every stream of a group interview would query the event log on every change: with 300 screens,
    300 queries per sticker. The feed holds every event with ``floor < id <= last_id`` (ids grow in commit
    order within a group interview, see :func:`lock`), so a stream positioned at or after ``floor`` is served
    from memory; one further behind (a reconnect after a long absence) reads the database itself. A stream finds
    its place by bisection (the events are in id order), so serving N screens costs N look-ups of the new events
    only, not N passes over everything the feed holds.
    """

    KEEP = 2000

    def __init__(self) -> None:
        self.floor: int | None = None
        self.last_id = 0
        self.fetched_generation = -1
        self.events: list[FedEvent] = []
        self._ids: list[int] = []
        self.fetching: asyncio.Future[None] | None = None  # the read in flight, awaited by the other streams

    def covers(self, position: int) -> bool:
        """Whether every event after ``position`` is in memory."""
        return self.floor is not None and position >= self.floor

    def after(self, position: int, audiences: Collection[str]) -> tuple[list[FedEvent], int]:
        """The events after ``position`` for these audiences, and the new position."""
        start = bisect.bisect_right(self._ids, position)
        out = [e for e in self.events[start:] if e.audience in audiences]
        return out, max(position, self.last_id)

    def take(self, handover: "Handover") -> bool:
        """Add a committed transaction's own events without reading them back, if the feed holds every event up to
        the one before them (else the streams read them, as after any other commit); whether it took them."""
        if self.floor is None or self.fetching is not None or self.last_id != handover.before or not handover.events:
            return False
        self.add(handover.events, handover.events[-1].id)
        return True

    def add(self, rows: list[FedEvent], last_id: int) -> None:
        """Append freshly read events (everything up to ``last_id``)."""
        if self.floor is None:
            self.floor = last_id if not rows else min(last_id, rows[0].id - 1)
        self.events.extend(rows)
        self._ids.extend(row.id for row in rows)
        self.last_id = max(self.last_id, last_id)
        if len(self.events) > 2 * self.KEEP:  # trimmed in bulk: amortised, never per event
            drop = len(self.events) - self.KEEP
            self.floor = self._ids[drop - 1]
            del self.events[:drop], self._ids[:drop]


class Broker:
    """Wakes the streams waiting on a group interview; safe to publish from any thread."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[int, asyncio.Event] = {}
        self._generation: dict[int, int] = {}
        self._feeds: dict[int, Feed] = {}
        self.closing = False

    def feed(self, interview_id: int) -> Feed:
        """The in-memory feed of a group interview (in the loop's thread only)."""
        found = self._feeds.get(interview_id)
        if found is None:
            found = self._feeds[interview_id] = Feed()
        return found

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Attach to the event loop that runs the streams (at startup)."""
        self._loop = loop

    def generation(self, interview_id: int) -> int:
        """A counter that grows with every publish for this group interview."""
        return self._generation.get(interview_id, 0)

    def watches(self, interview_id: int) -> bool:
        """Whether streams of this process follow the group interview (any thread: a stale answer only means the
        streams read the events themselves)."""
        return interview_id in self._feeds

    def publish(self, interview_id: int, handover: "Handover | None" = None) -> None:
        """Wake every stream of this group interview (from a worker thread or the loop itself), handing the
        feed the events the transaction appended, if it knows them (:class:`Handover`)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(interview_id, handover)
        else:
            loop.call_soon_threadsafe(self._deliver, interview_id, handover)

    def _deliver(self, interview_id: int, handover: "Handover | None") -> None:
        feed = self._feeds.get(interview_id)
        taken = handover is not None and feed is not None and feed.take(handover)
        before = self.generation(interview_id)
        self._wake(interview_id)
        if taken and feed is not None and feed.fetched_generation == before:
            feed.fetched_generation = before + 1  # nothing else was pending: the streams need not read

    def _wake(self, interview_id: int) -> None:
        self._generation[interview_id] = self._generation.get(interview_id, 0) + 1
        waiting = self._events.pop(interview_id, None)
        if waiting is not None:
            waiting.set()

    async def wait(self, interview_id: int, seen_generation: int, timeout: float) -> bool:
        """Return True when something was published after ``seen_generation``, False after ``timeout`` seconds."""
        if self.generation(interview_id) != seen_generation or self.closing:
            return True
        waiting = self._events.get(interview_id)
        if waiting is None:
            waiting = self._events[interview_id] = asyncio.Event()
        # asyncio.timeout, not wait_for: no task per waiting stream (a room's screens all wait at once).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await waiting.wait()
            return True
        return False

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


# Every group interview of a transaction in one round trip, in id order (unnest yields the array in order): the
# lock, and the notification the other workers get when (and if) the transaction commits.
_LOCK_AND_NOTIFY = text(
    f"SELECT pg_advisory_xact_lock({LockKey.group_interview.value}, i), pg_notify(:channel, CAST(i AS text)) "
    "FROM unnest(CAST(:ids AS integer[])) AS interviews(i)"
)


def lock(session: Session, interview_id: int) -> None:
    """Serialise the transactions that append events to one group interview (PostgreSQL; once per transaction).

    Event ids come from a sequence, so two concurrent transactions could commit their events out of id order,
    and a stream that already moved past the larger id would never send the smaller one. Holding this lock from
    before the first insert until the commit makes ids grow in commit order within a group interview, across
    workers. SQLite needs nothing: ``BEGIN IMMEDIATE`` already runs writers one after another.
    Call it early in use cases that write the audit log before their events (one lock order: interview, audit).
    """
    lock_all(session, (interview_id,))


def lock_all(session: Session, interview_ids: Iterable[int]) -> None:
    """:func:`lock` for several group interviews at once, in id order (one lock order for every transaction)."""
    touched: set[int] = session.info.setdefault("live_touched", set())
    new = sorted(set(interview_ids) - touched)
    if not new:
        return
    touched.update(new)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_AND_NOTIFY, {"ids": new, "channel": CHANNEL})


_EVENTS = SQLModel.metadata.tables[LiveEvent.__tablename__]
# Each group interview's last event before a transaction's own (read under its lock, so nothing is missing).
_LAST_BEFORE = (
    select(LiveEvent.group_interview_id, func.max(col(LiveEvent.id)))
    .where(
        OneOf(col(LiveEvent.group_interview_id), "ids"),
        col(LiveEvent.id) < bindparam("below"),
    )
    .group_by(col(LiveEvent.group_interview_id))
)


@dataclass
class Handover:
    """The events one transaction appended to a group interview, for this process's feed (``Feed.take``): the id
    of the interview's last event before them, and the events as the streams send them."""

    before: int
    events: list[FedEvent]


@dataclass(frozen=True)
class Event:
    """One event to append to a group interview's log."""

    interview_id: int
    kind: EventKind
    payload: dict[str, Any]
    audience: str = "all"


def emit(session: Session, interview_id: int, kind: EventKind, payload: dict[str, Any], audience: str = "all") -> None:
    """Append one event to the group interview's log, in the caller's transaction.

    A plain INSERT rather than an ORM object: events are never read back in the transaction that writes them,
    and the unit of work would cost the busiest requests (stickers) more than the insert itself.
    """
    emit_many(session, [Event(interview_id, kind, payload, audience)])


def emit_many(session: Session, events: Sequence[Event]) -> None:
    """Append events, of one or several group interviews, with one statement, in order (each interview locked
    first, see :func:`lock`)."""
    if not events:
        return
    lock_all(session, {e.interview_id for e in events})
    now = utcnow()
    rows = [
        {
            "group_interview_id": e.interview_id,
            "kind": e.kind,
            "audience": e.audience,
            "payload_json": json.dumps(e.payload, ensure_ascii=False, default=str),
            "created_at": now,
        }
        for e in events
    ]
    # One statement for all rows (a plain executemany is one statement per row on PostgreSQL); both databases number
    # the rows in their order (the feeds sort what they are handed by id in any case).
    stored = insert_many(session, _EVENTS, rows, "id", "group_interview_id", "kind", "audience", "payload_json")
    _hand_over(session, stored)


def _hand_over(session: Session, stored: Sequence[Any]) -> None:
    """Keep the events just appended, formatted as the streams send them, for the feeds of this process that
    follow their group interviews: after the commit they are added without being read back (``Broker.publish``).

    A feed may take them only if it holds every event before them, so the interview's last event before this
    transaction's own is read here, under its lock. Events of a rolled-back savepoint are dropped with it
    (:func:`_savepoint_rolled_back`)."""
    broker: Broker | None = session.info.get("broker")
    if broker is None:
        return
    watched = {interview_id for _id, interview_id, *_rest in stored if broker.watches(interview_id)}
    if not watched:
        return
    fed: dict[int, Handover] = session.info.setdefault("live_fed", {})
    unknown = sorted(watched - fed.keys())
    if unknown:
        below = min(event_id for event_id, *_rest in stored)
        before = dict(session.execute(_LAST_BEFORE, {"ids": unknown, "below": below}).all())
        fed.update({interview_id: Handover(before.get(interview_id) or 0, []) for interview_id in unknown})
    for event_id, interview_id, kind, audience, payload in sorted(stored):
        if interview_id in watched:
            fed[interview_id].events.append(FedEvent.of(event_id, kind, audience, payload))


@dataclass(frozen=True)
class Savepoint:
    """What a transaction holds of the live log (locks taken, events to hand over) when a savepoint begins."""

    touched: set[int]
    fed: dict[int, Handover]


def _savepoint(session: Session) -> Savepoint:
    """What :func:`_restore` gives back if the savepoint beginning now is rolled back."""
    fed: dict[int, Handover] = session.info.get("live_fed", {})
    return Savepoint(
        set(session.info.get("live_touched", ())), {i: Handover(h.before, list(h.events)) for i, h in fed.items()}
    )


def _restore(session: Session, saved: Savepoint) -> None:
    """After a rolled-back savepoint: a lock taken inside was released with it, its events were not stored."""
    session.info["live_touched"] = saved.touched
    session.info["live_fed"] = saved.fed


# Every SAVEPOINT of every session, whoever begins it: what the transaction held of the live log when it began is
# kept, and given back if the savepoint is rolled back, so events that were never stored are never handed to a feed
# (on SQLite a rolled-back id is used again by the next event: a feed holding the phantom would skip the real one).
_SAVEPOINTS = "live_savepoints"


@event.listens_for(Session, "after_transaction_create")
def _savepoint_begins(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.setdefault(_SAVEPOINTS, {})[id(transaction)] = _savepoint(session)


@event.listens_for(Session, "after_soft_rollback")
def _savepoint_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    saved = session.info.get(_SAVEPOINTS, {}).pop(id(previous_transaction), None)
    if previous_transaction.nested and saved is not None:
        _restore(session, saved)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ends(session: Session, transaction: SessionTransaction) -> None:
    if not transaction.nested:  # the outermost one: no savepoint of it is left to roll back
        session.info.pop(_SAVEPOINTS, None)


Published = dict[int, Handover | None]
"""What a request publishes once its thread returns (``app.db``): the group interviews it changed, with the events
to hand to their feeds where known."""


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    broker: Broker | None = session.info.get("broker")
    touched: set[int] = session.info.pop("live_touched", set())
    fed: dict[int, Handover] = session.info.pop("live_fed", {})
    later: Published | None = session.info.get("publish_later")
    if later is not None:  # the request publishes from the event loop once its thread returns (app.db)
        for interview_id in touched:
            handover = fed.get(interview_id)
            if interview_id in later:  # a second commit of the same request: one hand-over only if they follow on
                handover = _joined(later[interview_id], handover)
            later[interview_id] = handover
    elif broker is not None:
        for interview_id in touched:
            broker.publish(interview_id, fed.get(interview_id))


def _joined(first: Handover | None, then: Handover | None) -> Handover | None:
    """One hand-over for two commits of one request, if the second's events follow right on the first's."""
    if first is None or then is None or not first.events or then.before != first.events[-1].id:
        return None
    return Handover(first.before, first.events + then.events)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("live_touched", None)
    session.info.pop("live_fed", None)


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


def fetch_feed(session: Session, interview_id: int, after: int | None) -> tuple[list[FedEvent], int]:
    """Every event of a group interview after ``after`` (all audiences) for a :class:`Feed`, and the newest id.

    ``after=None``: start at the newest event (nothing to send yet).
    """
    if after is None:
        return [], last_event_id(session, interview_id)
    rows = session.exec(
        select(LiveEvent.id, LiveEvent.kind, LiveEvent.audience, LiveEvent.payload_json)
        .where(LiveEvent.group_interview_id == interview_id, col(LiveEvent.id) > after)
        .order_by(col(LiveEvent.id))
    ).all()
    fed = [FedEvent.of(i or 0, kind, audience, payload) for i, kind, audience, payload in rows]
    return fed, (fed[-1].id if fed else after)


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
