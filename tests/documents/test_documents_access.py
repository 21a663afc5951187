"""Access to every file-study route, API and page: owners and researchers write, readers read (403 on writes),
non-members get 404 and anonymous visitors 401 or the login page; refused requests store nothing."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session

from app.audit import Actor
from app.auth.models import User
from app.documents import service
from app.documents._files import Received
from app.documents.schemas import DocumentCreate
from app.timeline.schemas import EventCreate
from app.timeline.service import create_event
from tests.access import AreaRoute, app_routes, assert_answer
from tests.documents.files import PDF, PNG, multipart
from tests.world import ROLES, Ids, World, snapshot


@dataclass
class Things:
    """A document with a file, and a life-line event."""

    review_id: int
    document_id: int
    event_id: int

    def url(self, template: str) -> str:
        return template.format(**self.__dict__)


def _things(world: World, review_id: int, owner: User) -> Things:
    settings = world.app.state.settings
    folder = service.review_folder(settings, review_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "incoming.part").write_bytes(PDF)
    with Session(world.engine, expire_on_commit=False) as session:
        document = service.create_document(
            session=session,
            review_id=review_id,
            user=owner,
            data=DocumentCreate(title="Behandelplan", dated=dt.date(2022, 6, 14)),
        )
        service.attach_file(
            session=session,
            settings=settings,
            review_id=review_id,
            document_id=document.id or 0,
            actor=Actor("test"),
            received=Received(path=folder / "incoming.part", name="plan.pdf", type="pdf", size=len(PDF)),
        )
        event = create_event(
            session=session,
            review_id=review_id,
            actor=Actor.of(owner),
            data=EventCreate(title="Behandeling Noor", when="2022", lane="care"),
        )
        session.commit()
        return Things(review_id, document.id or 0, event.id or 0)


Route = AreaRoute[Things]

A = "/api/v1/reviews/{review_id}/documents"
D = A + "/{document_id}"
P = "/reviews/{review_id}/documents"
Q = P + "/{document_id}"
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", A): Route(False, 200),
    ("POST", A): Route(
        True, 201, lambda t: {"title": "Verslag overleg", "kind": "meeting_report", "dated": "2022-02-01"}
    ),
    ("GET", D): Route(False, 200),
    ("PATCH", D): Route(True, 200, lambda t: {"notes": "Gelezen."}),
    ("DELETE", D): Route(True, 204),
    ("PUT", D + "/file"): Route(True, 200, upload=True),
    ("GET", D + "/file"): Route(False, 200, audited=True),
    ("DELETE", D + "/file"): Route(True, 200),
    ("POST", D + "/findings"): Route(True, 201, lambda t: {"kind": "confirm", "event_id": t.event_id}),
    ("GET", P): Route(False, 200),
    ("POST", P): Route(True, 303, lambda t: {"title": "Verslag overleg", "kind": "meeting_report"}),
    ("GET", Q): Route(False, 200),
    ("POST", Q): Route(True, 303, lambda t: {"title": "Behandelplan (herzien)", "kind": "treatment_plan"}),
    ("POST", Q + "/file"): Route(True, 303, upload=True),
    ("POST", Q + "/file/delete"): Route(True, 303),
    ("POST", Q + "/delete"): Route(True, 303),
    ("POST", Q + "/findings"): Route(True, 303, lambda t: {"kind": "confirm", "event": f"{t.event_id}@1"}),
}
CASES = [(method, path, role) for (method, path) in ROUTES for role in ROLES]


def test_every_document_route_is_tested(world: World) -> None:
    assert app_routes(world.app, lambda path: "/documents" in path) == set(ROUTES)


def _send(world: World, role: str, method: str, url: str, route: Route, things: Things) -> Any:
    api = url.startswith("/api/")
    if route.upload:
        client = world.api[role] if api else world.pages[role].client
        body, content_type = multipart("scan.png", PNG, "" if api else world.pages[role].csrf)
        return client.request(method, url, content=body, headers={"content-type": content_type}, follow_redirects=False)
    if api:
        body = route.body(things)
        return world.api[role].request(method, url, json=body if body else None)
    if method == "GET":
        return world.pages[role].get(url)
    return world.pages[role].post(url, {k: str(v) for k, v in route.body(things).items()})


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=lambda v: str(v))
def test_access(world: World, ids: Ids, method: str, path: str, role: str) -> None:
    route = ROUTES[(method, path)]
    things = _things(world, ids.review_id, world.users["owner"])
    before = snapshot(world.engine)

    response = _send(world, role, method, things.url(path), route, things)

    assert_answer(response, route, engine=world.engine, before=before, role=role)


def test_a_document_of_another_review_is_not_found(world: World, ids: Ids) -> None:
    things = _things(world, ids.review_id, world.users["owner"])
    other = world.new_review("Andere casus")
    for path in (D, D + "/file"):
        url = path.format(review_id=other.review_id, document_id=things.document_id)
        assert world.api["owner"].get(url).status_code == 404
