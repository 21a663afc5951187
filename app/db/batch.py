"""Group commit: small writes from requests that arrive together share one thread hop and one transaction.

A room's busiest write, a sticker, costs little in the database but a lot around it: a trip to the thread pool,
``BEGIN``, the commit (an fsync on PostgreSQL, a WAL append on SQLite), the live tally. With 30 phones tapping at
once each request used to wait for the one before it. Here each process has one :class:`Writer` per app: a
request hands it a :data:`Work` function and its own request, and waits; the writer drains everything queued for
that function in one trip to the thread pool, as one transaction with one commit, and answers each request only
after that commit (a crash loses nothing that was acknowledged). While a batch runs the next one queues, so the
batch grows with the load.

A work function gets the session and the batch's :class:`Entry` list (one per request, in arrival order) and
answers each entry: :meth:`Entry.done` with its result, or a refusal (an ``app.errors`` exception raised inside
:meth:`Entry.attempt`, which runs in a copy of that request's context: its own message in its own language).
A refusal must leave nothing behind; anything else raised fails the whole batch (nothing of it is stored), and
then each of its requests runs again alone (:meth:`Writer._drain`): one request can fail only itself. The
sticker work (``app.voting.service.place_stickers``) reads what every sticker of the batch needs with one query
per table, decides each in memory and inserts the accepted ones with one statement, so its database cost hardly
grows with the batch. Writes that cannot decide before they write use :func:`run_steps`: each request a
:data:`Job` whose :class:`Step` runs in its own SAVEPOINT (a refusal after a write undoes just that write).

One batch holds the requests of one work function only (the others wait for the next batch), so each batch takes
its PostgreSQL advisory locks in one global order (round/participant sorted, then group interview, then audit):
two batches of two workers never wait for each other in a cycle.

What only the last state matters for — the live tally of a round, the phones' own stickers — is registered with
:func:`at_end` and done once per batch (in key order) just before the commit, so its cost does not grow with the
size of the batch. Outside a batch :func:`at_end` runs the work at once.
"""

import asyncio
import contextvars
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

from fastapi import FastAPI
from sqlalchemy.engine import Connection
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.db import _forget, _publish, _request_session, db_turn
from app.errors import DomainError

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
EndKey = tuple[int | str, ...]


