"""Group commit: small writes from requests that arrive together share one thread hop and one transaction.

A room's busiest write, a sticker, costs little in the database but a lot around it: a trip to the thread pool,
``BEGIN``, the commit (an fsync on PostgreSQL, a WAL append on SQLite), the live tally. With 30 phones tapping at
once each request used to wait for the one before it. Here each process has one :class:`Writer` per app: a
request hands it a :data:`Job` and waits; the writer drains everything queued in one trip to the thread pool,
as one transaction with one commit, and answers each request only after that commit (a crash loses nothing
that was acknowledged). While a batch runs the next one queues, so the batch grows with the load.

A job runs in two steps; a refusal (404/409/422, raised as an ``app.errors`` exception) fails only its own
request, with its own message in its own language (every step runs in a copy of its request's context), and
leaves the other writes of the batch in place:

1. ``job(session)`` reads who is asking and returns a :class:`Step`: the row locks the write will take
   (``order``) and the write itself (``run``). It runs without a savepoint, so it must change nothing that a
   refusal would have to undo (a login session's last-seen time, or its idle revocation, is kept either way),
   and raise nothing but ``app.errors`` exceptions (anything else fails the whole batch);
2. the steps run sorted by ``order``, each in its own SAVEPOINT (a refusal after a write undoes just that
   write). On PostgreSQL the writes take advisory locks; taken in one global order by every batch of every
   worker, two batches never wait for each other in a cycle (no deadlock).

What only the last state matters for — the live tally of a round, a phone's own stickers — is registered with
:func:`at_end` and done once per batch (in key order) just before the commit, so its cost does not grow with the
size of the batch. Outside a batch :func:`at_end` runs the work at once.
"""

import asyncio
import contextvars
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.db import _forget, _publish, _request_session, db_turn
from app.errors import DomainError

T = TypeVar("T")
EndKey = tuple[int | str, ...]


@dataclass(frozen=True)
class Step(Generic[T]):
    """The write of one job: ``run`` is called with the batch's session after every step with a smaller
    ``order`` (the ids of the rows it locks, e.g. ``(round_id, participant_id)``)."""

    order: tuple[int, ...]
    run: Callable[[Session], T]


Job = Callable[[Session], Step[T]]
"""Reads what a write needs (who is asking) and returns its :class:`Step`; raising refuses only this job."""


@dataclass
class _Item:
    job: Job[Any]
    context: contextvars.Context
    future: "asyncio.Future[Any]"
    step: Step[Any] | None = None
    result: Any = None
    error: BaseException | None = None


@dataclass
class _Batch:
    """What the jobs of one transaction registered to be done once before the commit."""

    at_end: dict[EndKey, Callable[[Session], None]] = field(default_factory=dict)
    pending: dict[EndKey, Callable[[Session], None]] | None = None


def at_end(session: Session, key: EndKey, work: Callable[[Session], None]) -> None:
    """Do ``work`` once before the batch commits (a later registration with the same ``key`` replaces an earlier
    one; only those of jobs that succeed count); outside a batch, now."""
    batch: _Batch | None = session.info.get("batch")
    if batch is None or batch.pending is None:
        work(session)
        return
    batch.pending[key] = work


def _attempt(session: Session, item: _Item, work: Callable[[Session], Any], batch: _Batch) -> Any:
    """``work`` in a SAVEPOINT: on an exception only its own changes (and its ``at_end`` work) are undone."""
    live_touched = set(session.info.get("live_touched", ()))
    batch.pending = {}
    savepoint = session.begin_nested()
    try:
        result = item.context.run(work, session)
        savepoint.commit()
    except Exception as error:
        savepoint.rollback()
        session.info["live_touched"] = live_touched  # a lock taken inside was released with the savepoint
        item.error = error
        return None
    else:
        batch.at_end.update(batch.pending)
        return result
    finally:
        batch.pending = None


def _prepare(session: Session, item: _Item) -> Step[Any] | None:
    """The job's first step, without a savepoint: a refusal (an ``app.errors`` exception) has nothing to undo."""
    try:
        return item.context.run(item.job, session)
    except DomainError as error:
        item.error = error
        return None


def _run_batch(session: Session, items: list[_Item]) -> None:
    """Every job of ``items`` in one transaction, committed once (each job's outcome is left on its item)."""
    batch = _Batch()
    session.info["batch"] = batch
    with session:
        try:
            for item in items:
                item.step = _prepare(session, item)
            ready = sorted(((i.step, i) for i in items if i.step is not None), key=lambda pair: pair[0].order)
            for step, item in ready:
                item.result = _attempt(session, item, step.run, batch)
            for key in sorted(batch.at_end, key=str):
                batch.at_end[key](session)
            session.commit()
        except BaseException:
            _forget(session)
            raise
        finally:
            session.info.pop("batch", None)


class Writer:
    """The group-commit queue of one app in one event loop (see the module's docstring)."""

    MAX_BATCH = 64

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.queue: list[_Item] = []
        self.task: asyncio.Task[None] | None = None
        self.batches = 0  # transactions run, for the tests

    async def submit(self, job: Job[T]) -> T:
        """Run ``job`` in the next batch; return its result once that batch is committed (or raise its error)."""
        loop = asyncio.get_running_loop()
        item = _Item(job, contextvars.copy_context(), loop.create_future())
        self.queue.append(item)
        if self.task is None:
            self.task = loop.create_task(self._drain())
        result: T = await item.future
        return result

    async def _drain(self) -> None:
        try:
            while self.queue:
                async with db_turn(self.app):
                    items, self.queue = self.queue[: self.MAX_BATCH], self.queue[self.MAX_BATCH :]
                    session, later = _request_session(self.app)
                    failure: BaseException | None = None
                    try:
                        await run_in_threadpool(_run_batch, session, items)
                    except BaseException as batch_error:  # the commit failed: no job of the batch is stored
                        failure = batch_error
                    finally:
                        self.batches += 1
                        _publish(self.app, later)
                for item in items:
                    if item.future.done():  # the client went away
                        continue
                    refusal = failure or item.error
                    if isinstance(refusal, asyncio.CancelledError):  # shutdown: not acknowledged, so not lost
                        item.future.cancel()
                    elif refusal is not None:
                        item.future.set_exception(refusal)
                    else:
                        item.future.set_result(item.result)
                if isinstance(failure, asyncio.CancelledError):
                    raise failure
        finally:
            self.task = None
            leftover, self.queue = self.queue, []  # only when the drain was cancelled (shutdown): none stored
            for item in leftover:
                item.future.cancel()


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, Writer]]" = weakref.WeakKeyDictionary()


def writer(app: FastAPI) -> Writer:
    """The group-commit writer of this app in the running event loop."""
    per_app = _writers.setdefault(asyncio.get_running_loop(), {})
    found = per_app.get(id(app))
    if found is None:
        found = per_app[id(app)] = Writer(app)
    return found
