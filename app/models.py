"""Every table of the service (SQLModel, ``table=True``). Request and response schemas live per area."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, DateTime, Dialect, Index, MetaData, Text, TypeDecorator, UniqueConstraint
from sqlalchemy import Enum as SAEnum
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


def enum_type(enum: type[StrEnum]) -> SAEnum:
    """A column for a StrEnum stored as plain text (no PostgreSQL ENUM type to create, alter or drop)."""
    return SAEnum(enum, native_enum=False, length=30, values_callable=lambda members: [m.value for m in members])


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
    role: Role = Field(sa_type=enum_type(Role))
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
    status: StepStatus = Field(default=StepStatus.open, sa_type=enum_type(StepStatus))
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
    role_category: RoleCategory = Field(sa_type=enum_type(RoleCategory))
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
    scope: ConsentScope = Field(sa_type=enum_type(ConsentScope))
    given_on: dt.date
    method: ConsentMethod = Field(sa_type=enum_type(ConsentMethod))
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
    status: EventStatus = Field(default=EventStatus.draft, sa_type=enum_type(EventStatus))
    earliest: dt.date | None = None  # None: undated, or no known start ("voor 2010")
    latest: dt.date | None = None  # None: undated, or open-ended ("sinds 2022")
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


# --- Group interview, factors and sticker rounds (issue 4) ---


class GroupInterviewStatus(StrEnum):
    """Where a group interview stands."""

    draft = "draft"
    open = "open"
    closed = "closed"


class RoomPurpose(StrEnum):
    """What a live room (join code, phones, event log) is held for: the group interview or a share-back meeting."""

    group_interview = "group_interview"
    share_back = "share_back"


class FactorKind(StrEnum):
    """Success factor (good help) or hindering factor (no good help)."""

    success = "success"
    hindering = "hindering"


class GroupInterview(SQLModel, table=True):
    """The group interview (groepsinterview) of a review; the join code is kept only as a hash.

    The code shown on the shared screen is derived from ``code_nonce`` with the server's secret key, so the
    database alone never reveals it.
    """

    __tablename__ = "group_interviews"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    status: GroupInterviewStatus = Field(default=GroupInterviewStatus.draft, sa_type=enum_type(GroupInterviewStatus))
    purpose: RoomPurpose = Field(default=RoomPurpose.group_interview, sa_type=enum_type(RoomPurpose))
    step: int = 1
    joining_open: bool = True
    code_nonce: str = Field(max_length=64)
    code_hash: str = Field(max_length=64, index=True)
    tablet_participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
    opened_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    closed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ParticipantDevice(SQLModel, table=True):
    """A phone (or tablet) that joined a group interview as one participant; the cookie's hash only."""

    __tablename__ = "participant_devices"

    id: int | None = Field(default=None, primary_key=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    joined_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class LifelineProposal(SQLModel, table=True):
    """A correction or addition to the life-line proposed in the room (step 1); accepted or set aside."""

    __tablename__ = "lifeline_proposals"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
    event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    text: str = Field(max_length=1000)
    when_text: str = Field(default="", max_length=100)
    status: str = Field(default="pending", max_length=12)
    decided_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    result_event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Factor(SQLModel, table=True):
    """A success or hindering factor named in the group interview, optionally pinned to the life-line."""

    __tablename__ = "factors"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    group_interview_id: int | None = Field(default=None, foreign_key="group_interviews.id", ondelete="SET NULL")
    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    moment_text: str = Field(default="", max_length=100)
    merged_into_id: int | None = Field(default=None, foreign_key="factors.id", ondelete="SET NULL")
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StickerRound(SQLModel, table=True):
    """A round of sticker (dot) voting: strengths (success factors) or improvement points (hindering)."""

    __tablename__ = "sticker_rounds"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    stickers_per_person: int = 3
    max_per_factor: int = 2
    anonymous: bool = True
    # Results also per side (family vs professionals), each shown only with at least 3 voters (issue 13).
    perspectives: bool = False
    status: str = Field(default="draft", max_length=10)
    revealed: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Sticker(SQLModel, table=True):
    """One sticker on one factor; ``participant_id`` is null for unnamed paper stickers.

    ``client_key`` makes placing idempotent: a phone that retries after a lost answer gets the same sticker.
    """

    __tablename__ = "stickers"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id", "client_key"),
        # The live tally counts a round's stickers per factor on every sticker: a covering index keeps it cheap.
        Index("ix_stickers_round_factor", "round_id", "factor_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    round_id: int = Field(foreign_key="sticker_rounds.id", ondelete="CASCADE", index=True)
    factor_id: int = Field(foreign_key="factors.id", ondelete="CASCADE", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="CASCADE", index=True)
    source: str = Field(default="phone", max_length=10)
    client_key: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class RateLimitWindow(SQLModel, table=True):
    """Attempts per rate-limit key and fixed time window, shared by all workers (PostgreSQL only).

    Written by ``app.shared_limits`` with plain SQL in transactions of its own; old windows are removed as
    their key is used again.
    """

    __tablename__ = "rate_limit_windows"

    key: str = Field(primary_key=True, max_length=300)
    window_no: int = Field(primary_key=True)
    hits: int = 0


class LiveEvent(SQLModel, table=True):
    """The append-only log of what happened in a group interview, replayed to screens from the last id seen.

    ``audience`` is ``all``, ``members`` (researchers' console and screen) or ``participant:<id>``.
    """

    __tablename__ = "live_events"

    id: int | None = Field(default=None, primary_key=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=40)
    audience: str = Field(default="all", max_length=40)
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


# --- Interviews, quotes and file study (issue 5) ---


class InterviewStatus(StrEnum):
    """Where an individual interview stands."""

    planned = "planned"
    held = "held"
    worked_out = "worked_out"


class DocumentKind(StrEnum):
    """What kind of case-file document was studied (dossieronderzoek)."""

    treatment_plan = "treatment_plan"
    meeting_report = "meeting_report"
    other = "other"


class FindingKind(StrEnum):
    """What a document says about a life-line event."""

    confirm = "confirm"
    correct = "correct"
    add = "add"


class GuideTopic(SQLModel, table=True):
    """A topic a team added to its review's interview guide (the method's six topics live in code)."""

    __tablename__ = "guide_topics"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=40)
    title: str = Field(max_length=200)
    position: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Interview(SQLModel, table=True):
    """An individual (or joint) semi-structured interview of phase 2."""

    __tablename__ = "interviews"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    held_on: dt.date | None = None
    place: str = Field(default="", max_length=200)
    status: InterviewStatus = Field(default=InterviewStatus.planned, sa_type=enum_type(InterviewStatus))
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class InterviewParticipant(SQLModel, table=True):
    """A participant interviewed in an interview (parents are often interviewed together)."""

    __tablename__ = "interview_participants"
    __table_args__ = (UniqueConstraint("interview_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)


class InterviewInterviewer(SQLModel, table=True):
    """A review member who conducts an interview (the method asks for two)."""

    __tablename__ = "interview_interviewers"
    __table_args__ = (UniqueConstraint("interview_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)


class InterviewNote(SQLModel, table=True):
    """The working notes of one interview on one topic of the guide; ``version`` guards concurrent edits."""

    __tablename__ = "interview_notes"
    __table_args__ = (UniqueConstraint("interview_id", "topic_key"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    topic_key: str = Field(max_length=40)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version: int = 0
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Quote(SQLModel, table=True):
    """A quote marked in the notes; shown with the speaker's role label, never with a name."""

    __tablename__ = "quotes"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    interview_id: int | None = Field(default=None, foreign_key="interviews.id", ondelete="SET NULL", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    speaker: str = Field(max_length=120)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class CandidateFactor(SQLModel, table=True):
    """A possible success or hindering factor noted from an interview, for the group interview to take up."""

    __tablename__ = "candidate_factors"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    title: str = Field(max_length=300)
    passage: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    interview_id: int | None = Field(default=None, foreign_key="interviews.id", ondelete="SET NULL", index=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class Document(SQLModel, table=True):
    """A case-file document read in the file study, with an optional attached file stored under ``data/``."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=300)
    kind: DocumentKind = Field(default=DocumentKind.other, sa_type=enum_type(DocumentKind))
    dated: dt.date | None = None
    author_organisation: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    file_name: str = Field(default="", max_length=255)
    file_type: str = Field(default="", max_length=10)
    file_size: int = 0
    stored_name: str = Field(default="", max_length=80)
    uploaded_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class DocumentFinding(SQLModel, table=True):
    """What a document says about one life-line event: it confirms, corrects or adds it (at ``event_version``)."""

    __tablename__ = "document_findings"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", index=True)
    event_version: int
    kind: FindingKind = Field(sa_type=enum_type(FindingKind))
    note: str = Field(default="", max_length=2000)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


# --- Findings tree, frameworks and sharing (issue 6) ---


class FindingNode(SQLModel, table=True):
    """A node of the findings tree (bevindingenboom); the root is the review's success statement.

    ``branch`` is ``success`` (main success factors and their contributing factors), ``hindering`` (hindering
    factors with their recommendations) or ``what_works``. A node merged into another keeps its row with
    ``merged_into_id`` set, so the merge can be undone. Every change is a ``FindingNodeVersion``.
    """

    __tablename__ = "finding_nodes"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    parent_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    branch: str = Field(default="success", max_length=12)
    kind: str = Field(default="factor", max_length=20)
    title: str = Field(max_length=300)
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    position: int = 0
    factor_id: int | None = Field(default=None, foreign_key="factors.id", ondelete="SET NULL")
    merged_into_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="SET NULL")
    version: int = 1
    deleted: bool = False
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_by: str = Field(default="", max_length=200)


class FindingNodeVersion(SQLModel, table=True):
    """One version of a findings-tree node: who changed what, when."""

    __tablename__ = "finding_node_versions"
    __table_args__ = (UniqueConstraint("node_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    version: int
    change: str = Field(max_length=20)
    changed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    changed_by_label: str = Field(default="", max_length=200)
    changed_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))


class FindingEvidence(SQLModel, table=True):
    """Evidence behind a node: a life-line event, quote, sticker round, document, interview or factor.

    ``from_node_id`` is set on evidence copied in by a merge, so undoing the merge removes exactly those.
    """

    __tablename__ = "finding_evidence"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=12)
    ref_id: int
    note: str = Field(default="", max_length=500)
    from_node_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="CASCADE")


class Framework(SQLModel, table=True):
    """A coding scheme from the literature, or a team's own (``review_id`` set): data, not code."""

    __tablename__ = "frameworks"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int | None = Field(default=None, foreign_key="reviews.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=60)
    title_nl: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    source: str = Field(default="", max_length=500)


class FrameworkTheme(SQLModel, table=True):
    """One theme of a framework (e.g. "communication"), optionally in a group."""

    __tablename__ = "framework_themes"

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="frameworks.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=80)
    group_nl: str = Field(default="", max_length=200)
    group_en: str = Field(default="", max_length=200)
    title_nl: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    position: int = 0


class NodeTheme(SQLModel, table=True):
    """A findings-tree node coded with a framework theme."""

    __tablename__ = "node_themes"
    __table_args__ = (UniqueConstraint("node_id", "theme_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    theme_id: int = Field(foreign_key="framework_themes.id", ondelete="CASCADE", index=True)


class ShareLink(SQLModel, table=True):
    """A read-only link for teams (tree, report, life-line) with an expiry; only the token's hash is kept."""

    __tablename__ = "share_links"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = Field(default="", max_length=200)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    expires_at: dt.datetime = Field(sa_column=_ts())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    views: int = 0
    last_viewed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
