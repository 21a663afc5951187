"""The tables of the life-line: events and their versions, the people of the life-line (family members with
their fuzzy birth dates, which ages and school stages are read against) and what a date was read against."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import ReviewRow, VersionRow, enum_type, json_column, ts_column, utcnow
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class EventStatus(StrEnum):
    """How sure the team is of a life-line event."""

    draft = "draft"
    confirmed = "confirmed"
    disputed = "disputed"


class LifelineEvent(ReviewRow, table=True):
    """The current state of one life-line event (levenslijn); every change is also a ``LifelineEventVersion``."""

    __tablename__ = "lifeline_events"

    version: int = 1
    title: str = Field(max_length=300)
    when_text: str = Field(max_length=100)
    until_text: str = Field(default="", max_length=100)
    lane: str = Field(default="family", max_length=80)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    people: list[str] = Field(default_factory=list, sa_column=json_column("people_json"))
    organisation: str = Field(default="", max_length=200)
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column("sources_json"))
    status: EventStatus = Field(default=EventStatus.draft, sa_type=enum_type(EventStatus))
    earliest: dt.date | None = None  # None: undated, or no known start ("voor 2010")
    latest: dt.date | None = None  # None: undated, or open-ended ("sinds 2022")
    precision: str = Field(max_length=12)
    edtf: str = Field(max_length=60)
    deleted: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    updated_by: str = Field(default="", max_length=80)


class LifelineEventVersion(ReviewRow, VersionRow, table=True):
    """One version of a life-line event: who changed what, when; never changed afterwards."""

    __tablename__ = "lifeline_event_versions"
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", index=True)
    changed_by_label: str = Field(default="", max_length=200)
    reason: str = Field(default="", max_length=500)
    snapshot: dict[str, Any] = Field(sa_column=json_column("snapshot_json"))


class LifelinePerson(ReviewRow, table=True):
    """A person of the life-line (e.g. the child Sem) and what was said about their birth ("voorjaar 2010")."""

    __tablename__ = "lifeline_people"
    __table_args__ = (UniqueConstraint("review_id", "name"),)

    name: str = Field(max_length=120)
    born_text: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class LifelineAnchor(SQLModel, table=True):
    """What an event's date was read against: the person or other event it is anchored on ("toen Sem 7 was",
    "een jaar na de verhuizing"), so that a correction of the anchor moves it, and the reference date
    ("vorige zomer" said in an interview of 10 March 2020). One row per event whose date needed one."""

    __tablename__ = "lifeline_anchors"

    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    kind: str | None = Field(default=None, max_length=10)  # "person", "event", or None (reference date only)
    target_id: int | None = Field(default=None, index=True)
    reference_date: dt.date | None = None
