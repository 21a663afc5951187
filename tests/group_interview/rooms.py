"""Helpers for group-interview and voting API tests: a room with consented participants, and phones.

A room lives in the shared test world (see tests/world.py): a fresh review per test, participants with a
recorded group-interview consent, the group interview created (and opened, unless asked not to).
"""

import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.participants.models import ConsentMethod, ConsentScope, Participant, RoleCategory
from app.security import RateLimiter
from tests.world import BASE_URL, ENGLISH, Ids, World, consent_row

_addresses = itertools.count(1)


def new_address() -> str:
    """A client address of its own (the join rate limit counts per address)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def reset_join_limits(app: FastAPI, per_client: int = 10, global_: int = 200) -> None:
    """Fresh join limiters (the shared world's app keeps them between tests)."""
    app.state.join_limiter = RateLimiter(per_client, 60)
    app.state.join_global_limiter = RateLimiter(global_, 60)


def add_participants(world: World, review_id: int, count: int, *, consent: bool = True, prefix: str = "P") -> list[int]:
    """Selected participants, each with a group-interview consent unless ``consent=False``."""
    made: list[int] = []
    with Session(world.engine, expire_on_commit=False) as session:
        for n in range(count):
            person = Participant(review_id=review_id, pseudonym=f"{prefix}{n + 1}", role_category=RoleCategory.parent)
            session.add(person)
            session.flush()
            if consent:
                session.add(
                    consent_row(review_id, person.id, ConsentScope.group_interview, method=ConsentMethod.verbal)
                )
            made.append(person.id or 0)
        session.commit()
    return made


class Phone:
    """A participant's phone: its own cookie jar and client address, CSRF token after joining."""

    def __init__(self, app: FastAPI, address: str | None = None) -> None:
        self.client = TestClient(app, base_url=BASE_URL, headers=ENGLISH, client=(address or new_address(), 50000))
        self.participant_id: int | None = None

    def join(self, code: str, participant_id: int) -> Any:
        response = self.client.post("/api/v1/join", json={"code": code, "participant_id": participant_id})
        if response.status_code == 200:
            self.participant_id = participant_id
            self.client.headers["x-csrf-token"] = response.json()["csrf_token"]
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.client.post(url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.client.delete(url, **kwargs)

    def close(self) -> None:
        self.client.close()


class JoinsPhones:
    """What the helpers of a live room share (a group interview's ``Room``, a share-back ``Meeting``): the owner's
    API client, phones that join with the room's code, and closing them all."""

    world: World
    code: str
    phones: list[Phone]

    @property
    def owner(self) -> TestClient:
        return self.world.api["owner"]

    def phone(self, participant_id: int | None = None, address: str | None = None) -> Phone:
        """A phone; joined as ``participant_id`` when given."""
        phone = Phone(self.world.app, address)
        self.phones.append(phone)
        if participant_id is not None:
            response = phone.join(self.code, participant_id)
            assert response.status_code == 200, response.text
        return phone

    def close(self) -> None:
        for phone in self.phones:
            phone.close()


@dataclass
class Room(JoinsPhones):
    """A review with consented participants and its group interview."""

    world: World
    review_id: int
    participants: list[int]
    interview_id: int
    code: str
    phones: list[Phone] = field(default_factory=list)

    def url(self, tail: str = "") -> str:
        return f"/api/v1/reviews/{self.review_id}{tail}"

    def factor(self, title: str, kind: str = "success", **extra: Any) -> int:
        response = self.owner.post(self.url("/factors"), json={"kind": kind, "title": title, **extra})
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def round(self, kind: str = "success", open_: bool = True, **settings: Any) -> int:
        response = self.owner.post(self.url("/rounds"), json={"kind": kind, **settings})
        assert response.status_code == 201, response.text
        round_id = int(response.json()["id"])
        if open_:
            opened = self.owner.post(self.url(f"/rounds/{round_id}/open"))
            assert opened.status_code == 200, opened.text
        return round_id

    def results(self, round_id: int) -> dict[int, int]:
        response = self.owner.get(self.url(f"/rounds/{round_id}/results"))
        assert response.status_code == 200, response.text
        return {row["factor_id"]: row["stickers"] for row in response.json()}


def new_room(world: World, title: str, path: str, participants: int, *, open_: bool) -> tuple[Ids, list[int], Any]:
    """A fresh review (its first participant 'Moeder' from the world) plus ``participants - 1`` more, and its room
    created at ``/api/v1/reviews/{id}/{path}`` (opened unless ``open_=False``): ids, participants, the room's JSON."""
    ids = world.new_review(title)
    people = [ids.participant_id, *add_participants(world, ids.review_id, participants - 1)]
    owner = world.api["owner"]
    created = owner.post(f"/api/v1/reviews/{ids.review_id}/{path}")
    assert created.status_code == 201, created.text
    if open_:
        opened = owner.post(f"/api/v1/reviews/{ids.review_id}/{path}/open")
        assert opened.status_code == 200, opened.text
    return ids, people, created.json()


def make_room(world: World, participants: int = 3, *, open_: bool = True) -> Room:
    """A fresh review with ``participants`` consented participants and its group interview."""
    ids, people, body = new_room(world, "Groepsinterview test", "group-interview", participants, open_=open_)
    return Room(world, ids.review_id, people, body["id"], body["join_code"])
