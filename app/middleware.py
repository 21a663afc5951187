"""ASGI middleware: the request's language, the pre-login CSRF binding, origin checks, security headers."""

import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class RequestContextMiddleware:
    """Sets the language, checks where unsafe requests come from, and adds security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is treated as no cookies
            cookies = SimpleCookie()
        language = cookies[LANGUAGE_COOKIE].value if LANGUAGE_COOKIE in cookies else None
        if language not in i18n.LANGUAGES:
            language = i18n.negotiate(headers.get("accept-language"), self.settings.default_language)
        token = i18n.set_language(language)

        from app.deps import pre_cookie_name  # local import: deps imports db which imports settings

        pre_name = pre_cookie_name(self.settings)
        pre_binding = cookies[pre_name].value if pre_name in cookies else ""
        new_pre = not pre_binding
        if new_pre:
            pre_binding = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["pre_binding"] = pre_binding

        try:
            if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not self._same_origin(scope, headers):
                await self._refuse(send, headers)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    out = MutableHeaders(scope=message)
                    for name, value in SECURITY_HEADERS.items():
                        out.setdefault(name, value)
                    path = scope["path"]
                    if not path.startswith("/static/"):
                        out.setdefault("cache-control", "no-store")
                    out.setdefault("content-language", language or "nl")
                    if path == "/s" or path.startswith("/s/"):
                        out.setdefault("x-robots-tag", "noindex, nofollow")  # share links: never in a search index
                    if new_pre and not path.startswith("/static/"):
                        flags = "; Secure" if self.settings.secure_cookies else ""
                        out.append("set-cookie", f"{pre_name}={pre_binding}; Path=/; HttpOnly; SameSite=Lax{flags}")
                await send(message)

            await self.app(scope, receive, send_with_headers)
        finally:
            i18n._current.reset(token)

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
        wants_json = "json" in headers.get("accept", "") or "json" in headers.get("content-type", "")
        body = (
            json.dumps({"detail": message}).encode()
            if wants_json
            else f"<!doctype html><title>403</title><p>{message}</p>".encode()
        )
        content_type = b"application/json" if wants_json else b"text/html; charset=utf-8"
        raw = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"content-language", i18n.current_language().encode()),
        ]
        raw += [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
        await send({"type": "http.response.start", "status": 403, "headers": raw})
        await send({"type": "http.response.body", "body": body})
