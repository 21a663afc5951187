"""The tables of the live event log of a group interview."""

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.db.base import ts_column, utcnow
from app.group_interview import models as _group_interview_tables  # noqa: F401  (foreign-key targets)


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
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
