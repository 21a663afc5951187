"""The tables of life-line events and their versions."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import enum_type, json_column, ts_column, utcnow
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


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
    people: list[str] = Field(default_factory=list, sa_column=json_column("people_json"))
    organisation: str = Field(default="", max_length=200)
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_column=json_column("sources_json"))
    status: EventStatus = Field(default=EventStatus.draft, sa_type=enum_type(EventStatus))
    earliest: dt.date
    latest: dt.date
    precision: str = Field(max_length=12)
    edtf: str = Field(max_length=60)
    deleted: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
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
    changed_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    reason: str = Field(default="", max_length=500)
    snapshot: dict[str, Any] = Field(sa_column=json_column("snapshot_json"))
