"""The tables of the group interview, its phones, life-line proposals and factors."""

import datetime as dt
from enum import IntEnum, StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import Created, ReviewRow, enum_type, ts_column, utcnow
from app.participants import models as _participants_tables  # noqa: F401  (foreign-key targets)
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)
from app.timeline import models as _timeline_tables  # noqa: F401  (foreign-key targets)


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


class RoomStep(IntEnum):
    """The five steps of the group interview, in order (stored as their number)."""

    lifeline = 1  # check and complete the life-line
    success = 2  # name success factors
    hindering = 3  # name hindering factors
    stickers = 4  # sticker rounds
    close = 5  # round off


class ProposalStatus(StrEnum):
    """What became of a life-line proposal from the room."""

    pending = "pending"
    accepted = "accepted"
    set_aside = "set_aside"


class GroupInterview(ReviewRow, table=True):
    """The group interview (groepsinterview) of a review; the join code is kept only as a hash.

    The code shown on the shared screen is derived from ``code_nonce`` with the server's secret key, so the
    database alone never reveals it.
    """

    __tablename__ = "group_interviews"

    status: GroupInterviewStatus = Field(default=GroupInterviewStatus.draft, sa_type=enum_type(GroupInterviewStatus))
    purpose: RoomPurpose = Field(default=RoomPurpose.group_interview, sa_type=enum_type(RoomPurpose))
    step: int = RoomStep.lifeline
    joining_open: bool = True
    code_nonce: str = Field(max_length=64)
    code_hash: str = Field(max_length=64, index=True)
    tablet_participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
    opened_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    closed_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class ParticipantDevice(SQLModel, table=True):
    """A phone (or tablet) that joined a group interview as one participant; the cookie's hash only."""

    __tablename__ = "participant_devices"

    id: int | None = Field(default=None, primary_key=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    joined_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class LifelineProposal(ReviewRow, table=True):
    """A correction or addition to the life-line proposed in the room (step 1); accepted or set aside."""

    __tablename__ = "lifeline_proposals"

    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
    event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    text: str = Field(max_length=1000)
    when_text: str = Field(default="", max_length=100)
    status: ProposalStatus = Field(default=ProposalStatus.pending, sa_type=enum_type(ProposalStatus, length=12))
    decided_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    result_event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Factor(ReviewRow, Created, table=True):
    """A success or hindering factor named in the group interview, optionally pinned to the life-line."""

    __tablename__ = "factors"

    group_interview_id: int | None = Field(default=None, foreign_key="group_interviews.id", ondelete="SET NULL")
    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    event_id: int | None = Field(default=None, foreign_key="lifeline_events.id", ondelete="SET NULL")
    moment_text: str = Field(default="", max_length=100)
    merged_into_id: int | None = Field(default=None, foreign_key="factors.id", ondelete="SET NULL")
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="SET NULL")
