"""Request and response shapes of the share-back meeting (terugkoppelbijeenkomst)."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.http_schemas import RequestBody
from app.share_back.models import Decision, Reaction, ShareBackStatus
from app.validation import Clean, Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=280), Clean]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean]
ClientKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=8, max_length=64, pattern=r"^[\w-]+$"), Clean
]
Branch = Annotated[str, StringConstraints(pattern=r"^(success|hindering|what_works)$"), Clean]


class MeetingOut(BaseModel):
    """A share-back meeting; ``join_code`` and ``join_url`` only for members, only while it can be joined."""

    id: int
    review_id: int
    status: ShareBackStatus
    join_code: str | None
    join_url: str | None
    current_node_id: int | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class StepTo(RequestBody):
    """Show a finding on the shared screen (``node_id`` null: the success itself)."""

    node_id: Id | None = None


class ReactionIn(RequestBody):
    """A reaction to a finding from a phone (or the tablet); ``client_key`` makes a retry count once."""

    node_id: Id
    reaction: Reaction
    comment: Comment = ""
    client_key: ClientKey


class ReactionOut(BaseModel):
    """The phone's own reaction as stored (only ever sent to that phone)."""

    node_id: int
    reaction: Reaction
    comment: str
    client_key: str


class TallyOut(BaseModel):
    """The reactions to one finding: counts and the comments, never who gave them."""

    node_id: int
    agree: int = 0
    partly: int = 0
    disagree: int = 0
    comments: list[str] = Field(default_factory=list)


class DecisionIn(RequestBody):
    """The decision on a finding; a rephrasing gives the new ``title`` (and optionally its explanation)."""

    decision: Annotated[Decision, Field(description="kept, rephrased or removed")]
    note: Note = ""
    title: Title | None = None
    explanation: Annotated[str, StringConstraints(max_length=5000), Clean] | None = None


class NewFinding(RequestBody):
    """A finding the room missed: added to the tree (under ``parent_id``, or at the top of ``branch``)."""

    title: Title
    explanation: Annotated[str, StringConstraints(max_length=5000), Clean] = ""
    branch: Branch = "success"
    parent_id: Id | None = None
    note: Note = ""


class DecisionOut(BaseModel):
    """A decision as recorded."""

    node_id: int
    decision: Decision
    note: str
    title_before: str
    title_after: str
    node_version: int
    decided_at: dt.datetime


class TabletIn(RequestBody):
    """Pass the tablet: who reacts next on the room's one device (null: nobody)."""

    participant_id: Id | None = None


@dataclass(frozen=True)
class MemberCheckRow:
    """One finding in the report's member check: its wording after the meeting, the reactions, the decision."""

    title: str
    title_before: str
    section: str
    agree: int
    partly: int
    disagree: int
    decision: str
    note: str


@dataclass(frozen=True)
class MemberCheck:
    """The share-back meeting as the report records it (roles only, counts only: never who said what)."""

    held_on: dt.date | None
    roles: list[str]
    rows: list[MemberCheckRow]
