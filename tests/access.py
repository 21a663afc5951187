"""What the role-by-role access tables share (tests/test_access_matrix.py and the areas' own ``test_*_access.py``):
the role groups, one row of a table, the status each role must get, the routes the app answers, and the checks
every answer gets."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine
from starlette.routing import Mount

from tests.world import snapshot

MEMBERS = frozenset({"owner", "researcher", "reader"})
WRITERS = frozenset({"owner", "researcher"})
OWNERS = frozenset({"owner"})
REFUSALS = frozenset({401, 403, 404})

IdsT = TypeVar("IdsT")


def _none(_ids: object) -> None:
    return None


def _empty(_ids: object) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Access(Generic[IdsT]):
    """Who may use a route, what it answers them, and the body it is sent with (made from the test's ids)."""

    allowed: frozenset[str]
    ok: int
    body: Callable[[IdsT], dict[str, Any] | None] = _none


@dataclass(frozen=True)
class AreaRoute(Generic[IdsT]):
    """A row of an area's own table (documents, interviews, life-line): every member may use it, only writers when
    it ``writes``; what it answers them; its body; whether it sends a file; ``audited``: a read that is logged (a
    download, an export), so an allowed use changes stored data although it does not write."""

    writes: bool
    ok: int
    body: Callable[[IdsT], dict[str, Any]] = _empty
    upload: bool = False
    audited: bool = False

    @property
    def allowed(self) -> frozenset[str]:
        """The roles that may use it."""
        return WRITERS if self.writes else MEMBERS

    @property
    def changes(self) -> bool:
        """Whether an allowed use changes stored data."""
        return self.writes or self.audited


def expected_status(role: str, *, allowed: frozenset[str], ok: int, api: bool) -> int:
    """What ``role`` must get: anonymous visitors 401 (API) or 303 to the log-in page, non-members 404 (the
    review's existence stays hidden), members without the right 403, the others ``ok``."""
    if role == "anonymous":
        return 401 if api else 303
    if role == "outsider":
        return 404
    return ok if role in allowed else 403


def app_routes(app: FastAPI, keep: Callable[[str], bool] = lambda _path: True) -> set[tuple[str, str]]:
    """Every (method, path) the app answers whose path ``keep`` accepts, HEAD and mounted apps aside."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            continue
        assert route.path is not None, route
        if keep(route.path):
            found |= {(method, route.path) for method in (route.methods or set()) - {"HEAD"}}
    return found


def assert_only_logged(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]], actions: set[str]
) -> None:
    """Between two snapshots the audit log only grew, by lines of ``actions``; the two snapshots lose it."""
    logged_before, logged_after = before.pop("audit_log"), after.pop("audit_log")
    assert logged_after[: len(logged_before)] == logged_before
    assert {row[3] for row in logged_after[len(logged_before) :]} <= actions


def assert_answer(
    response: Any, route: AreaRoute[Any], *, engine: Engine, before: dict[str, list[tuple[Any, ...]]], role: str
) -> None:
    """The checks of one role-by-role case of ``route``: the status ``expected_status`` names; stored data
    changed exactly when an allowed use ``changes`` it; an anonymous page visitor is sent to the log-in page that
    comes back to the review; a refused API call says why."""
    url = str(response.request.url.path)
    api = url.startswith("/api/")
    expected = expected_status(role, allowed=route.allowed, ok=route.ok, api=api)
    assert response.status_code == expected, (role, response.request.method, url, response.text[:400])
    if role in route.allowed and route.changes:
        assert snapshot(engine) != before, "an allowed change stored nothing"
    else:
        assert snapshot(engine) == before, "a refused or read-only request changed stored data"
    if role == "anonymous" and not api:
        assert response.headers["location"].startswith("/login?next=/reviews/")
    if api and expected in REFUSALS:
        assert response.json()["detail"]
