"""Request and response shapes of the group interview, its factors and proposals."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.group_interview.models import FactorKind, GroupInterviewStatus, ProposalStatus, RoomStep
from app.http_schemas import RequestBody
from app.validation import Clean, Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]


class GroupInterviewOut(BaseModel):
    """A group interview; ``join_code`` is shown to members only."""

    id: int
    review_id: int
    status: GroupInterviewStatus
    step: int
    joining_open: bool
    join_code: str | None
    join_url: str | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class StepChange(RequestBody):
    """Move the group interview to a step of the method (1–5)."""

    step: RoomStep


class JoiningChange(RequestBody):
    """Open or close joining by code while the group interview runs."""

    joining_open: bool


class JoinRequest(RequestBody):
    """Join from a phone: the code on the screen and who you are."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=20), Clean]
    participant_id: Id


class CodeCheck(RequestBody):
    """Check a code before choosing a name."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=20), Clean]


class JoinedOut(BaseModel):
    """The answer to a successful join."""

    participant_id: int
    pseudonym: str
    review_id: int
    group_interview_id: int
    csrf_token: str = Field(description="Send as X-CSRF-Token with the phone's later writes")


class FactorCreate(RequestBody):
    """A success or hindering factor, optionally pinned to a life-line event or moment."""

    kind: FactorKind
    title: Title
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean] = ""
    event_id: Id | None = None
    moment_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean] = ""
    participant_id: Id | None = Field(default=None, description="Who named it (the facilitator typing for someone)")


class FactorUpdate(RequestBody):
    """Changed fields of a factor."""

    title: Title | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean] | None = None
    event_id: Id | None = None
    moment_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean] | None = None
    unpin: bool = False


class FactorMerge(RequestBody):
    """Merge duplicate factors into one; their stickers move along."""

    into_id: Id
    factor_ids: list[Id] = Field(min_length=1, max_length=50)


class FactorOut(BaseModel):
    """A factor as everyone sees it."""

    id: int
    review_id: int
    kind: FactorKind
    title: str
    description: str
    event_id: int | None
    moment_text: str
    merged_into_id: int | None
    created_at: dt.datetime


class ProposalCreate(RequestBody):
    """A correction or addition to the life-line, proposed in the room."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Clean]
    when: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean] = ""
    event_id: Id | None = None


class ProposalDecision(RequestBody):
    """Accept a proposal into the life-line (as a new event version or a new event) or set it aside."""

    accept: bool
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), Clean] = ""
    when: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean] = ""
    lane: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80), Clean] = "family"


class ProposalOut(BaseModel):
    """A proposal and what became of it."""

    id: int
    participant_id: int | None
    event_id: int | None
    text: str
    when: str
    status: ProposalStatus
    result_event_id: int | None
    created_at: dt.datetime


class TabletChange(RequestBody):
    """Pass the tablet: who votes next (null: nobody)."""

    participant_id: Id | None


__all__ = ["FactorKind"]
