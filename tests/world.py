"""A shared test world (one app, one user per role, logged-in clients) and database snapshots.

Building an app costs half a second (FastAPI prepares every route of it), so tests that only need "a user of each
kind" share one world per session; each test gets the world's database as it was when the world was built
(:meth:`World.restore`, SQLite's backup API: milliseconds) and a fresh review in it.
"""

import asyncio
import datetime as dt
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from app.auth.models import User
from app.auth.service import create_user
from app.db.base import utcnow
from app.findings.models import FindingEvidence, FindingNode
from app.participants.models import Consent, ConsentMethod, ConsentScope, Participant, RoleCategory
from app.reviews import service as reviews
from app.reviews.models import Membership, Role
from app.reviews.schemas import ReviewCreate
from app.security import token_hash
from app.sharing.models import ShareLink
from app.timeline.models import LifelineEvent

if TYPE_CHECKING:
    from app.group_interview.models import RoomPurpose

T = TypeVar("T")
PASSWORD = "correct horse battery"
BASE_URL = "http://testserver"
ROLES = ("owner", "researcher", "reader", "outsider", "anonymous")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')

# Tables a refused or read-only request may touch: a session's last-seen time is not stored data.
ENGLISH = {"accept-language": "en"}  # tests read English messages unless they test the language
NOT_DATA = frozenset({"auth_sessions", "alembic_version"})


def snapshot(engine: Engine, *, ignore: frozenset[str] = NOT_DATA) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (except ``ignore``), to compare before and after a request."""
    tables = sorted(set(inspect(engine).get_table_names()) - ignore)
    with engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1'))]
            for table in tables
        }


def consent_row(
    review_id: int,
    participant_id: int | None,
    scope: ConsentScope,
    *,
    given_on: dt.date = dt.date(2024, 1, 10),
    method: ConsentMethod = ConsentMethod.written,
    **more: Any,
) -> Consent:
    """A consent row of a participant for ``scope`` (in writing on 10 January 2024 unless told otherwise;
    ``more``: other fields, such as a withdrawal)."""
    return Consent(
        review_id=review_id, participant_id=participant_id or 0, scope=scope, given_on=given_on, method=method, **more
    )


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows each table holds."""
    tables = sorted(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one() for table in tables}


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF_FIELD.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def bearer_client(
    app: FastAPI, email: str, password: str = PASSWORD, *, headers: Mapping[str, str] = ENGLISH
) -> TestClient:
    """A client with a bearer token from ``POST /api/v1/auth/token``, sending ``headers`` (English answers)."""
    client = TestClient(app, base_url=BASE_URL, headers=dict(headers))
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["authorization"] = f"Bearer {response.json()['access_token']}"
    return client


@dataclass
class FormClient:
    """A browser-like client: cookies plus the CSRF token its pages carry."""

    client: TestClient
    csrf: str

    def get(self, url: str, **kwargs: Any) -> Any:
        """GET without following redirects."""
        return self.client.get(url, follow_redirects=False, **kwargs)

    def post(self, url: str, data: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """POST a form with this client's CSRF token."""
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kwargs)


def form_client(app: FastAPI, email: str | None, password: str = PASSWORD) -> FormClient:
    """A browser that logged in through the form (``email=None``: an anonymous visitor who saw /login)."""
    client = TestClient(app, base_url=BASE_URL, headers=ENGLISH)
    page = client.get("/login")
    if email is None:
        return FormClient(client, csrf_of(page.text))
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return FormClient(client, csrf_of(client.get("/").text))


