"""ASGI middleware: the request's language, the pre-login CSRF binding, origin checks, security headers, and
reading each request's body whole (bounded in size and time) before any handler runs."""

import asyncio
import functools
import json
import secrets
import tempfile
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.config import Settings

# style-src-attr: plotly.js writes style attributes while it draws (hover boxes, bold labels), and nothing
# else can style those elements; style sheets and <style> elements stay 'self' only (ARCHITECTURE.md, Security).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-elem 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
LANGUAGE_COOKIE = "leerreview-lang"
FORMS_TO_CLOSE = "forms_to_close"  # request.state: forms parsed for the CSRF check, closed when the request ends
# Built once: every response gets these unless it set its own (name, value) pairs, as ASGI wants them.
_SECURITY_RAW = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_NO_STORE = (b"cache-control", b"no-store")
_NOINDEX = (b"x-robots-tag", b"noindex, nofollow")


@functools.lru_cache(maxsize=256)
def _negotiate(accept_language: str | None, default: str) -> str:
    """``i18n.negotiate`` for the few distinct headers a service sees (browsers send the same one each time)."""
    return i18n.negotiate(accept_language, default)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RequestContextMiddleware:
    """Sets the language, checks where unsafe requests come from, and adds security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._pre_name: str | None = None
        self._cookie_flags = "; Secure" if settings.secure_cookies else ""

    def _pre_cookie_name(self) -> str:
        if self._pre_name is None:
            from app.deps import pre_cookie_name  # local import: deps imports db which imports settings

            self._pre_name = pre_cookie_name(self.settings)
        return self._pre_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        # Parsed as Starlette parses them for the handlers (request.cookies): leniently, and several times faster
        # than http.cookies.SimpleCookie.
        cookies = cookie_parser(headers.get("cookie", ""))
        language = cookies.get(LANGUAGE_COOKIE)
        if language not in i18n.LANGUAGES:
            language = _negotiate(headers.get("accept-language"), self.settings.default_language)
        token = i18n.set_language(language)

        path = scope["path"]
        static = path.startswith("/static/")
        pre_name = self._pre_cookie_name()
        pre_binding = cookies.get(pre_name, "")
        # Only pages render forms bound to it: an API answer or a static file gets no new one (no random bytes,
        # no Set-Cookie on every call of a script or a load generator that keeps no cookies).
        new_pre = not pre_binding and not static and not path.startswith("/api/")
        if new_pre:
            pre_binding = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["pre_binding"] = pre_binding

        try:
            if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not self._same_origin(scope, headers):
                await self._refuse(send, headers)
                return

            extra = [] if static else [_NO_STORE]
            extra.append((b"content-language", (language or "nl").encode()))
            if path == "/s" or path.startswith("/s/"):
                extra.append(_NOINDEX)  # share links: never in a search index
            cookie = None
            if new_pre:
                value = f"{pre_name}={pre_binding}; Path=/; HttpOnly; SameSite=Lax{self._cookie_flags}"
                cookie = (b"set-cookie", value.encode())

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    raw = list(message.get("headers", ()))
                    present = {name.lower() for name, _value in raw}
                    raw += [pair for pair in _SECURITY_RAW if pair[0] not in present]
                    raw += [pair for pair in extra if pair[0] not in present]
                    if cookie is not None:
                        raw.append(cookie)
                    message["headers"] = raw
                await send(message)

            await self.app(scope, receive, send_with_headers)
        finally:
            i18n._current.reset(token)
            for form in scope["state"].pop(FORMS_TO_CLOSE, ()):
                await form.close()

    def _same_origin(self, scope: Scope, headers: Headers) -> bool:
        """Whether an unsafe request comes from our own pages.

        Browsers send ``Sec-Fetch-Site``; it is decisive when present (with ``Referrer-Policy: no-referrer``
        Chromium sends ``Origin: null`` on same-origin form posts). Without it, a present ``Origin`` must be
        ours. Requests with neither are not cross-site browser requests (scripts, API clients).
        """
        site = headers.get("sec-fetch-site")
        if site is not None:
            return site in ("same-origin", "none")
        origin = headers.get("origin")
        if origin is None:
            return True
        host = headers.get("host", "")
        scheme = "https" if self.settings.secure_cookies else scope.get("scheme", "http")
        allowed = {_origin(self.settings.base_url), f"{scheme}://{host}".lower(), f"http://{host}".lower()}
        return origin.lower() in allowed

    async def _refuse(self, send: Send, headers: Headers) -> None:
        message = i18n.gettext("This request came from another site and was refused.")
        await refuse(send, headers, 403, message)


async def refuse(send: Send, headers: Headers, status: int, message: str, *, close: bool = False) -> None:
    """Answer before the app runs: the message as JSON or a bare page, with the security headers."""
    wants_json = "json" in headers.get("accept", "") or "json" in headers.get("content-type", "")
    body = (
        json.dumps({"detail": message}).encode()
        if wants_json
        else f"<!doctype html><title>{status}</title><p>{message}</p>".encode()
    )
    content_type = b"application/json" if wants_json else b"text/html; charset=utf-8"
    raw = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"content-language", i18n.current_language().encode()),
    ]
    if close:  # the rest of the body was not read: this connection cannot carry another request
        raw.append((b"connection", b"close"))
    raw += _SECURITY_RAW
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def replay_first(first: Message, receive: Receive) -> Receive:
    """A ``receive`` that gives ``first`` (a message already taken) again, then the client's own messages."""
    given = False

    async def again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return first

    return again


