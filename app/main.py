"""The application factory: middleware, static files, routers and error handlers."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import create_engine, make_url, text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.config import Settings, get_settings
from app.db import make_engine
from app.deps import csrf_protect
from app.errors import DomainError, NotAuthenticated, TooManyRequests
from app.i18n import _
from app.lane import LaneMiddleware
from app.live import Broker, PgListener
from app.middleware import RequestBodyMiddleware, RequestContextMiddleware
from app.route_index import index_routes
from app.security import Backoff, Limiter, MemoryBackoff, RateLimiter, verify_password
from app.shared_limits import DatabaseBackoff, DatabaseRateLimiter
from app.static_files import static_files
from app.templating import render
from app.validation import describe_errors

log = logging.getLogger("leerreview")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _error_page(request: Request, status: int, message: str, extra: dict[str, Any] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message, **(extra or {})}, status_code=status)
    titles = {
        400: _("Something is wrong with this request"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Not allowed"),
        409: _("Conflict"),
        422: _("Please check what you entered"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": titles.get(status, _("Error")), "message": message, "extra": extra or {}},
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every error becomes a clear answer in the user's language: JSON for the API, a page otherwise."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, NotAuthenticated) and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        extra: dict[str, Any] = {}
        if exc.detail is not None:
            extra["conflict" if exc.status_code == 409 else "errors"] = exc.detail
        response = _error_page(request, exc.status_code, exc.message, extra)
        if isinstance(exc, TooManyRequests):
            response.headers["retry-after"] = str(exc.retry_after)
        if isinstance(exc, NotAuthenticated):
            response.headers["www-authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = describe_errors(exc.errors())
        if any(error["field"] == "review_id" or error["field"].endswith("_id") for error in errors) and all(
            str(e.get("loc", ("",))[0]) == "path" for e in exc.errors()
        ):
            return _error_page(request, 404, _("Not found."))
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return _error_page(request, 422, _("Please check: %(problems)s", problems=summary), {"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: _("This page does not exist."),
            405: _("This action is not possible here."),
            413: _("The upload is too large."),
        }
        return _error_page(request, exc.status_code, messages.get(exc.status_code, _("The request was refused.")))


class UnexpectedErrorMiddleware:
    """An unexpected exception becomes the generic 500 page, logged once, and the connection stays usable.

    (A handler for ``Exception`` would run in Starlette's outermost middleware, which re-raises after answering:
    the server then logged the error a second time and closed the client's keep-alive connection.) An error
    after the response has started cannot be answered any more: it goes on to the server, which ends the
    connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            request = Request(scope)
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            if started:
                raise
            message = _("An unexpected error occurred. Nothing was changed. Please try again.")
            await _error_page(request, 500, message)(scope, receive, send)


def _listen_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Bind the live broker to the running loop; on PostgreSQL also listen for other workers' changes."""
    broker: Broker = app.state.broker
    broker.bind(asyncio.get_running_loop())
    settings: Settings = app.state.settings
    listener = None if settings.is_sqlite else PgListener(_listen_dsn(settings.effective_database_url), broker)
    if listener is not None:
        listener.start()
    try:
        yield
    finally:
        broker.close()
        if listener is not None:
            listener.stop()
        if app.state.limits_engine is not None:
            app.state.limits_engine.dispose()


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the user's language"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _document_errors(app: FastAPI) -> None:
    """Our 422 answers carry ``{"detail": message, "errors": [{"field", "message"}]}``: say so in the schema."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            schema.setdefault("components", {}).setdefault("schemas", {})["HTTPValidationError"] = ERROR_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for these settings (tests pass their own)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=lifespan,
        title="leerreview",
        version="0.1.0",
        summary="Learning reviews (casusonderzoek) of youth-care cases: API v1.",
        dependencies=[Depends(csrf_protect)],
        docs_url="/docs",
        redoc_url=None,
        # FastAPI's OpenTelemetry off: nothing leaves the service, and otherwise every request asks the global
        # providers whether anyone listens.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    app.state.broker = Broker()
    # Per-minute limits: in this process on SQLite (one process), in the database on PostgreSQL, where several
    # workers would otherwise each allow the limit; with a small pool of their own, never waiting for a request's.
    limits_engine = (
        None
        if settings.is_sqlite
        else create_engine(settings.effective_database_url, pool_size=2, max_overflow=4, pool_pre_ping=True)
    )
    app.state.limits_engine = limits_engine

    def limiter(name: str, limit: int) -> Limiter:
        return RateLimiter(limit, 60) if limits_engine is None else DatabaseRateLimiter(limits_engine, name, limit, 60)

    app.state.login_limiter = limiter("login", settings.login_attempts_per_minute)
    backoff: tuple[int, float, int] = (
        settings.lockout_after_failures,
        settings.lockout_minutes * 60,
        settings.login_backoff_max_seconds,
    )
    login_backoff: Backoff = (
        MemoryBackoff(*backoff) if limits_engine is None else DatabaseBackoff(limits_engine, "login-failures", *backoff)
    )
    app.state.check_password = verify_password  # a seam: tests pass one that waits for them
    app.state.login_backoff = login_backoff  # failed log-ins per address: a slow-down (app.auth.service)
    # Failed join codes: per client, and across all group interviews together (a room shares one address,
    # so only failures count, never successful joins).
    app.state.join_limiter = limiter("join-client", settings.join_failures_per_client)
    app.state.join_global_limiter = limiter("join-all", settings.join_failures_global)

    from app.auth.pages import pages as auth_pages
    from app.auth.router import api as auth_api
    from app.documents.pages import pages as documents_pages
    from app.documents.router import api as documents_api
    from app.findings.pages import pages as findings_pages
    from app.findings.router import api as findings_api
    from app.group_interview.pages import pages as group_interview_pages
    from app.group_interview.router import api as group_interview_api
    from app.interviews.pages import pages as interviews_pages
    from app.interviews.router import api as interviews_api
    from app.participants.pages import pages as participants_pages
    from app.participants.router import api as participants_api
    from app.reports.pages import pages as reports_pages
    from app.reports.router import api as reports_api
    from app.reviews.pages import pages as reviews_pages
    from app.reviews.router import api as reviews_api
    from app.share_back.pages import pages as share_back_pages
    from app.share_back.router import api as share_back_api
    from app.sharing.pages import pages as sharing_pages
    from app.sharing.router import api as sharing_api
    from app.studies.pages import pages as studies_pages
    from app.studies.router import api as studies_api
    from app.timeline.pages import pages as timeline_pages
    from app.timeline.router import api as timeline_api
    from app.vendor import router as vendor_router
    from app.voting.router import api as voting_api

    # The room's routes first: routes are matched in order, and the phones of a group interview are the busiest
    # clients (each router passed costs every request that goes further; paths do not overlap, so order is free).
    api_routers = (
        voting_api,
        group_interview_api,
        share_back_api,
        auth_api,
        reviews_api,
        participants_api,
        timeline_api,
        interviews_api,
        documents_api,
        findings_api,
        reports_api,
        sharing_api,
        studies_api,
    )
    for router in api_routers:
        app.include_router(router, prefix="/api/v1")
    for router in (
        auth_pages,
        reviews_pages,
        participants_pages,
        timeline_pages,
        interviews_pages,
        documents_pages,
        group_interview_pages,
        share_back_pages,
        findings_pages,
        reports_pages,
        sharing_pages,
        studies_pages,
        vendor_router,
    ):
        app.include_router(router)

    @app.get("/api/v1/ping", tags=["health"])
    async def ping() -> dict[str, bool]:
        """A bare JSON answer without database work: the baseline for benchmarks."""
        return {"ok": True}

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """Whether the service and its database answer."""
        try:
            with app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    app.mount("/static", static_files(), name="static")
    index_routes(app)  # after the last route: each area's routes are passed over in one step (app.route_index)
    install_error_handlers(app)
    _document_errors(app)
    # Innermost: the room's busiest routes (stickers) served by their endpoints without FastAPI's per-request work.
    if settings.lane:
        app.add_middleware(LaneMiddleware, fastapi=app, routers=[("/api/v1", voting_api)])
    app.add_middleware(UnexpectedErrorMiddleware)  # its 500 page gets the headers and the language
    app.add_middleware(RequestBodyMiddleware, settings=settings)  # inside: its refusals are translated
    app.add_middleware(RequestContextMiddleware, settings=settings)
    i18n.catalog.cache_clear()
    return app
