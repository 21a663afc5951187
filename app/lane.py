"""The lane: the room's busiest requests served by their endpoint without FastAPI's per-request machinery.

A sticker is a tiny request that 30 phones send at once; FastAPI gives it the same generic treatment as a page with
ten dependencies: its remaining middleware layers, route matching, two exit stacks, a dependency solver that looks
at every parameter's annotation again, a content-type parser, a second validation of the answer. That generic work
cost more than everything the sticker itself needs (README, Benchmarks). This middleware, the innermost of ours (so
the language, the origin check, the security headers and the bounded body are already done), serves the routes
whose endpoint is marked :func:`lean` itself, with what was worked out once at start: one regular expression for
all of them, a pydantic model of each route's path parameters and a validator of its body, the CSRF check of
``app.deps`` (header or bearer token), then the endpoint itself, awaited with the validated values.

Only the ordinary request takes the lane: the route's method, ``Content-Type: application/json``, a CSRF token in
the header (or a bearer token), path parameters and body that validate. Anything else — a form, a missing or wrong
token, a bad id, a body that does not validate — falls through to FastAPI with the body as it came, and FastAPI
answers it exactly as before, through the same endpoint. So both lanes run one code; a refusal the endpoint raises
(``app.errors``) is answered by the app's own exception handler, and ``tests/test_lane.py`` checks that every
answer, lane on or off, is the same.

A lean endpoint is ``async def``, takes only ``request: Request``, path parameters and at most one body model, and
returns a ``Response``; :class:`LaneMiddleware` refuses to start with one that does not fit.
"""

import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute, APIRouter
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import csrf_header_ok
from app.errors import DomainError
from app.middleware import replay_first

F = TypeVar("F", bound=Callable[..., Awaitable[Response]])
_LEAN = "__leerreview_lean__"


def lean(endpoint: F) -> F:
    """Mark an endpoint for the lane (see the module's docstring); it stays an ordinary FastAPI route as well."""
    setattr(endpoint, _LEAN, True)
    return endpoint


@dataclass(frozen=True)
class _LeanRoute:
    """What the lane worked out once about one route."""

    method: str
    group: str  # the name of its group in the lane's one regular expression
    names: tuple[str, ...]  # its path parameters, in the order of the pattern
    path: type[BaseModel]  # validates the path parameters (FastAPI's own constraints, e.g. ids in 1 .. 2**31-1)
    body_name: str | None
    body: TypeAdapter[Any] | None
    request_name: str | None
    endpoint: Callable[..., Awaitable[Response]]


def _lean_route(prefix: str, route: APIRoute, group: str) -> tuple[_LeanRoute, str]:
    """The lane's view of a lean route, and its path pattern with named groups prefixed by ``group``."""
    dependant = route.dependant
    name = f"{route.endpoint.__module__}.{route.endpoint.__qualname__}"
    methods = sorted(route.methods or ())
    if not inspect.iscoroutinefunction(route.endpoint) or dependant.dependencies or len(methods) != 1:
        raise TypeError(f"{name}: a lean endpoint is async, has no dependencies and one method")
    if dependant.query_params or dependant.header_params or dependant.cookie_params or len(dependant.body_params) > 1:
        raise TypeError(f"{name}: a lean endpoint takes path parameters, one body and the request only")
    pattern, _format, _convertors = compile_path(prefix + route.path)
    names = tuple(re.compile(pattern.pattern).groupindex)
    fields = {field.name: (field.field_info.annotation, field.field_info) for field in dependant.path_params}
    path_model = create_model(f"{route.endpoint.__name__}_path", **fields)  # type: ignore[call-overload]
    body_field = dependant.body_params[0] if dependant.body_params else None
    body_type: Any = body_field.field_info.annotation if body_field else None
    renamed = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{group}_{m.group(1)}>", pattern.pattern)
    lean_route = _LeanRoute(
        method=methods[0],
        group=group,
        names=names,
        path=path_model,
        body_name=body_field.name if body_field else None,
        body=TypeAdapter(body_type) if body_field else None,
        request_name=dependant.request_param_name,
        endpoint=route.endpoint,
    )
    return lean_route, f"(?P<{group}>{renamed.removeprefix('^').removesuffix('$')})"


class LaneMiddleware:
    """Serves the lean routes of ``routers`` (``(prefix, router)`` pairs, as included in the app) itself; every
    other request, and every unusual one of theirs, goes on to ``app`` (see the module's docstring)."""

    def __init__(self, app: ASGIApp, fastapi: FastAPI, routers: Sequence[tuple[str, APIRouter]]) -> None:
        self.app = app
        self.fastapi = fastapi
        routes: list[_LeanRoute] = []
        patterns: list[str] = []
        for prefix, router in routers:
            for route in router.routes:
                if isinstance(route, APIRoute) and getattr(route.endpoint, _LEAN, False):
                    lean_route, pattern = _lean_route(prefix, route, f"r{len(routes)}")
                    routes.append(lean_route)
                    patterns.append(pattern)
        self.routes = {route.group: route for route in routes}
        self.served = 0  # requests the lane answered itself (for the tests)
        fastapi.state.lane = self
        self.pattern = re.compile("^(?:" + "|".join(patterns) + ")$") if patterns else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self.pattern.match(scope["path"]) if self.pattern is not None and scope["type"] == "http" else None
        route = self.routes.get(found.lastgroup or "") if found is not None else None
        if found is None or route is None or scope["method"] != route.method:
            await self.app(scope, receive, send)
            return
        first = await receive()
        receive = replay_first(first, receive)
        request = Request(scope, receive, send)
        values = _values(request, route, found, first)
        if values is None:
            await self.app(scope, receive, send)  # FastAPI answers it, exactly as without the lane
            return
        self.served += 1
        try:
            response = await route.endpoint(**values)
        except DomainError as error:  # the app's own answer to a refusal
            answer = self.fastapi.exception_handlers[DomainError](request, error)
            response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)


def _values(request: Request, route: _LeanRoute, found: re.Match[str], first: Message) -> dict[str, Any] | None:
    """The endpoint's arguments for an ordinary request; None for anything FastAPI should answer."""
    if first["type"] != "http.request" or first.get("more_body", False) or not csrf_header_ok(request):
        return None
    raw = {name: found.group(f"{route.group}_{name}") for name in route.names}
    try:
        values = dict(route.path.model_validate(raw))
        if route.body is not None and route.body_name is not None:
            if request.headers.get("content-type") != "application/json":
                return None
            values[route.body_name] = route.body.validate_json(first.get("body", b""))
    except ValidationError:
        return None
    request.scope["path_params"] = raw
    if route.request_name is not None:
        values[route.request_name] = request
    return values
