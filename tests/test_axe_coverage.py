"""Every HTML page the app serves is in the accessibility run (tests/browser/test_accessibility.py), or excluded
here with the reason.

The app's HTML GET routes are read from the app itself (outside /api/, no file suffix, no JSON); each page type
of the run is matched to the route that answers its address. A new page without a page type fails this test, and
so does an exclusion that no longer exists or that the run covers after all.
"""

import re

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount, compile_path

from tests.browser.test_accessibility import PAGE_TYPES, World

# Routes that answer with something other than an HTML page of the tool, each with why.
EXCLUDED = {
    "/docs": "FastAPI's Swagger UI: the API reference for developers, not a page of the tool",
    "/docs/oauth2-redirect": "Swagger UI's own OAuth2 helper, opened only by /docs",
    "/j/{code}": "no page: a 303 redirect to /join (the QR code's address), which the run covers",
    "/healthz": "JSON for the load balancer",
}
FILE = re.compile(r"\.[a-z0-9]+$")  # report.pdf, plotly-….js, openapi.json: files, not pages

# Made-up ids and tokens: only the shape of each address matters for matching it to its route.
SAMPLE = World(
    demo=11, participant=12, event=13, interview=14, document=15, room=16, meeting=17, study=18,
    share="/s/" + "t" * 43, code="ABCD-EFGH", meeting_code="ABCD-EFGH",
)  # fmt: skip


def html_routes(app: FastAPI) -> set[str]:
    """The path of every GET route that answers with an HTML page (or a redirect to one)."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount) or "GET" not in (route.methods or set()):
            continue
        path = route.path or ""
        if not path.startswith("/api/") and not FILE.search(path):
            found.add(path)
    return found


def covered_routes(app: FastAPI) -> dict[str, list[str]]:
    """Per route path, the page types of the accessibility run that open it."""
    routes = [
        (route.path or "", compile_path(route.path or "")[0], route.methods or set())
        for route in iter_route_contexts(app.routes)
        if not isinstance(route.original_route, Mount)
    ]
    covered: dict[str, list[str]] = {}
    for kind in PAGE_TYPES:
        path = kind.path(SAMPLE).split("?", 1)[0]
        found = [(route, methods) for route, pattern, methods in routes if pattern.fullmatch(path)]
        assert found, f"page type {kind.name}: {path} is no route of the app"
        gets = [route for route, methods in found if "GET" in methods]  # in the app's order: the first answers
        if kind.status == 405:  # a route of another method only
            assert not gets, f"page type {kind.name}: {path} answers GET"
            continue
        assert gets, f"page type {kind.name}: {path} answers no GET"
        covered.setdefault(gets[0], []).append(kind.name)
    return covered


def test_every_html_page_is_in_the_accessibility_run(app: FastAPI) -> None:
    pages = html_routes(app)
    covered = covered_routes(app)
    missing = pages - set(covered) - set(EXCLUDED)
    assert not missing, f"HTML pages without a page type in tests/browser/test_accessibility.py: {sorted(missing)}"
    assert set(EXCLUDED) <= pages, f"excluded routes that do not exist: {sorted(set(EXCLUDED) - pages)}"
    assert not set(EXCLUDED) & set(covered), "routes both excluded and covered"
    # The run opens the pages people meet most in more than one state.
    for path, states in {
        "/login": {"login", "login-failed"},
        "/p": {"phone", "phone-ended"},
        "/reviews/{review_id}/share-back/screen": {"sb-screen", "sb-screen-held"},
    }.items():
        assert states <= set(covered[path]), path


def test_the_run_covers_every_kind_of_error_page() -> None:
    # errors/error.html shows a plain message (403, 404, 405, 409, 429, 500 look alike) or a list of problems (422)
    statuses = {kind.status for kind in PAGE_TYPES}
    assert {403, 404, 405, 422} <= statuses
