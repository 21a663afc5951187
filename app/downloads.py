"""HTTP helpers shared by the areas' routes for files: download headers, the export's audit line, closing
uploaded forms, late files.

Files that take long to make (PDF: seconds for a 10 m banner) are made after the request's database work,
a few at a time.

A route loads what the file shows and writes its audit line as usual; it then answers with a :class:`LateFile`
holding a function that makes the bytes from that loaded data. The request's session commits and gives back
its database turn when the route returns (``SessionDep``), before the response is sent, and only then is the
file made, in the thread pool. So rendering never holds SQLite's single writer turn or a pooled connection,
and a researcher printing the banner does not stall the phones of a room that is voting.

Per process at most ``file_jobs`` files are made at once (:class:`FileQueue`); the others wait in the event loop,
not in threads, so renders never take every thread of the pool. When too many already wait, the request is
answered 503 with ``Retry-After`` at once.
"""

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Literal

from fastapi import Query, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app import audit, i18n
from app.deps import ReviewAccess

CsvSeparator = Annotated[
    Literal[";", ",", "tab"] | None,
    Query(description="The CSV field separator (default: ';' for Dutch, as Dutch Excel expects; ',' for English)"),
]

MAX_WAITING = 16
"""Per process, at most this many file requests wait for a free slot; more are refused (503)."""


class FileQueue:
    """The slots for making files in one event loop (asyncio primitives belong to one loop)."""

    def __init__(self, slots: int) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.waiting = 0
        self.running = 0


_queues: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, FileQueue]]" = weakref.WeakKeyDictionary()


def file_queue(app: object) -> FileQueue:
    """The file queue of this app in the running event loop."""
    per_app = _queues.setdefault(asyncio.get_running_loop(), {})
    queue = per_app.get(id(app))
    if queue is None:
        settings = getattr(getattr(app, "state", None), "settings", None)
        queue = per_app[id(app)] = FileQueue(getattr(settings, "file_jobs", 2))
    return queue


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "qdpx": "application/zip",
    "qdc": "application/xml",
}
"""The media type of each kind of file the service hands out, by the file name's extension."""


def attachment(filename: str) -> dict[str, str]:
    """The headers that make a response a download named ``filename``."""
    return {"content-disposition": f'attachment; filename="{filename}"'}


def download(content: bytes | str, filename: str) -> Response:
    """A file to save as ``filename``, its media type from the extension (:data:`MEDIA_TYPES`)."""
    return Response(content, media_type=MEDIA_TYPES[filename.rsplit(".", 1)[-1]], headers=attachment(filename))


def log_export(session: Session, access: ReviewAccess, kind: str) -> None:
    """Log in the audit log that the viewer took a file of this review (``kind``: what it was)."""
    audit.record_export(session, actor=access.viewer.actor, review_id=access.review_id, kind=kind)


async def close_form(request: Request) -> AsyncIterator[None]:
    """A router dependency: close a parsed form's uploaded files when the request ends, also when it is refused
    before the handler runs (the CSRF check may already have read the form; FastAPI closes only the forms it
    parsed for ``Form`` parameters itself)."""
    try:
        yield
    finally:
        await request.close()


class LateFile(Response):
    """A download whose bytes are made when the response is sent (``make`` must not touch the database); its
    media type, unless given, from ``filename`` as for :func:`download`."""

    def __init__(self, make: Callable[[], bytes | str], *, filename: str, media_type: str | None = None) -> None:
        self._make = make
        self._file_headers = attachment(filename)
        media_type = media_type or MEDIA_TYPES[filename.rsplit(".", 1)[-1]]
        super().__init__(b"", media_type=media_type, headers=self._file_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        queue = file_queue(scope.get("app"))
        if queue.waiting >= MAX_WAITING and queue.slots.locked():
            message = i18n.gettext("Many files are being made right now. Please try again in a minute.")
            busy = Response(
                json.dumps({"detail": message}),
                status_code=503,
                media_type="application/json",
                headers={"retry-after": "60"},
            )
            await busy(scope, receive, send)
            return
        queue.waiting += 1
        try:
            await queue.slots.acquire()
        finally:
            queue.waiting -= 1
        queue.running += 1
        try:
            content = await run_in_threadpool(self._make)
        finally:
            queue.running -= 1
            queue.slots.release()
        made = Response(content, status_code=self.status_code, headers=self._file_headers, media_type=self.media_type)
        await made(scope, receive, send)
