"""Access to every life-line route, API and page: writers write, readers read (403 on writes), non-members get
404, anonymous visitors 401 or the login page; an event of another review is 404 even for its members."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session

from app.audit import Actor
from app.timeline.schemas import EventCreate, EventUpdate, PersonCreate
from app.timeline.service import add_person, create_event, set_deleted, update_event
from tests.access import AreaRoute, app_routes, assert_answer
from tests.world import ROLES, Ids, World, snapshot

CSV = "title,when,lane\nNoor geboren,2008,family\n"
_NAMES = itertools.count()


@dataclass(frozen=True)
class Route(AreaRoute[int]):
    """A life-line route (its body made from the event's current version), the state its event must be in
    ("edited": version 2 exists; "deleted": restorable), and whether it is a page form (else JSON for the API)."""

    state: str = "edited"
    form: bool = False


A = "/api/v1/reviews/{review_id}"
L = A + "/lifeline/events/{event_id}"
P = "/reviews/{review_id}/lifeline"
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", A + "/lifeline/events"): Route(False, 200),
    ("POST", A + "/lifeline/events"): Route(True, 201, lambda v: {"title": "Sem geboren", "when": "2011"}),
    ("GET", L): Route(False, 200),
    ("PATCH", L): Route(True, 200, lambda v: {"title": "Noor geboren (thuis)", "version": v}),
    ("DELETE", L): Route(True, 200),
    ("POST", L + "/restore"): Route(True, 200, state="deleted"),
    ("GET", L + "/history"): Route(False, 200),
    ("POST", L + "/history/{{version}}/restore"): Route(True, 200, lambda v: {"version": v}),
    ("GET", A + "/lifeline/parse"): Route(False, 200),
    ("GET", A + "/lifeline/people"): Route(False, 200),
    ("POST", A + "/lifeline/people"): Route(True, 201, lambda v: {"name": f"Kind {next(_NAMES)}", "born": "2010"}),
    ("PATCH", A + "/lifeline/people/{person_id}"): Route(True, 200, lambda v: {"born": "voorjaar 2011"}),
    ("DELETE", A + "/lifeline/people/{person_id}"): Route(True, 204),
    ("GET", A + "/lifeline/figure"): Route(False, 200),
    ("GET", A + "/lifeline.svg"): Route(False, 200, audited=True),
    ("GET", A + "/lifeline.pdf"): Route(False, 200, audited=True),
    ("GET", A + "/lifeline.csv"): Route(False, 200, audited=True),
    ("POST", A + "/lifeline.csv"): Route(True, 201, upload=True),
    ("GET", P): Route(False, 200),
    ("POST", P + "/events"): Route(True, 303, lambda v: {"title": "Sem geboren", "when": "2011"}, form=True),
    ("GET", P + "/events/{event_id}"): Route(False, 200),
    ("POST", P + "/events/{event_id}"): Route(
        True, 303, lambda v: {"title": "Noor geboren (thuis)", "when": "2008", "version": str(v)}, form=True
    ),
    ("POST", P + "/events/{event_id}/delete"): Route(True, 303, form=True),
    ("POST", P + "/events/{event_id}/restore"): Route(True, 303, state="deleted", form=True),
    ("POST", P + "/events/{event_id}/versions/{{version}}/restore"): Route(
        True, 303, lambda v: {"current_version": str(v)}, form=True
    ),
    ("POST", P + "/import"): Route(True, 303, form=True, upload=True),
    ("POST", P + "/people"): Route(True, 303, lambda v: {"name": f"Kind {next(_NAMES)}", "born": "2010"}, form=True),
    ("POST", P + "/people/{person_id}"): Route(True, 303, lambda v: {"born": "zomer 2011"}, form=True),
    ("POST", P + "/people/{person_id}/delete"): Route(True, 303, form=True),
}
CASES = [(method, path, role) for (method, path) in ROUTES for role in ROLES]


@contextmanager
def _as_owner(world: World) -> Iterator[tuple[Session, Actor]]:
    """A session (committed at the end) and the world's owner to act as, to prepare rows without a request."""
    with Session(world.engine, expire_on_commit=False) as session:
        yield session, Actor.of(world.users["owner"], label="Owner")
        session.commit()


def _event(world: World, review_id: int, state: str) -> tuple[int, int]:
    """An event in the given state; returns its id and current version."""
    with _as_owner(world) as (session, actor):
        event = create_event(
            session=session,
            review_id=review_id,
            actor=actor,
            data=EventCreate(title="Noor geboren", when="2008", lane="family"),
        )
        event_id = event.id or 0
        update_event(
            session=session,
            review_id=review_id,
            event_id=event_id,
            actor=actor,
            data=EventUpdate(version=1, description="in het ziekenhuis"),
        )
        if state == "deleted":
            set_deleted(session=session, review_id=review_id, event_id=event_id, actor=actor, deleted=True)
    return event_id, event.version


def _send(world: World, role: str, method: str, url: str, route: Route, version: int) -> Any:
    body = route.body(version)
    files = {"file": ("levenslijn.csv", CSV.encode(), "text/csv")} if route.upload else None
    if route.form or (method == "GET" and not url.startswith("/api/")):
        browser = world.pages[role]
        if method == "GET":
            return browser.get(url)
        return browser.post(url, data={k: str(v) for k, v in body.items()}, files=files)
    client = world.api[role]
    if route.upload:
        return client.post(url, files=files)
    return client.request(method, url, json=body or None)


def _url(path: str, review_id: int, event_id: int, person_id: int = 0) -> str:
    return path.format(review_id=review_id, event_id=event_id, person_id=person_id).format(version=1)


def _person(world: World, review_id: int) -> int:
    """A person of the life-line (born 2010); returns its id."""
    with _as_owner(world) as (session, actor):
        person = add_person(
            session=session,
            review_id=review_id,
            actor=actor,
            data=PersonCreate(name=f"Kind {next(_NAMES)}", born="2010"),
        )
    return person.id or 0


def test_every_life_line_route_is_in_this_table(world: World) -> None:
    listed = {(method, path.replace("{{version}}", "{version}")) for method, path in ROUTES}
    assert app_routes(world.app, lambda path: "lifeline" in path) == listed


@pytest.mark.parametrize(("method", "path", "role"), CASES)
def test_access(world: World, ids: Ids, method: str, path: str, role: str) -> None:
    route = ROUTES[(method, path)]
    event_id, version = _event(world, ids.review_id, route.state)
    url = _url(path, ids.review_id, event_id, _person(world, ids.review_id))
    before = snapshot(world.engine)
    response = _send(world, role, method, url, route, version)
    assert_answer(response, route, engine=world.engine, before=before, role=role)
    if role in route.allowed and response.status_code == 303:
        assert not response.headers["location"].startswith("/login")


EVENT_ROUTES = [(method, path) for (method, path) in ROUTES if "{event_id}" in path or "{person_id}" in path]


@pytest.mark.parametrize(("method", "path"), EVENT_ROUTES)
def test_an_event_of_another_review_is_not_found(world: World, ids: Ids, method: str, path: str) -> None:
    route = ROUTES[(method, path)]
    other = world.new_review("Andere casus")
    event_id, version = _event(world, other.review_id, route.state)  # the owner is a member of both reviews
    person_id = _person(world, other.review_id)
    before = snapshot(world.engine)
    response = _send(world, "owner", method, _url(path, ids.review_id, event_id, person_id), route, version)
    assert response.status_code == 404
    assert snapshot(world.engine) == before
