"""Database engine, the per-request session and SQLite's durability settings.

SQLite runs in WAL mode with ``synchronous=NORMAL`` (durable across process crashes; an OS crash may lose
the last transactions), a busy timeout, foreign keys on, and every transaction starts with
``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing with "database is locked".
Read-only work that asks for it (``engine.execution_options(readonly=True)``, e.g. the live streams) starts a
plain deferred ``BEGIN`` instead: in WAL mode readers never wait for the writer.

A request's transaction spans several hops to the thread pool (dependencies, then the handler). If requests
waited for the database *inside* those threads (SQLite's write lock, a free pooled connection), a burst of
requests could fill every thread with waiters while the one holding the lock needs a thread to finish: nothing
moves until the busy timeout fails them all. So requests queue in the event loop instead (``DbGates``): on
SQLite one request transaction at a time, and never more sessions than the pool has connections.
"""

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

from fastapi import Depends, FastAPI, Request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.errors import NotFound

if TYPE_CHECKING:
    from app.live import Published

T = TypeVar("T")


class ReviewRow(Protocol):
    """A row of one review's table."""

    review_id: int


R = TypeVar("R", bound=ReviewRow)


def apply_changes(row: object, changes: dict[str, Any], *, clearable: Collection[str] = ()) -> None:
    """Set the fields a change (``model_dump(exclude_unset=True)``) names on ``row``; null clears only the
    ``clearable`` fields (optional dates), other fields sent as null keep their value."""
    for field, value in changes.items():
        if value is not None or field in clearable:
            setattr(row, field, value)


def of_review(session: Session, model: type[R], row_id: int, review_id: int, *, missing: str) -> R:
    """The row ``row_id`` of ``model`` if it belongs to review ``review_id``; else :class:`NotFound` with the
    message ``missing`` (another review's row is as unknown as one that does not exist)."""
    row = session.get(model, row_id)
    if row is None or row.review_id != review_id:
        raise NotFound(missing)
    return row


SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=15000",
    "PRAGMA foreign_keys=ON",
)


SQLITE_POOL = 15


def make_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database, with SQLite tuned for safe concurrent writes."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # Every connection kept (no overflow): one opened in a burst and closed again on return cost an open and
        # four PRAGMAs each time (the live screens of 50 rooms reading at once); DbGates never asks for more.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, pool_size=SQLITE_POOL, max_overflow=0
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get("readonly", False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


@dataclass
class DbGates:
    """Where requests wait for the database without holding a thread (see the module's docstring)."""

    writer: asyncio.Lock | None  # SQLite: one request transaction at a time
    slots: asyncio.Semaphore  # at most as many sessions as pooled connections (minus one for health checks)


_gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, DbGates]]" = weakref.WeakKeyDictionary()


def db_gates(app: FastAPI) -> DbGates:
    """The gates of this app in the running event loop (asyncio primitives belong to one loop)."""
    per_app = _gates.setdefault(asyncio.get_running_loop(), {})
    gates = per_app.get(id(app))
    if gates is None:
        engine: Engine = app.state.engine
        pool = engine.pool
        size = pool.size() if hasattr(pool, "size") else 5
        capacity = size + max(0, int(getattr(pool, "_max_overflow", 0)))
        sqlite = engine.dialect.name == "sqlite"
        gates = DbGates(asyncio.Lock() if sqlite else None, asyncio.Semaphore(max(1, capacity - 1)))
        per_app[id(app)] = gates
    return gates


class Turn:
    """One request's turn at the database; it can be given back around CPU work (:func:`without_turn`)."""

    def __init__(self, gates: DbGates) -> None:
        self.gates = gates
        self.held = False

    async def take(self) -> None:
        """Wait in the event loop until this request may use the database (see the module's docstring)."""
        if self.gates.writer is not None:
            await self.gates.writer.acquire()
        try:
            await self.gates.slots.acquire()
        except BaseException:
            if self.gates.writer is not None:
                self.gates.writer.release()
            raise
        self.held = True

    def give_back(self) -> None:
        """Let the next request use the database (nothing happens when the turn is not held)."""
        if self.held:
            self.held = False
            self.gates.slots.release()
            if self.gates.writer is not None:
                self.gates.writer.release()


