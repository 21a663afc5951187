"""Shared fixtures: a migrated SQLite database per test (copied from one migrated template), the app,
clients for every role, factories for users and reviews, a room, a share-back meeting and the demo case."""

import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import security
from app.auth.models import User
from app.auth.service import create_user
from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.reviews.models import Membership, Role
from tests.group_interview.rooms import JoinsPhones, Room, make_room, reset_join_limits
from tests.reports.demo_case import Demo, DemoDatabase, build_demo, build_demo_database
from tests.share_back.meetings import Meeting, make_meeting
from tests.world import BASE_URL, PASSWORD, Ids, World, bearer_client, build_world


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: its own data directory, a fixed secret, generous rate limits."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "secret_key": "test-secret-key-not-for-production",
        "base_url": BASE_URL,
        "login_attempts_per_minute": 1000,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2id with its cheapest parameters in the test process: with the production ones every hash and every
    check costs a fifth of a second of CPU, and the tests create and log in well over a thousand accounts.

    Hashes and checks still run through the real code; ``tests/auth/test_password_hashing.py`` checks that the
    service itself (a process without this plugin, as the live servers are) hashes with the production ones."""
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:  # raises if the names moved: never a silent no-op
        patch.setattr(security, "_hasher", hasher)
        patch.setattr(security, "_DUMMY_HASH", hasher.hash(secrets.token_urlsafe(16)))
        yield


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to head, copied for each test (migrating per test is slow)."""
    data_dir = tmp_path_factory.mktemp("template")
    upgrade(make_settings(data_dir))
    return data_dir / "leerreview.sqlite3"


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    """Settings with a fresh, migrated SQLite database in a temporary data directory."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    return make_settings(data_dir)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """The real application on the test's database."""
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def db(app: FastAPI) -> Iterator[Session]:
    """A session on the app's database, for arranging data and checking what was stored."""
    with Session(app.state.engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous client."""
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


UserFactory = Callable[..., User]


@pytest.fixture
def make_user(db: Session) -> UserFactory:
    """Create a researcher account: ``make_user("a@example.org")``."""
    counter = iter(range(1, 10_000))

    def factory(email: str | None = None, name: str = "Researcher", password: str = PASSWORD) -> User:
        user = create_user(session=db, email=email or f"user{next(counter)}@example.org", name=name, password=password)
        db.commit()
        return user

    return factory


@pytest.fixture
def api_as(app: FastAPI) -> Iterator[Callable[[User], TestClient]]:
    """A client authenticated with a bearer token for the given user."""
    clients: list[TestClient] = []

    def factory(user: User) -> TestClient:
        test_client = bearer_client(app, user.email, headers={})  # the service's own default language
        clients.append(test_client)
        return test_client

    yield factory
    for test_client in clients:
        test_client.close()


@dataclass
class Browser:
    """A logged-in browser-like client: session cookie plus the CSRF token of the pages it reads."""

    client: TestClient
    csrf: str

    def get(self, url: str) -> "object":
        response = self.client.get(url)
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=form, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def browser_as(app: FastAPI) -> Iterator[Callable[[User], Browser]]:
    """A client logged in through the real log-in form."""
    clients: list[TestClient] = []

    def factory(user: User) -> Browser:
        test_client = TestClient(app, base_url=BASE_URL)
        clients.append(test_client)
        page = test_client.get("/login")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert token
        response = test_client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        browser = Browser(client=test_client, csrf="")
        browser.get("/")
        return browser

    yield factory
    for test_client in clients:
        test_client.close()


@dataclass
class ReviewTeam:
    """A review with one user of every kind: owner, researcher, reader, and an outsider."""

    review_id: int
    owner: User
    researcher: User
    reader: User
    outsider: User


@pytest.fixture
def team(make_user: UserFactory, api_as: Callable[[User], TestClient], db: Session) -> ReviewTeam:
    """A review created through the API by its owner, with a researcher and a reader added."""
    owner, researcher = make_user(name="Owner"), make_user(name="Researcher")
    reader, outsider = make_user(name="Reader"), make_user(name="Outsider")
    response = api_as(owner).post(
        "/api/v1/reviews",
        json={"title": "Casusonderzoek test", "collaboration": "Wijkteam", "case_pseudonym": "gezin T"},
    )
    assert response.status_code == 201, response.text
    review_id = response.json()["id"]
    db.add(Membership(review_id=review_id, user_id=researcher.id or 0, role=Role.researcher))
    db.add(Membership(review_id=review_id, user_id=reader.id or 0, role=Role.reader))
    db.commit()
    return ReviewTeam(review_id, owner, researcher, reader, outsider)


# PostgreSQL (the throw-away cluster of `make test`): fresh databases per session or per test, see tests/pg.py.
from tests.pg import (  # noqa: E402, F401
    migrated_postgres_template,
    new_migrated_postgres_database,
    new_postgres_database,
    postgres_admin_url,
    postgres_database_url,
)


@pytest.fixture(scope="session")
def built_world(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[World]:
    """One shared app with an account of every kind, logged in by token and by form (see world.py), and a copy
    of its database as it was right then (``World.restore``)."""
    data_dir = tmp_path_factory.mktemp("world")
    shutil.copy(migrated_template, data_dir / "leerreview.sqlite3")
    application = create_app(make_settings(data_dir))
    built = build_world(application)
    yield built
    built.close()
    application.state.engine.dispose()


@pytest.fixture
def world(built_world: World) -> World:
    """The shared app and its accounts, on a database holding nothing but them: each test sees its own rows
    only (and a snapshot before and after a request reads only those). Tests must not change the accounts."""
    built_world.restore()
    return built_world


@pytest.fixture
def ids(world: World) -> Ids:
    """A fresh review in the world: members of every role, a participant with a consent, a findings
    tree, a share link and an open group interview with factors, a round and a sticker."""
    return world.new_review(group_interview=True)


LiveRoom = TypeVar("LiveRoom", bound=JoinsPhones)


def _opened(world: World, make: Callable[[World, int], LiveRoom]) -> Iterator[LiveRoom]:
    """The room ``make`` opens with three consented participants (nobody joined yet) on fresh join limits; its
    phones are closed afterwards."""
    reset_join_limits(world.app)
    made = make(world, 3)
    yield made
    made.close()


@pytest.fixture
def room(world: World) -> Iterator[Room]:
    """An open group interview with three consented participants (nobody joined yet), fresh join limits."""
    yield from _opened(world, make_room)


@pytest.fixture
def meeting(world: World) -> Iterator[Meeting]:
    """An open share-back meeting with three consented participants (nobody joined yet), fresh join limits."""
    yield from _opened(world, make_meeting)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> DemoDatabase:
    """The demo case (with a withdrawn quote) in a SQLite file, built once and copied for each module."""
    return build_demo_database(tmp_path_factory.mktemp("demo-template"), migrated_template)


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[Demo]:
    """The demo case (with a withdrawn quote), a fresh copy per module; tests only read it or add their own rows."""
    built = build_demo(tmp_path_factory.mktemp(request.path.parent.name), demo_database)
    yield built
    built.api.close()
    built.app.state.engine.dispose()
