"""The tables of the review workspace, its members and the three-phase checklist."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import CreatedUpdated, ReviewRow, UTCDateTime, enum_type, ts_column, utcnow


class Role(StrEnum):
    """A member's role in one review."""

    owner = "owner"
    researcher = "researcher"
    reader = "reader"


class StepStatus(StrEnum):
    """Where one step of the three-phase guide stands."""

    open = "open"
    done = "done"
    skipped = "skipped"


class Member(SQLModel):
    """A user's role in a review or a study (:class:`Membership`, ``StudyMember``), and since when."""

    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: Role = Field(sa_type=enum_type(Role))
    added_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Review(CreatedUpdated, table=True):
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


class Membership(ReviewRow, Member, table=True):
    """A user's role in a review."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)


class ReviewStep(ReviewRow, table=True):
    """One step of the method's three-phase checklist, for one review."""

    __tablename__ = "review_steps"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    key: str = Field(max_length=40)
    phase: int
    position: int
    status: StepStatus = Field(default=StepStatus.open, sa_type=enum_type(StepStatus))
    skip_reason: str = Field(default="", max_length=1000)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    due_on: dt.date | None = None
    completed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    completed_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
