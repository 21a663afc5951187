"""HTTP helpers shared by the areas' routes for files: download headers, closing uploaded forms, late files.

Files that take long to make (PDF: seconds for a 10 m banner) are made after the request's database work.

A route loads what the file shows and writes its audit line as usual; it then answers with a :class:`LateFile`
holding a function that makes the bytes from that loaded data. The request's session commits and gives back
its database turn when the route returns (``SessionDep``), before the response is sent, and only then is the
file made, in the thread pool. So rendering never holds SQLite's single writer turn or a pooled connection,
and a researcher printing the banner does not stall the phones of a room that is voting.
"""

from collections.abc import AsyncIterator, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import Receive, Scope, Send


def attachment(filename: str) -> dict[str, str]:
    """The headers that make a response a download named ``filename``."""
    return {"content-disposition": f'attachment; filename="{filename}"'}


async def close_form(request: Request) -> AsyncIterator[None]:
    """A router dependency: close a parsed form's uploaded files when the request ends, also when it is refused
    before the handler runs (the CSRF check may already have read the form; FastAPI closes only the forms it
    parsed for ``Form`` parameters itself)."""
    try:
        yield
    finally:
        await request.close()


class LateFile(Response):
    """A download whose bytes are made when the response is sent (``make`` must not touch the database)."""

    def __init__(self, make: Callable[[], bytes | str], *, media_type: str, filename: str) -> None:
        self._make = make
        self._file_headers = attachment(filename)
        super().__init__(b"", media_type=media_type, headers=self._file_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        content = await run_in_threadpool(self._make)
        made = Response(content, status_code=self.status_code, headers=self._file_headers, media_type=self.media_type)
        await made(scope, receive, send)
