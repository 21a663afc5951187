"""No database work on the event loop: a statement run from the loop's own thread holds up every other request
of that worker (the live room's stickers and screens too) until it is done. Page and API handlers that use the
database are plain ``def`` (FastAPI runs them in the thread pool; a form is read by ``app.validation.Submitted``)
or hand their work to a thread (``run_in_threadpool``, ``app.db.without_turn``, ``in_room``).

Registered for the whole suite (tests/conftest.py): every statement the app runs while it handles a request is
checked, and a test fails when one ran on the event loop, naming the statement and the app code that ran it."""

import asyncio
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

_on_loop: list[str] = []


def _handling_a_request(stack: traceback.StackSummary) -> bool:
    """Whether the statement comes from a request's handling (its coroutines are on the stack), not from the
    app's start-up (``lifespan``) or from test code that happens to run beside a loop (Playwright's)."""
    in_starlette = any("/starlette/" in frame.filename for frame in stack)
    return in_starlette and not any(frame.name in {"lifespan", "_lifespan"} for frame in stack)


def _check(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a worker thread: where database work belongs
    stack = traceback.extract_stack()
    if not _handling_a_request(stack):
        return
    app = [f"{f.filename.rsplit('/app/', 1)[-1]}:{f.lineno} {f.name}" for f in stack if "/app/" in f.filename]
    _on_loop.append(f"{' '.join(statement.split())[:70]} — from {' <- '.join(reversed(app[-4:]))}")


event.listen(Engine, "before_cursor_execute", _check)


@pytest.fixture(autouse=True)
def no_database_work_on_the_event_loop() -> Iterator[None]:
    """Fail the test when the app ran a statement on the event loop while it handled one of its requests."""
    start = len(_on_loop)
    yield
    found = _on_loop[start:]
    del _on_loop[start:]
    assert not found, "database work on the event loop (it holds up every other request):\n" + "\n".join(
        dict.fromkeys(found)
    )
