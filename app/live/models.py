"""The tables of the live event log of a group interview."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from app.db.base import ts_column, utcnow
from app.group_interview import models as _group_interview_tables  # noqa: F401  (foreign-key targets)


class EventKind(StrEnum):
    """What a live event says; the screens' script gets this list from the page (``live_event_kinds``)."""

    interview = "interview"  # status, step, joining
    joined = "joined"
    released = "released"
    tablet = "tablet"
    code = "code"
    proposal = "proposal"
    lifeline = "lifeline"
    factor = "factor"
    factor_removed = "factor_removed"
    round = "round"
    tally = "tally"
    mine = "mine"
    share_back = "share_back"  # the share-back meeting: status, the finding on screen
    reactions = "reactions"  # the room's reaction counts per finding (no names)
    decision = "decision"  # the researchers' decision on a finding
    slides = "slides"  # the findings stepped through changed
    state = "state"  # the full snapshot, sent by a stream (never stored)
    ended = "ended"  # a phone's access ended, sent by a stream (never stored)


class LiveEvent(SQLModel, table=True):
    """The append-only log of what happened in a group interview, replayed to screens from the last id seen.

    ``audience`` is ``all``, ``members`` (researchers' console and screen) or ``participant:<id>``.
    """

    __tablename__ = "live_events"
    # A group interview's events in id order: what the streams read after a position, and the last one before a
    # transaction's own (app.live.emit_many).
    __table_args__ = (Index("ix_live_events_interview_event", "group_interview_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE")
    kind: str = Field(max_length=40)
    audience: str = Field(default="all", max_length=40)
    payload_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
