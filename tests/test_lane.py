"""The lane (``app.lane``): the room's busiest routes served by their endpoints past FastAPI's per-request work give
the same answer to every request as FastAPI itself, and the lane takes only the ordinary ones.

Each case list runs twice from the same database (the world restored, the same room built again): once through the
app with the lane, once through an app with ``lane=False``; every status, body and content header must be equal.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.lane import LaneMiddleware
from app.main import create_app
from tests.group_interview.rooms import Phone, make_room, reset_join_limits
from tests.world import BASE_URL, World


@pytest.fixture(scope="module")
def without_lane(built_world: World) -> Iterator[FastAPI]:
    """A second app on the world's database, the same in everything but the lane."""
    application = create_app(built_world.app.state.settings.model_copy(update={"lane": False}))
    yield application
    application.state.engine.dispose()


@dataclass(frozen=True)
class Case:
    """One request of a phone (``as_owner``: of the facilitator's API client) into the room's round."""

    name: str
    method: str
    path: Callable[[dict[str, int]], str]  # from the room's ids (review, round, factors, a sticker)
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    csrf: bool = True
    as_owner: bool = False


def _stickers(ids: dict[str, int]) -> str:
    return f"/api/v1/reviews/{ids['review']}/rounds/{ids['round']}/stickers"


JSON = (("content-type", "application/json"),)
# name, and whether the lane serves it (the rest it leaves to FastAPI)
CASES = [
    (Case("placed", "POST", _stickers, b'{"factor_id": %(a)d}', JSON), True),
    (Case("with a client key", "POST", _stickers, b'{"factor_id": %(b)d, "client_key": "key-0001"}', JSON), True),
    (Case("the same key again", "POST", _stickers, b'{"factor_id": %(b)d, "client_key": "key-0001"}', JSON), True),
    (
        Case("cap per factor, Dutch", "POST", _stickers, b'{"factor_id": %(a)d}', (*JSON, ("accept-language", "nl"))),
        True,
    ),
    (Case("no such factor", "POST", _stickers, b'{"factor_id": 999999}', JSON), True),
    (Case("malformed JSON", "POST", _stickers, b'{"factor_id": ', JSON), False),
    (Case("an unknown field", "POST", _stickers, b'{"factor_id": %(a)d, "x": 1}', JSON), False),
    (Case("an id out of range", "POST", _stickers, b'{"factor_id": 0}', JSON), False),
    (Case("not JSON", "POST", _stickers, b"factor_id=%(a)d", (("content-type", "text/plain"),)), False),
    (Case("without its CSRF token", "POST", _stickers, b'{"factor_id": %(c)d}', JSON, csrf=False), False),
    (Case("a path id out of range", "POST", lambda ids: f"/api/v1/reviews/0/rounds/{ids['round']}/stickers"), False),
    (Case("another review", "POST", lambda ids: _stickers(ids | {"review": ids["review"] + 1}), b"{}", JSON), False),
    (Case("no such round", "POST", lambda ids: _stickers(ids | {"round": 99999}), b'{"factor_id": %(c)d}', JSON), True),
    (Case("the facilitator, no tablet holder", "POST", _stickers, b'{"factor_id": %(c)d}', JSON, as_owner=True), True),
    (
        Case(
            "another review's round",
            "POST",
            lambda ids: _stickers(ids | {"review": ids["review"] + 1}),
            b'{"factor_id": %(c)d}',
            JSON,
        ),
        True,
    ),
    (Case("the last sticker", "POST", _stickers, b'{"factor_id": %(c)d}', JSON), True),
    (Case("allowance used", "POST", _stickers, b'{"factor_id": %(c)d}', JSON), True),
    (Case("taken back", "DELETE", lambda ids: f"{_stickers(ids)}/{ids['mine']}"), True),
    (Case("taken back twice", "DELETE", lambda ids: f"{_stickers(ids)}/{ids['mine']}"), True),
    (Case("another phone's sticker", "DELETE", lambda ids: f"{_stickers(ids)}/{ids['theirs']}"), True),
    (Case("GET is not a route", "GET", _stickers), False),
]

Answer = tuple[str, int, bytes, str | None, str | None, bool]


def _answers(world: World, app: FastAPI) -> list[Answer]:
    """Every case's status, body, content type and language through ``app``, from the same starting point, and
    whether the lane served it."""
    world.restore()
    reset_join_limits(world.app)
    room = make_room(world, 2)
    lane: LaneMiddleware | None = getattr(app.state, "lane", None)
    try:
        a, b, c = room.factor("A"), room.factor("B"), room.factor("C")
        round_id = room.round(stickers_per_person=3, max_per_factor=1)
        phone = Phone(app)
        assert phone.join(room.code, room.participants[0]).status_code == 200
        other = room.phone(room.participants[1])
        theirs = other.post(_stickers({"review": room.review_id, "round": round_id}), json={"factor_id": a})
        ids = {"review": room.review_id, "round": round_id, "theirs": theirs.json()["id"]}
        factors = {b"a": a, b"b": b, b"c": c}
        owner = TestClient(app, base_url=BASE_URL, headers=dict(room.owner.headers))
        answers: list[Answer] = []
        for case, _lane in CASES:
            client = owner if case.as_owner else phone.client
            headers = dict(case.headers)
            if not case.csrf:
                headers["x-csrf-token"] = "0" * 64
            served = lane.served if lane is not None else 0
            body = case.body % factors if case.body else None
            response = client.request(case.method, case.path(ids), content=body, headers=headers)
            if case.name == "placed":
                ids["mine"] = response.json()["id"]
            kind, language = response.headers.get("content-type"), response.headers.get("content-language")
            by_lane = lane is not None and lane.served > served
            answers.append((case.name, response.status_code, response.content, kind, language, by_lane))
        owner.close()
        phone.close()
        return answers
    finally:
        room.close()


def test_every_answer_is_the_same_with_and_without_the_lane(built_world: World, without_lane: FastAPI) -> None:
    lane = _answers(built_world, built_world.app)
    plain = _answers(built_world, without_lane)
    assert [answer[:5] for answer in lane] == [answer[:5] for answer in plain]
    statuses = {name: status for name, status, *_rest in lane}
    assert statuses["placed"] == 201 and statuses["the same key again"] == 200
    assert statuses["cap per factor, Dutch"] == 409 and statuses["malformed JSON"] == 422
    assert statuses["without its CSRF token"] == 403 and statuses["taken back"] == 204
    assert statuses["allowance used"] == 409 and statuses["another phone's sticker"] == 404
    # The lane served exactly the ordinary requests; FastAPI answered the rest (and everything without the lane).
    assert [(name, by_lane) for name, *_rest, by_lane in lane] == [(case.name, ok) for case, ok in CASES]
    assert not any(by_lane for *_rest, by_lane in plain)