@contextlib.asynccontextmanager
async def db_turn(app: FastAPI) -> AsyncIterator[Turn]:
    """Wait in the event loop until this request may use the database (see the module's docstring)."""
    turn = Turn(db_gates(app))
    await turn.take()
    try:
        yield turn
    finally:
        turn.give_back()


def new_session(app: FastAPI, bind: Connection | None = None) -> Session:
    """A session on the app's engine (or on ``bind``, a connection of it) whose commits wake the live streams."""
    session = Session(bind if bind is not None else app.state.engine, expire_on_commit=False)
    session.info["broker"] = app.state.broker
    return session


def _request_session(app: FastAPI, bind: Connection | None = None) -> tuple[Session, "Published"]:
    """A request's session whose commits are published by the request itself, from the event loop.

    Waking the streams from the worker thread (``call_soon_threadsafe``) made that thread, still holding the
    database turn, wait for the event loop to give it the GIL back; from the loop the wake-up is a plain call.
    """
    session = new_session(app, bind)
    later: Published = {}
    session.info["publish_later"] = later
    return session, later


def _publish(app: FastAPI, published: "Published") -> None:
    """Wake the streams of every group interview the request's commits changed (handing their feeds the events
    the request appended, where it knows them: ``app.live.Handover``)."""
    broker = app.state.broker
    for interview_id, handover in published.items():
        broker.publish(interview_id, handover)
    published.clear()


def _forget(session: Session) -> None:
    # Detach first: a rollback expires every loaded object, and the error page still shows the viewer.
    session.expunge_all()
    session.rollback()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session and one transaction per request; committed when the handler returns without error.

    The request first waits its turn in the event loop (``DbGates``), then uses the session in threads.
    """
    async with db_turn(request.app) as turn:
        session, later = _request_session(request.app)
        request.state.db_turn, request.state.db_session = turn, session
        try:
            try:
                yield session
            except BaseException:
                _forget(session)
                raise
            await run_in_threadpool(session.commit)
        finally:
            session.close()
            _publish(request.app, later)  # whatever was committed (also by without_turn)


def _transact(session: Session, work: Callable[[Session], T]) -> T:
    with session:
        try:
            result = work(session)
            session.commit()
        except BaseException:
            _forget(session)
            raise
        return result


async def run_transaction(app: FastAPI, work: Callable[[Session], T]) -> T:
    """``work`` and its commit as one transaction in a single trip to the thread pool.

    For the hot routes of a live room (stickers): they take their database turn only after the request has been
    parsed, and give it back before the response is written, so the turn is held for the database work alone
    and not while the event loop serves other requests in between several thread hops.
    """
    session, later = _request_session(app)
    try:
        async with db_turn(app):
            return await run_in_threadpool(_transact, session, work)
    finally:
        _publish(app, later)


async def without_turn(request: Request, work: Callable[..., T], *args: Any) -> T:
    """Run CPU work (password hashing, parsing a file) in the thread pool with the request's database turn given
    back, so that others use the database meanwhile; the turn is taken again before this returns.

    What the request's session did so far is committed first (on SQLite the write lock goes with the turn) and
    its next statement starts a new transaction: call this before the request's own changes, where what came
    before is reading (who is asking, access).
    """
    turn: Turn | None = getattr(request.state, "db_turn", None)
    if turn is None or not turn.held:
        return await run_in_threadpool(work, *args)
    session: Session = request.state.db_session
    await run_in_threadpool(session.commit)
    _publish(request.app, session.info.get("publish_later", {}))
    turn.give_back()
    try:
        return await run_in_threadpool(work, *args)
    finally:
        await turn.take()


# scope="function": the commit happens before the response is sent, so a 2xx means the write is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
