"""Route matching that does not walk every route of every area for every request.

FastAPI matches a request against the app's routes in order, and an included router against each of its routes in
turn: with ~130 routes, ``/api/v1/ping`` (registered last) was compared with all of them, and route matching was
most of a bare request's cost (README, Benchmarks). :func:`index_routes` gives each top-level entry (an included
router, a route, a mount) one compiled pattern: the alternation of the path patterns of every route it holds. A
request whose path matches none of them is answered ``Match.NONE`` by one regular-expression call in C, without
entering the router; otherwise FastAPI's own matching runs unchanged. Skipping only entries that could not
match keeps FastAPI's semantics exactly: the order, ``Match.PARTIAL`` (405 for a known path with another method),
path parameters, mounts and ``redirect_slashes`` (which asks the same ``matches``). An entry whose routes cannot be
listed (a host route, something new) keeps its full matching.
"""

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_NO_MATCH: tuple[Match, Scope] = (Match.NONE, {})


def _patterns(entry: Any) -> list[str] | None:
    """The path patterns of every route an entry can match, or None when they cannot all be listed."""
    candidates = getattr(entry, "effective_candidates", None)
    if callable(candidates):  # an included router: its effective routes carry the prefixed patterns
        low_priority = getattr(entry, "effective_low_priority_routes", None)
        if callable(low_priority) and list(low_priority()):
            return None
        found: list[str] = []
        for candidate in candidates():
            inner = _patterns(candidate)
            if inner is None:
                return None
            found += inner
        return found
    if getattr(entry, "host", None):
        return None
    regex = getattr(entry, "path_regex", None)
    return [regex.pattern] if isinstance(regex, re.Pattern) else None


def _guard(matches: Callable[[Scope], tuple[Match, Scope]], combined: re.Pattern[str]) -> Callable[..., Any]:
    def guarded(scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and combined.match(get_route_path(scope)) is None:
            return _NO_MATCH
        return matches(scope)

    return guarded


def index_routes(app: FastAPI) -> int:
    """Give every top-level route entry of ``app`` its one-pattern pre-check; how many entries got one.

    Call it once the routes are in place (routes added later simply have no pre-check).
    """
    guarded = 0
    for entry in app.router.routes:
        patterns = _patterns(entry)
        if not patterns:
            continue
        combined = re.compile("|".join(f"(?:{_NAMED_GROUP.sub('(?:', p)})" for p in patterns))
        entry.matches = _guard(entry.matches, combined)  # type: ignore[method-assign]
        guarded += 1
    return guarded
