"""Access to every interview route, API and page: owners and researchers write, readers read (403 on writes),
non-members get 404 and anonymous visitors 401 or the login page; refused requests store nothing."""

import pytest

from tests.access import AreaRoute, app_routes, assert_answer
from tests.interviews.things import Things, make_things
from tests.world import ROLES, Ids, World, snapshot

Route = AreaRoute[Things]

A = "/api/v1/reviews/{review_id}"
IV = A + "/interviews/{interview_id}"
P = "/reviews/{review_id}"
ROUTES: dict[tuple[str, str], Route] = {
    ("GET", A + "/interview-guide"): Route(False, 200),
    ("POST", A + "/interview-guide"): Route(True, 201, lambda t: {"title": "Vrije tijd"}),
    ("DELETE", A + "/interview-guide/{topic_key}"): Route(True, 204),
    ("GET", A + "/interviews"): Route(False, 200),
    ("POST", A + "/interviews"): Route(
        True, 201, lambda t: {"participant_ids": [t.participant_id], "held_on": "2024-03-12"}
    ),
    ("GET", IV): Route(False, 200),
    ("PATCH", IV): Route(True, 200, lambda t: {"place": "School"}),
    ("DELETE", IV): Route(True, 204),
    ("PATCH", IV + "/notes/{topic_key}"): Route(
        True, 200, lambda t: {"text": "Wonen bij tante sinds 2023.", "version": 0}
    ),
    ("POST", IV + "/events"): Route(True, 201, lambda t: {"title": "Noor geboren", "when": "2008"}),
    ("POST", A + "/date-text"): Route(False, 200, lambda t: {"text": "In het voorjaar 2014 werd moeder opgenomen."}),
    ("GET", A + "/quotes"): Route(False, 200),
    ("POST", A + "/quotes"): Route(True, 201, lambda t: {"text": "Eindelijk.", "participant_id": t.participant_id}),
    ("DELETE", A + "/quotes/{quote_id}"): Route(True, 204),
    ("GET", A + "/candidate-factors"): Route(False, 200),
    ("POST", A + "/candidate-factors"): Route(True, 201, lambda t: {"kind": "hindering", "title": "Wisselingen"}),
    ("DELETE", A + "/candidate-factors/{factor_id}"): Route(True, 204),
    ("GET", P + "/interviews"): Route(False, 200),
    ("POST", P + "/interviews"): Route(
        True, 303, lambda t: {"participant_ids": str(t.participant_id), "held_on": "2024-03-12"}
    ),
    ("GET", P + "/interviews/{interview_id}"): Route(False, 200),
    ("POST", P + "/interviews/{interview_id}"): Route(
        True, 303, lambda t: {"participant_ids": str(t.participant_id), "place": "Thuis", "status": "worked_out"}
    ),
    ("POST", P + "/interviews/{interview_id}/notes"): Route(
        True, 303, lambda t: {"notes-successes": "Noor gaat weer naar school.", "version-successes": "0"}
    ),
    ("POST", P + "/interviews/{interview_id}/delete"): Route(True, 303),
    ("POST", P + "/interview-guide"): Route(True, 303, lambda t: {"title": "Vrije tijd"}),
    ("POST", P + "/interview-guide/{topic_key}/delete"): Route(True, 303),
    ("POST", P + "/quotes"): Route(
        True, 303, lambda t: {"text": "Eindelijk.", "participant_id": str(t.participant_id)}
    ),
    ("POST", P + "/quotes/{quote_id}/delete"): Route(True, 303),
    ("POST", P + "/candidate-factors"): Route(True, 303, lambda t: {"kind": "success", "title": "Korte lijnen"}),
    ("POST", P + "/candidate-factors/{factor_id}/delete"): Route(True, 303),
}
CASES = [(method, path, role) for (method, path) in ROUTES for role in ROLES]
OURS = ("/interview", "/quotes", "/candidate-factors", "/date-text")


def test_every_interview_route_is_tested(world: World) -> None:
    assert app_routes(world.app, lambda path: any(part in path for part in OURS)) == set(ROUTES)


@pytest.mark.parametrize(("method", "path", "role"), CASES, ids=lambda v: str(v))
def test_access(world: World, ids: Ids, method: str, path: str, role: str) -> None:
    route = ROUTES[(method, path)]
    things = make_things(world.engine, ids.review_id, ids.participant_id, world.users["owner"])
    url = things.url(path)
    body = route.body(things)
    before = snapshot(world.engine)

    if url.startswith("/api/"):
        response = world.api[role].request(method, url, json=body if method != "GET" and body else None)
    elif method == "GET":
        response = world.pages[role].get(url)
    else:
        response = world.pages[role].post(url, body)

    assert_answer(response, route, engine=world.engine, before=before, role=role)


@pytest.mark.parametrize(
    "path",
    [IV, IV + "/notes/life_course", A + "/quotes/{quote_id}", A + "/candidate-factors/{factor_id}"],
)
def test_things_of_another_review_are_not_found(world: World, ids: Ids, path: str) -> None:
    """A member of review B cannot reach review A's interview, quote or factor through review B's URL."""
    things = make_things(world.engine, ids.review_id, ids.participant_id, world.users["owner"])
    other = world.new_review("Andere casus")
    url = path.format(**{**things.__dict__, "review_id": other.review_id})
    method = "PATCH" if "/notes/" in path else "GET" if path == IV else "DELETE"
    body = {"text": "x", "version": 1} if method == "PATCH" else None
    before = snapshot(world.engine)
    response = world.api["owner"].request(method, url, json=body)
    assert response.status_code == 404
    assert snapshot(world.engine) == before
