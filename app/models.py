"""Every table of the service (SQLModel, ``table=True``). Request and response schemas live per area."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, DateTime, Dialect, MetaData, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.models.utcnow()")
        return value.astimezone(dt.UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _ts(*, nullable: bool = False) -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=nullable)


class Role(StrEnum):
    """A member's role in one review."""

    owner = "owner"
    researcher = "researcher"
    reader = "reader"


class RoleCategory(StrEnum):
    """What kind of participant someone is in the case."""

    parent = "parent"
    child = "child"
    family_network = "family_network"
    professional = "professional"


class ConsentScope(StrEnum):
    """What a participant can agree to (toestemming)."""

    interview = "interview"
    group_interview = "group_interview"
    file_study = "file_study"
    information_sharing = "information_sharing"
    quotes = "quotes"


class ConsentMethod(StrEnum):
    """How a consent was recorded."""

    written = "written"
    verbal = "verbal"
    digital = "digital"


class WithdrawalEffect(StrEnum):
    """What happens to a participant's contributions when consent is withdrawn."""

    exclude = "exclude"
    remove = "remove"


class StepStatus(StrEnum):
    """Where one step of the three-phase guide stands."""

    open = "open"
    done = "done"
    skipped = "skipped"


class User(SQLModel, table=True):
    """A researcher account."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    language: str | None = Field(default=None, max_length=5)
    is_active: bool = True
    failed_logins: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class AuthSession(SQLModel, table=True):
    """A server-side login session (browser cookie) or API bearer token; only the token's hash is stored."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(default="web", max_length=10)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: dt.datetime = Field(sa_column=_ts())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Review(SQLModel, table=True):
    """One learning review (casusonderzoek) of one case."""

    __tablename__ = "reviews"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    collaboration: str = Field(default="", max_length=500)
    case_pseudonym: str = Field(default="", max_length=200)
    selection_criteria: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    selection_reasons: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    success_statement: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    started_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    retention_until: dt.date | None = None
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Membership(SQLModel, table=True):
    """A user's role in a review."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: Role = Field(max_length=20)
    added_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ReviewStep(SQLModel, table=True):
    """One step of the method's three-phase checklist, for one review."""

    __tablename__ = "review_steps"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=40)
    phase: int
    position: int
    status: StepStatus = Field(default=StepStatus.open, max_length=10)
    skip_reason: str = Field(default="", max_length=1000)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    due_on: dt.date | None = None
    completed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    completed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Participant(SQLModel, table=True):
    """Someone who takes part in the review: a parent, child, family network member or professional."""

    __tablename__ = "participants"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    pseudonym: str = Field(max_length=120)
    role_category: RoleCategory = Field(max_length=20)
    role_label: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    function: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=500)
    under_16: bool = False
    selected: bool = True
    prepared: bool = False
    prepared_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Consent(SQLModel, table=True):
    """A consent given for one scope; withdrawal is recorded on the same row, a new consent is a new row."""

    __tablename__ = "consents"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    scope: ConsentScope = Field(max_length=30)
    given_on: dt.date
    method: ConsentMethod = Field(max_length=20)
    given_by: str = Field(default="", max_length=200)
    information_version: str = Field(default="", max_length=100)
    notes: str = Field(default="", max_length=2000)
    recorded_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    withdrawn_on: dt.date | None = None
    withdrawal_note: str = Field(default="", max_length=2000)
    withdrawal_effect: str = Field(default="", max_length=10)
    withdrawn_recorded_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    withdrawn_recorded_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class AuditEntry(SQLModel, table=True):
    """An append-only, hash-chained audit record: who did what, when, to which review. Never case text."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    actor: str = Field(max_length=80)
    action: str = Field(max_length=60, index=True)
    review_id: int | None = Field(default=None, index=True)
    target: str = Field(default="", max_length=120)
    detail: str = Field(default="", max_length=500)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class EventStatus(StrEnum):
    """How sure the team is of a life-line event."""

    draft = "draft"
    confirmed = "confirmed"
    disputed = "disputed"


class LifelineEvent(SQLModel, table=True):
    """The current state of one life-line event (levenslijn); every change is also a ``LifelineEventVersion``."""

    __tablename__ = "lifeline_events"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    version: int = 1
    title: str = Field(max_length=300)
    when_text: str = Field(max_length=100)
    until_text: str = Field(default="", max_length=100)
    lane: str = Field(default="family", max_length=80)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    people_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    organisation: str = Field(default="", max_length=200)
    sources_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    status: EventStatus = Field(default=EventStatus.draft, max_length=12)
    earliest: dt.date
    latest: dt.date
    precision: str = Field(max_length=12)
    edtf: str = Field(max_length=60)
    deleted: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_by: str = Field(default="", max_length=80)


class LifelineEventVersion(SQLModel, table=True):
    """One version of a life-line event: who changed what, when; never changed afterwards."""

    __tablename__ = "lifeline_event_versions"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", index=True)
    version: int
    change: str = Field(max_length=20)
    changed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    changed_by_label: str = Field(default="", max_length=200)
    changed_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    reason: str = Field(default="", max_length=500)
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))