@dataclass
class Ids:
    """The ids of a fresh review and the things in it, to fill route templates."""

    review_id: int
    title: str
    member_id: int  # the reader's membership
    participant_id: int
    consent_id: int  # an active group-interview consent of that participant
    key: str = "case_selected"
    node_id: int = 1  # a findings-tree node (main success factor) with one piece of evidence
    evidence_id: int = 1
    other_node_id: int = 1  # a second main success factor, to merge
    event_id: int = 1  # a life-line event (not a path parameter: evidence bodies point at it)
    link_id: int = 1  # an active share link of the review
    factor_id: int = 1  # a success factor without stickers (group interview)
    other_factor_id: int = 1  # a second success factor, with the participant's sticker on it
    round_id: int = 1  # an open, anonymous round on success factors, counted per side (perspectives)
    sticker_id: int = 1  # the participant's sticker, placed on the tablet
    proposal_id: int = 1  # a pending proposal for the life-line

    @property
    def params(self) -> dict[str, object]:
        """The path parameters these ids fill."""
        return {
            "review_id": self.review_id,
            "member_id": self.member_id,
            "participant_id": self.participant_id,
            "consent_id": self.consent_id,
            "key": self.key,
            "node_id": self.node_id,
            "evidence_id": self.evidence_id,
            "link_id": self.link_id,
            "factor_id": self.factor_id,
            "round_id": self.round_id,
            "sticker_id": self.sticker_id,
            "proposal_id": self.proposal_id,
        }

    def url(self, template: str) -> str:
        """A route template with these ids filled in (``1`` for parameters of other areas)."""
        return template.format_map(defaultdict(lambda: "1", self.params))


@dataclass
class World:
    """One app with one account per role and their clients."""

    app: FastAPI
    users: dict[str, User]
    api: dict[str, TestClient]
    pages: dict[str, FormClient]
    pristine: sqlite3.Connection = field(default_factory=lambda: sqlite3.connect(":memory:"))

    @property
    def engine(self) -> Engine:
        """The app's database engine."""
        engine: Engine = self.app.state.engine
        return engine

    def keep_as_pristine(self) -> None:
        """Copy the database as it is now (accounts, sessions, tokens): what :meth:`restore` brings back."""
        with self.engine.connect() as connection:
            connection.connection.driver_connection.backup(self.pristine)  # type: ignore[union-attr]

    def restore(self) -> None:
        """Put the database back as :meth:`keep_as_pristine` copied it: every row another test added is gone."""
        with self.engine.connect() as connection:
            self.pristine.backup(connection.connection.driver_connection)  # type: ignore[arg-type]

    def new_review(self, title: str = "Casus matrix", *, group_interview: bool = False) -> Ids:
        """A fresh review owned by ``owner`` with the researcher and reader as members, one participant and
        one consent."""
        with Session(self.engine, expire_on_commit=False) as session:
            owner = self.users["owner"]
            review = reviews.create_review(session=session, user=owner, data=ReviewCreate(title=title))
            review_id = review.id or 0
            session.add(Membership(review_id=review_id, user_id=self.users["researcher"].id or 0, role=Role.researcher))
            reader = Membership(review_id=review_id, user_id=self.users["reader"].id or 0, role=Role.reader)
            participant = Participant(review_id=review_id, pseudonym="Moeder", role_category=RoleCategory.parent)
            session.add_all([reader, participant])
            session.flush()
            consent = consent_row(review_id, participant.id, ConsentScope.group_interview)
            session.add(consent)
            session.flush()
            tree = _findings_tree(session, review_id, owner)
            link = ShareLink(
                review_id=review_id,
                token_hash=token_hash(f"matrix-{review_id}"),
                expires_at=utcnow() + dt.timedelta(days=30),
            )
            session.add(link)
            session.flush()
            room = _group_interview(session, review_id, participant.id or 0) if group_interview else {}
            session.commit()
            return Ids(
                review_id,
                title,
                reader.id or 0,
                participant.id or 0,
                consent.id or 0,
                node_id=tree["node_id"],
                evidence_id=tree["evidence_id"],
                other_node_id=tree["other_node_id"],
                event_id=tree["event_id"],
                link_id=link.id or 0,
                **room,
            )

    def close(self) -> None:
        """Close every client."""
        for client in [*self.api.values(), *(f.client for f in self.pages.values())]:
            client.close()
        self.pristine.close()


