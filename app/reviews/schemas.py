"""Request and response shapes of reviews, members, steps and readiness."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from app.http_schemas import RequestBody
from app.i18n import _
from app.reviews.models import Role, StepStatus
from app.validation import Clean

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Clean]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000), Clean]


class ReviewCreate(RequestBody):
    """A new review."""

    title: Title
    collaboration: ShortText = ""
    case_pseudonym: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] = ""
    selection_criteria: LongText = ""
    selection_reasons: LongText = ""
    success_statement: LongText = ""
    started_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    retention_until: dt.date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "ReviewCreate":
        if self.started_on and self.planned_end_on and self.planned_end_on < self.started_on:
            raise ValueError(_("The planned end lies before the start."))
        return self


class ReviewUpdate(RequestBody):
    """Changed fields of a review (only those given are changed)."""

    title: Title | None = None
    collaboration: ShortText | None = None
    case_pseudonym: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] | None = None
    selection_criteria: LongText | None = None
    selection_reasons: LongText | None = None
    success_statement: LongText | None = None
    started_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    retention_until: dt.date | None = None


class PhaseProgress(BaseModel):
    """How far one phase is."""

    phase: int
    title: str
    done: int
    total: int


class ReviewOut(BaseModel):
    """A review with the viewer's role and its progress through the phases."""

    id: int
    title: str
    collaboration: str
    case_pseudonym: str
    selection_criteria: str
    selection_reasons: str
    success_statement: str
    started_on: dt.date | None
    planned_end_on: dt.date | None
    retention_until: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    role: Role
    current_phase: int | None = Field(description="1, 2 or 3; null when every step is done or skipped")
    progress: float = Field(ge=0, le=1)
    phases: list[PhaseProgress]
    next_step: str | None
    retention_expired: bool = Field(
        description="The retention date has passed: erase with `leerreview purge --expired`"
    )


class MemberCreate(RequestBody):
    """Add a user, by e-mail, to a review."""

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254), Clean]
    role: Role


class MemberUpdate(RequestBody):
    """Change a member's role."""

    role: Role


class MemberOut(BaseModel):
    """A member of a review."""

    id: int
    user_id: int
    email: str
    name: str
    role: Role
    added_at: dt.datetime


class StepOut(BaseModel):
    """One step of the guide, with the method's explanation in the viewer's language."""

    key: str
    phase: int
    position: int
    title: str
    explanation: str
    status: StepStatus
    skip_reason: str
    notes: str
    due_on: dt.date | None
    completed_by: int | None
    completed_by_name: str | None
    completed_at: dt.datetime | None
    hint: str | None = None


class StepUpdate(RequestBody):
    """Change a step: status (a skip needs a reason), notes, due date."""

    status: StepStatus | None = None
    skip_reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), Clean] | None = None
    notes: Annotated[str, StringConstraints(max_length=10_000), Clean] | None = None
    due_on: dt.date | None = None


class MissingConsent(BaseModel):
    """A selected participant who lacks consent needed for the group interview."""

    participant_id: int
    pseudonym: str
    scopes: list[str]


class ReadinessOut(BaseModel):
    """Whether the group interview may be opened, and if not, who lacks consent."""

    ready: bool
    missing: list[MissingConsent]
    message: str
