"""The tables of interviews, their notes, quotes and candidate factors."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import Created, CreatedUpdated, ReviewRow, enum_type, ts_column, utcnow
from app.group_interview.models import FactorKind
from app.participants import models as _participants_tables  # noqa: F401  (foreign-key targets)
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class InterviewStatus(StrEnum):
    """Where an individual interview stands."""

    planned = "planned"
    held = "held"
    worked_out = "worked_out"


class GuideTopic(ReviewRow, table=True):
    """A topic a team added to its review's interview guide (the method's six topics live in code)."""

    __tablename__ = "guide_topics"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    key: str = Field(max_length=40)
    title: str = Field(max_length=200)
    position: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Interview(ReviewRow, CreatedUpdated, table=True):
    """An individual (or joint) semi-structured interview of phase 2."""

    __tablename__ = "interviews"

    held_on: dt.date | None = None
    place: str = Field(default="", max_length=200)
    status: InterviewStatus = Field(default=InterviewStatus.planned, sa_type=enum_type(InterviewStatus))


class InterviewParticipant(ReviewRow, table=True):
    """A participant interviewed in an interview (parents are often interviewed together)."""

    __tablename__ = "interview_participants"
    __table_args__ = (UniqueConstraint("interview_id", "participant_id"),)

    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)


class InterviewInterviewer(ReviewRow, table=True):
    """A review member who conducts an interview (the method asks for two)."""

    __tablename__ = "interview_interviewers"
    __table_args__ = (UniqueConstraint("interview_id", "user_id"),)

    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)


class InterviewNote(ReviewRow, table=True):
    """The working notes of one interview on one topic of the guide; ``version`` guards concurrent edits."""

    __tablename__ = "interview_notes"
    __table_args__ = (UniqueConstraint("interview_id", "topic_key"),)

    interview_id: int = Field(foreign_key="interviews.id", ondelete="CASCADE", index=True)
    topic_key: str = Field(max_length=40)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version: int = 0
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Quote(ReviewRow, Created, table=True):
    """A quote marked in the notes; shown with the speaker's role label, never with a name."""

    __tablename__ = "quotes"

    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    interview_id: int | None = Field(default=None, foreign_key="interviews.id", ondelete="SET NULL", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    speaker: str = Field(max_length=120)


class CandidateFactor(ReviewRow, Created, table=True):
    """A possible success or hindering factor noted from an interview, for the group interview to take up."""

    __tablename__ = "candidate_factors"

    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    title: str = Field(max_length=300)
    passage: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    interview_id: int | None = Field(default=None, foreign_key="interviews.id", ondelete="SET NULL", index=True)
