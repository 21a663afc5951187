"""app.route_index: every top-level route entry answers exactly as FastAPI's own matching, for every route."""

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

from app.route_index import index_routes

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _sample_paths(app: FastAPI) -> set[str]:
    """A concrete path for every route pattern, with and without a trailing slash, and a longer one."""
    paths: set[str] = set()
    for route in app.routes:
        for path in {getattr(route, "path", None)} | {
            getattr(c, "path_format", None) for c in getattr(route, "effective_candidates", list)()
        }:
            if not path:
                continue
            concrete = re.sub(r"\{[^}]+\}", "7", path) or "/"
            paths |= {concrete, concrete.rstrip("/") + "/", concrete + "/extra", "/static/css/app.css"}
    return paths | {"/", "/nothing-here", "/api/v1/nothing", "/api/v1/reviews/7/nothing"}


def _scope(path: str, method: str) -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "query_string": b"", "headers": []}


def test_every_entry_matches_as_without_the_index(app: FastAPI) -> None:
    entries = app.router.routes
    guarded = [e for e in entries if "matches" in vars(e)]
    assert len(guarded) >= 20  # every included router, route and mount got its pre-check
    samples = _sample_paths(app)
    assert len(samples) > 300
    for path in samples:
        for method in METHODS:
            with_index = [e.matches(_scope(path, method))[0] for e in entries]
            without = [type(e).matches(e, _scope(path, method))[0] for e in entries]
            assert with_index == without, (method, path)
    # and the pre-check really answers for the entries it passes over
    assert all(e.matches(_scope("/nothing-here", "GET"))[0] == Match.NONE for e in guarded)


def test_index_routes_is_safe_to_call_again(app: FastAPI) -> None:
    ping = next(r for r in app.router.routes if getattr(r, "path", "") == "/api/v1/ping")
    index_routes(app)
    assert ping.matches(_scope("/api/v1/ping", "GET"))[0] == Match.FULL


def test_not_found_method_not_allowed_and_slash_redirect_over_http(client: TestClient) -> None:
    assert client.get("/api/v1/ping").json() == {"ok": True}
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.delete("/api/v1/ping").status_code == 405
    moved = client.get("/api/v1/ping/", follow_redirects=False)
    assert moved.status_code in (307, 308) and moved.headers["location"].endswith("/api/v1/ping")
    assert client.get("/static/does-not-exist.css").status_code == 404