_SPOOL_IN_MEMORY = 1024 * 1024  # larger bodies (uploads) wait on disk, not in memory
_REPLAY_CHUNK = 64 * 1024


class _TooLarge(Exception):
    pass


class RequestBodyMiddleware:
    """Reads a request's whole body before the app sees it: at most ``request_max_bytes``, and after a grace
    period at least ``request_body_min_bytes_per_second`` (else 413 / 408 and the connection is closed).

    Handlers wait for their database turn (``app.db.DbGates``) before they read a form or a file; a client that
    sent its body one byte at a time would hold that turn, and with it every other request, for as long as it
    liked. Read here, the body is complete by the time any dependency or handler runs, whatever route it is for;
    a slow client only keeps its own connection waiting. The handlers' own, smaller limits still apply.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_bytes = settings.request_max_bytes
        self.grace = settings.request_body_grace_seconds
        self.min_rate = settings.request_body_min_bytes_per_second

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if not ("chunked" in headers.get("transfer-encoding", "").lower() or (length.isdigit() and int(length) > 0)):
            await self.app(scope, receive, send)
            return
        if length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(send, headers)
            return
        started = asyncio.get_running_loop().time()  # the slow-body clock starts once, whichever path reads
        if length.isdigit() and int(length) <= _REPLAY_CHUNK:
            # A small body (a sticker, a form) mostly arrives in one message: handed on as it is, no spool.
            first = await self._first(receive)
            if first is None:
                await self._refuse_slow(send, headers)
                return
            if first["type"] == "http.disconnect":
                return
            if not first.get("more_body", False):
                if len(first.get("body", b"")) > self.max_bytes:
                    await self._too_large(send, headers)
                    return
                await self.app(scope, replay_first(first, receive), send)
                return
            receive = replay_first(first, receive)  # the rest follows: spooled with the first part
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
            try:
                complete = await self._read(receive, spool, started)
            except _TooLarge:
                await self._too_large(send, headers)
                return
            except TimeoutError:
                await self._refuse_slow(send, headers)
                return
            if not complete:
                return  # the client went away while sending
            spool.seek(0)
            await self.app(scope, self._replay(spool, receive), send)

    async def _read(self, receive: Receive, spool: "tempfile.SpooledTemporaryFile[bytes]", started: float) -> bool:
        """Copy the body into ``spool``; False when the client disconnected first."""
        loop = asyncio.get_running_loop()
        size = 0
        while True:
            left = started + self.grace + size / self.min_rate - loop.time()
            if left <= 0:
                raise TimeoutError
            async with asyncio.timeout(left):  # a timer, not a task per message (as wait_for would make)
                message = await receive()
            if message["type"] == "http.disconnect":
                return False
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            spool.write(chunk)
            if not message.get("more_body", False):
                return True

    @staticmethod
    def _replay(spool: "tempfile.SpooledTemporaryFile[bytes]", receive: Receive) -> Receive:
        """The body again, in chunks; afterwards the client's own messages (a disconnect)."""
        done = False

        async def replay() -> Message:
            nonlocal done
            if done:
                return await receive()
            chunk = spool.read(_REPLAY_CHUNK)
            more = len(chunk) == _REPLAY_CHUNK
            done = not more
            return {"type": "http.request", "body": chunk, "more_body": more}

        return replay

    async def _first(self, receive: Receive) -> Message | None:
        """The first message of the body, or None when it did not come within the grace period."""
        try:
            async with asyncio.timeout(self.grace):
                return await receive()
        except TimeoutError:
            return None

    async def _refuse_slow(self, send: Send, headers: Headers) -> None:
        message = i18n.gettext("The request was sent too slowly and was stopped. Please try again.")
        await refuse(send, headers, 408, message, close=True)

    async def _too_large(self, send: Send, headers: Headers) -> None:
        mb = max(1, self.max_bytes // (1024 * 1024))
        message = i18n.gettext("The request is too large (at most %(mb)s MB).", mb=mb)
        await refuse(send, headers, 413, message, close=True)