def _group_interview(session: Session, review_id: int, participant_id: int) -> dict[str, int]:
    """An open group interview: the participant joined and holds the tablet, two factors, an open round with
    one sticker, and a pending proposal; and an open share-back meeting."""
    from app.group_interview.models import Factor, FactorKind, LifelineProposal, ParticipantDevice, RoomPurpose
    from app.voting.models import Sticker, StickerRound

    gi = _open_room(session, review_id, participant_id, RoomPurpose.group_interview, f"matrix-code-{review_id}")
    first = Factor(review_id=review_id, group_interview_id=gi, kind=FactorKind.success, title="Eén casemanager")
    second = Factor(review_id=review_id, group_interview_id=gi, kind=FactorKind.success, title="Korte lijnen")
    device = ParticipantDevice(group_interview_id=gi, participant_id=participant_id, token_hash=token_hash(f"p-{gi}"))
    sticker_round = StickerRound(
        review_id=review_id, group_interview_id=gi, kind=FactorKind.success, status="open", perspectives=True
    )
    proposal = LifelineProposal(review_id=review_id, group_interview_id=gi, text="Het was eerder", when_text="2021")
    session.add_all([first, second, device, sticker_round, proposal])
    session.flush()
    sticker = Sticker(
        review_id=review_id,
        round_id=sticker_round.id or 0,
        factor_id=second.id or 0,
        participant_id=participant_id,
        source="tablet",
    )
    session.add(sticker)
    session.flush()
    _share_back(session, review_id, participant_id)
    return {
        "factor_id": first.id or 0,
        "other_factor_id": second.id or 0,
        "round_id": sticker_round.id or 0,
        "sticker_id": sticker.id or 0,
        "proposal_id": proposal.id or 0,
    }


def _share_back(session: Session, review_id: int, participant_id: int) -> None:
    """An open share-back meeting in its own room; the participant holds its tablet."""
    from app.group_interview.models import RoomPurpose
    from app.share_back.models import ShareBackMeeting

    room_id = _open_room(
        session, review_id, participant_id, RoomPurpose.share_back, f"matrix-share-back-code-{review_id}"
    )
    session.add(ShareBackMeeting(review_id=review_id, room_id=room_id))
    session.flush()


def _open_room(session: Session, review_id: int, participant_id: int, purpose: "RoomPurpose", code: str) -> int:
    """An open room (a group interview or a share-back meeting's) whose tablet the participant holds; its id."""
    from app.group_interview import codes
    from app.group_interview.models import GroupInterview, GroupInterviewStatus

    room = GroupInterview(
        review_id=review_id,
        purpose=purpose,
        status=GroupInterviewStatus.open,
        code_nonce=codes.new_nonce(),
        code_hash=token_hash(code),
        tablet_participant_id=participant_id,
        opened_at=utcnow(),
    )
    session.add(room)
    session.flush()
    return room.id or 0


def _findings_tree(session: Session, review_id: int, owner: User) -> dict[str, int]:
    """Two main success factors and a life-line event backing the first (for the findings-tree routes)."""
    event = LifelineEvent(
        review_id=review_id,
        title="Wijkteam wordt casemanager",
        when_text="jan. 2022",
        earliest=dt.date(2022, 1, 1),
        latest=dt.date(2022, 1, 31),
        precision="month",
        edtf="2022-01",
    )
    first = FindingNode(review_id=review_id, kind="success_factor", title="Eén casemanager met mandaat", position=0)
    second = FindingNode(review_id=review_id, kind="success_factor", title="Korte lijnen met school", position=1)
    session.add_all([event, first, second])
    session.flush()
    evidence = FindingEvidence(review_id=review_id, node_id=first.id or 0, kind="event", ref_id=event.id or 0)
    session.add(evidence)
    session.flush()
    _ = owner
    return {
        "node_id": first.id or 0,
        "evidence_id": evidence.id or 0,
        "other_node_id": second.id or 0,
        "event_id": event.id or 0,
    }


def build_world(app: FastAPI) -> World:
    """Create one account per role (the outsider belongs to no review) and log each in both ways."""
    users: dict[str, User] = {}
    with Session(app.state.engine, expire_on_commit=False) as session:
        for role in ROLES[:4]:
            users[role] = create_user(
                session=session, email=f"{role}@example.org", name=role.title(), password=PASSWORD
            )
        session.commit()
    api = {role: bearer_client(app, user.email) for role, user in users.items()}
    api["anonymous"] = TestClient(app, base_url=BASE_URL, headers=ENGLISH)
    pages = {role: form_client(app, user.email) for role, user in users.items()}
    pages["anonymous"] = form_client(app, None)
    world = World(app, users, api, pages)
    world.keep_as_pristine()
    return world


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` in a thread of its own: Playwright's sync API (the browser tests) leaves an
    event loop running in the main thread, where ``asyncio.run`` would refuse to start."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(asyncio.run(coroutine))
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    runner = threading.Thread(target=run)
    runner.start()
    runner.join()
    if failure:
        raise failure[0]
    return outcome[0]
