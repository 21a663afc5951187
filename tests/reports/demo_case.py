"""Helpers for the report, export and sharing tests: the demo case with one extra participant whose quote
consent was withdrawn (and whose quote backs a finding), plus hostile text in a factor."""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.db import make_engine
from app.demo import load_demo
from app.findings.models import FindingEvidence, FindingNode
from app.group_interview.models import Factor, FactorKind
from app.interviews.models import Quote
from app.main import create_app
from app.participants.models import ConsentScope, Participant, RoleCategory
from app.reviews.models import Review
from app.security import token_hash
from tests.world import bearer_client, consent_row

DEMO_OWNER = ("onderzoeker.a@example.org", "demo-leerreview")
WITHDRAWN_QUOTE = "Zeg dit nooit hardop XQZ-ingetrokken"
CONTACT = "06-99887766 oom.kees@example.org"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","klik")'
HOSTILE_TITLE = '<img src="file:///etc/passwd"> @SUM(A1)'


@dataclass
class Demo:
    """The demo app, the demo case's id, the owner's API client and the withdrawn quote's participant."""

    app: FastAPI
    review_id: int
    api: TestClient
    withdrawn_participant_id: int

    @property
    def engine(self):  # type: ignore[no-untyped-def]
        return self.app.state.engine


def owner_client(app: FastAPI) -> TestClient:
    """A bearer-token client of the demo owner (English answers)."""
    return bearer_client(app, *DEMO_OWNER)


@dataclass(frozen=True)
class DemoDatabase:
    """A SQLite file holding the demo case and its extras, copied for each module that uses the demo."""

    path: Path
    review_id: int
    withdrawn_participant_id: int


def build_demo_database(data_dir: Path, template: Path) -> DemoDatabase:
    """The demo case and the extra, non-consenting participant, in a copy of the migrated ``template``."""
    from tests.fixtures import make_settings

    path = data_dir / "leerreview.sqlite3"
    shutil.copy(template, path)
    engine = make_engine(make_settings(data_dir))
    try:
        with Session(engine, expire_on_commit=False) as session:
            review_id, uncle_id = _add_demo_case(session)
            session.commit()
    finally:
        engine.dispose()
    return DemoDatabase(path, review_id, uncle_id)


def _add_demo_case(session: Session) -> tuple[int, int]:
    review = load_demo(session=session)
    review_id = review.id or 0
    uncle = Participant(
        review_id=review_id,
        pseudonym="Oom Kees",
        role_category=RoleCategory.family_network,
        role_label="Oom",
        contact=CONTACT,
    )
    session.add(uncle)
    session.flush()
    withdrawn = consent_row(
        review_id,
        uncle.id,
        ConsentScope.quotes,
        given_on=dt.date(2024, 3, 1),
        withdrawn_on=dt.date(2024, 6, 1),
        withdrawal_effect="exclude",
    )
    quote = Quote(review_id=review_id, participant_id=uncle.id or 0, text=WITHDRAWN_QUOTE, speaker="Oom")
    session.add_all([withdrawn, quote])
    session.flush()
    node = session.exec(
        select(FindingNode).where(FindingNode.review_id == review_id).order_by(col(FindingNode.id))
    ).first()
    assert node is not None
    session.add(FindingEvidence(review_id=review_id, node_id=node.id or 0, kind="quote", ref_id=quote.id or 0))
    interview_id = session.exec(select(Factor.group_interview_id).where(Factor.review_id == review_id)).first()
    for title in (FORMULA_TITLE, HOSTILE_TITLE, "+31 6 procent", "-minder regels"):
        session.add(
            Factor(review_id=review_id, group_interview_id=interview_id, kind=FactorKind.hindering, title=title)
        )
    return review_id, uncle.id or 0


def build_demo(data_dir: Path, database: DemoDatabase) -> Demo:
    """The app on a fresh copy of the demo database (built once per session: ``build_demo_database``)."""
    from tests.fixtures import make_settings

    shutil.copy(database.path, data_dir / "leerreview.sqlite3")
    app = create_app(make_settings(data_dir))
    return Demo(app, database.review_id, owner_client(app), database.withdrawn_participant_id)


def demo_review(demo: Demo) -> Review:
    """The demo review as stored."""
    with Session(demo.engine) as session:
        review = session.get(Review, demo.review_id)
        assert review is not None
        return review


def share_token_in_db(demo: Demo, token: str) -> bool:
    """Whether the share token itself (not just its hash) appears anywhere in the share_links table."""
    with demo.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM share_links").fetchall()
    text = repr(rows)
    assert token_hash(token) in text
    return token in text
