"""The tables of the share-back meeting: the meeting (its room is a group-interview room), reactions, decisions."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from app.db.base import Created, ReviewRow, enum_type, utcnow
from app.db.base import ts_column as _ts


class ShareBackStatus(StrEnum):
    """Where a share-back meeting stands (its room's status: draft is shown as prepared)."""

    prepared = "prepared"
    open = "open"
    closed = "closed"


class Reaction(StrEnum):
    """What someone in the room says of a finding: *herken ik*, *deels*, *herken ik niet*."""

    agree = "agree"
    partly = "partly"
    disagree = "disagree"


class Decision(StrEnum):
    """What the researchers do with a finding after the member check."""

    kept = "kept"
    rephrased = "rephrased"
    removed = "removed"
    added = "added"


class ShareBackMeeting(ReviewRow, Created, table=True):
    """A share-back meeting of a review. Its room (``room_id``, a ``group_interviews`` row with purpose
    ``share_back``) holds the join code, the joined phones, the status and the live event log, so it runs on
    the same machinery as the group interview."""

    __tablename__ = "share_back_meetings"

    room_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", unique=True)
    current_node_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="SET NULL")


class ShareBackReaction(ReviewRow, table=True):
    """One person's reaction to one finding in one meeting (a new one replaces it). Never shown with who gave it:
    ``participant_id`` is kept only to allow one reaction per person and to remove them on withdrawal."""

    __tablename__ = "share_back_reactions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "node_id", "participant_id"),
        Index("ix_share_back_reactions_meeting_node", "meeting_id", "node_id"),
    )

    meeting_id: int = Field(foreign_key="share_back_meetings.id", ondelete="CASCADE")
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    reaction: Reaction = Field(sa_type=enum_type(Reaction))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    client_key: str = Field(max_length=64)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ShareBackDecision(ReviewRow, table=True):
    """The researchers' decision on one finding in a meeting, with the titles before and after it."""

    __tablename__ = "share_back_decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "node_id"),)

    meeting_id: int = Field(foreign_key="share_back_meetings.id", ondelete="CASCADE")
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE")
    decision: Decision = Field(sa_type=enum_type(Decision))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    title_before: str = Field(default="", max_length=300)
    title_after: str = Field(default="", max_length=300)
    node_version: int = 1
    decided_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