@dataclass(eq=False)
class Entry(Generic[R]):
    """One request of a batch: what it asks (``request``), and its answer once the work has decided."""

    request: R
    context: contextvars.Context
    future: "asyncio.Future[Any]"
    result: Any = None
    error: BaseException | None = None

    @property
    def refused(self) -> bool:
        """Whether this request has been refused."""
        return self.error is not None

    def attempt(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """``work(...)`` in this request's context (its language); an ``app.errors`` refusal becomes this request's
        answer and gives None."""
        try:
            return self.context.run(work, *args, **kwargs)
        except DomainError as error:
            self.error = error
            return None

    def done(self, result: Any) -> None:
        """Answer this request with ``result`` (sent once the batch is committed)."""
        self.result = result


Work = Callable[[Session, Sequence[Entry[Any]]], None]
"""Does the writes of one batch and answers each entry (:meth:`Entry.done` or a refusal)."""


@dataclass(frozen=True)
class Step(Generic[T]):
    """The write of one job: ``run`` is called with the batch's session after every step with a smaller
    ``order`` (the ids of the rows it locks, e.g. ``(round_id, participant_id)``)."""

    order: tuple[int, ...]
    run: Callable[[Session], T]


Job = Callable[[Session], Step[T]]
"""Reads what a write needs (who is asking) and returns its :class:`Step`; raising refuses only this job."""


@dataclass
class _Batch:
    """What the work of one transaction registered to be done once before the commit."""

    at_end: dict[EndKey, Callable[[Session], None]] = field(default_factory=dict)
    pending: dict[EndKey, Callable[[Session], None]] | None = None  # a step's own, kept only if it succeeds


def at_end(session: Session, key: EndKey, work: Callable[[Session], None]) -> None:
    """Do ``work`` once before the batch commits (a later registration with the same ``key`` replaces an earlier
    one; within :func:`run_steps` only those of steps that succeed count); outside a batch, now."""
    batch: _Batch | None = session.info.get("batch")
    if batch is None:
        work(session)
    elif batch.pending is not None:
        batch.pending[key] = work
    else:
        batch.at_end[key] = work


def _attempt(session: Session, entry: Entry[Any], work: Callable[[Session], Any], batch: _Batch) -> None:
    """``work`` in a SAVEPOINT: on an exception only its own changes (and its ``at_end`` work) are undone."""
    batch.pending = {}
    savepoint = session.begin_nested()
    try:
        entry.done(entry.context.run(work, session))
        savepoint.commit()
    except Exception as error:
        savepoint.rollback()  # app.live gives back what it held before: a lock taken inside, events not stored
        entry.error = error
    else:
        batch.at_end.update(batch.pending)
    finally:
        batch.pending = None


def run_steps(session: Session, entries: Sequence[Entry[Any]]) -> None:
    """The work of :data:`Job` requests: each job's first step without a savepoint (who is asking: a refusal has
    nothing to undo), then the steps sorted by ``order``, each in its own SAVEPOINT."""
    batch: _Batch = session.info["batch"]
    ready = []
    for entry in entries:
        step = entry.attempt(entry.request, session)
        if step is not None:
            ready.append((step, entry))
    for step, entry in sorted(ready, key=lambda pair: pair[0].order):
        _attempt(session, entry, step.run, batch)


def _run_batch(session: Session, work: Work, entries: list[Entry[Any]]) -> None:
    """``work`` over ``entries`` in one transaction, committed once (each entry's outcome is left on it)."""
    batch = _Batch()
    session.info["batch"] = batch
    with session:
        try:
            work(session, entries)
            for key in sorted(batch.at_end, key=str):
                batch.at_end[key](session)
            session.commit()
        except BaseException:
            _forget(session)
            raise
        finally:
            session.info.pop("batch", None)


@dataclass(eq=False)
class _Queued:
    work: Work
    entry: Entry[Any]


class Writer:
    """The group-commit queue of one app in one event loop (see the module's docstring)."""

    MAX_BATCH = 64

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.queue: list[_Queued] = []
        self.task: asyncio.Task[None] | None = None
        self.batches = 0  # transactions run, for the tests

    async def submit(self, work: Work, request: Any) -> Any:
        """Queue ``request`` for ``work``'s next batch; its result once that batch is committed (or its error)."""
        loop = asyncio.get_running_loop()
        entry: Entry[Any] = Entry(request, contextvars.copy_context(), loop.create_future())
        self.queue.append(_Queued(work, entry))
        if self.task is None:
            self.task = loop.create_task(self._drain())
        return await entry.future

    async def run_job(self, job: Job[T]) -> T:
        """Run ``job`` in the next batch of :func:`run_steps`; its step's result once committed (or its error)."""
        result: T = await self.submit(run_steps, job)
        return result

    GATHER_TURNS = 12
    QUIET_TURNS = 3

    async def _gather(self) -> None:
        """Let the requests that have already arrived join the next batch: turns of the event loop (no clock) in
        which their bytes are read, parsed and validated and they queue here, until ``QUIET_TURNS`` turns in a row
        add none (at most ``GATHER_TURNS``). Taking the batch at the first request's arrival made batches half the
        size of what was in flight, and every batch pays the same statements and commit."""
        quiet = 0
        for _turn in range(self.GATHER_TURNS):
            queued = len(self.queue)
            await asyncio.sleep(0)
            quiet = quiet + 1 if len(self.queue) == queued else 0
            if quiet == self.QUIET_TURNS or len(self.queue) >= self.MAX_BATCH:
                return

    def _next_batch(self) -> tuple[Work, list[Entry[Any]]]:
        """The oldest request's work and up to ``MAX_BATCH`` queued requests for it (the others keep their turn)."""
        work = self.queue[0].work
        taken: list[Entry[Any]] = []
        left: list[_Queued] = []
        for queued in self.queue:
            if queued.work is work and len(taken) < self.MAX_BATCH:
                taken.append(queued.entry)
            else:
                left.append(queued)
        self.queue = left
        return work, taken

    async def _drain(self) -> None:
        entries: list[Entry[Any]] = []
        # One connection for as long as requests keep coming, not one checkout (and, on PostgreSQL, one pre-ping
        # round trip) per batch; given back when the queue is empty, and replaced after a failed batch.
        connection: Connection | None = None
        try:
            while True:
                while self.queue:
                    await self._gather()
                    async with db_turn(self.app):
                        work, entries = self._next_batch()
                        connection, failure = await self._batch(connection, work, entries)
                        if isinstance(failure, Exception) and len(entries) > 1:
                            # Not a refusal but an error nothing foresaw (a database constraint, say): each request
                            # again in a transaction of its own, so that one fails only itself, never the others.
                            for entry in entries:
                                entry.result, entry.error = None, None
                                connection, alone = await self._batch(connection, work, [entry])
                                _answer([entry], alone)
                                if isinstance(alone, asyncio.CancelledError):
                                    raise alone
                            entries, failure = [], None
                    _answer(entries, failure)
                    entries = []
                    if isinstance(failure, asyncio.CancelledError):
                        raise failure
                if connection is None:
                    break  # nothing queued, nothing held: done (no await between the check and the end)
                await run_in_threadpool(connection.close)  # back to the pool: no transaction is open
                connection = None  # and drain again whatever was queued meanwhile
        finally:
            if connection is not None:  # cancelled (shutdown): nothing is open on it; closing sends nothing
                connection.close()
            self.task = None
            # Only when the drain was cancelled (shutdown): none of these was stored, none is acknowledged.
            leftover = entries + [queued.entry for queued in self.queue]
            self.queue = []
            for entry in leftover:
                if not entry.future.done():
                    entry.future.cancel()

    async def _batch(
        self, connection: Connection | None, work: Work, entries: list[Entry[Any]]
    ) -> tuple[Connection | None, BaseException | None]:
        """One batch on ``connection`` (a new one when None): the connection to go on with (None after a failure:
        it is discarded) and what failed the batch, or None."""
        if connection is None:
            connection = await self._connect()
        failure = await self._run(connection, work, entries)
        if failure is not None:
            _discard(connection)
            return None, failure
        return connection, None

    async def _connect(self) -> Connection:
        connection: Connection = await run_in_threadpool(self.app.state.engine.connect)
        return connection

    async def _run(self, connection: Connection, work: Work, entries: list[Entry[Any]]) -> BaseException | None:
        """One batch in the thread pool; what failed it (its commit included), or None."""
        session, later = _request_session(self.app, connection)
        try:
            await run_in_threadpool(_run_batch, session, work, entries)
        except BaseException as batch_error:  # no request of the batch is stored
            return batch_error
        else:
            return None
        finally:
            self.batches += 1
            _publish(self.app, later)


def _discard(connection: Connection) -> None:
    """Close a connection a batch failed on, for good (the next batch takes another)."""
    try:
        connection.invalidate()
    finally:
        connection.close()


def _answer(entries: list[Entry[Any]], failure: BaseException | None) -> None:
    """Settle every request of a committed (or failed) batch."""
    for entry in entries:
        if entry.future.done():  # the client went away
            continue
        refusal = failure or entry.error
        if isinstance(refusal, asyncio.CancelledError):  # shutdown: not acknowledged, so not lost
            entry.future.cancel()
        elif refusal is not None:
            entry.future.set_exception(refusal)
        else:
            entry.future.set_result(entry.result)


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, Writer]]" = weakref.WeakKeyDictionary()


def writer(app: FastAPI) -> Writer:
    """The group-commit writer of this app in the running event loop."""
    per_app = _writers.setdefault(asyncio.get_running_loop(), {})
    found = per_app.get(id(app))
    if found is None:
        found = per_app[id(app)] = Writer(app)
    return found
