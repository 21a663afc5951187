"""Request and response shapes of the life-line: events, sources, versions, imports."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.timeline.models import EventStatus
from app.validation import MAX_ID

DateText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
OptionalDateText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Lane = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class SourceKind(StrEnum):
    """Where a life-line fact comes from."""

    interview = "interview"
    document = "document"
    group_interview = "group_interview"
    text = "text"


class Source(BaseModel):
    """One source of an event: an interview, a document, the group interview, or free text."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind = SourceKind.text
    ref_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class EventCreate(BaseModel):
    """A new event; ``when`` and ``until`` are the date text as a researcher types it ("voorjaar 2014")."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    when: DateText
    until: OptionalDateText | None = None
    lane: Lane = "family"
    description: Annotated[str, StringConstraints(max_length=10_000)] = ""
    people: list[Person] = Field(default_factory=list, max_length=30)
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    status: EventStatus = EventStatus.draft
    sources: list[Source] = Field(default_factory=list, max_length=30)


class EventUpdate(BaseModel):
    """Changed fields of an event plus the ``version`` the change was based on (a stale one answers 409)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_ID)
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] | None = None
    when: DateText | None = None
    until: OptionalDateText | None = None
    lane: Lane | None = None
    description: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    people: list[Person] | None = Field(default=None, max_length=30)
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    status: EventStatus | None = None
    sources: list[Source] | None = Field(default=None, max_length=30)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class EventOut(BaseModel):
    """An event as stored now, with its parsed date range."""

    id: int
    review_id: int
    title: str
    when: str
    until: str | None
    date_text: str = Field(description="The date in the reader's language, e.g. 'spring 2014'")
    earliest: dt.date = Field(description="The earliest day the event can have started")
    latest: dt.date = Field(description="The latest day the event can have ended")
    precision: str
    approximate: bool
    is_period: bool
    edtf: str
    lane: str
    lane_label: str
    description: str
    people: list[str]
    organisation: str
    status: EventStatus
    sources: list[Source]
    version: int
    deleted: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str


class VersionOut(BaseModel):
    """One version of an event in its history."""

    version: int
    change: str
    changed_by: int | None
    changed_by_label: str
    changed_at: dt.datetime
    reason: str
    title: str
    when: str
    until: str | None
    lane: str
    description: str
    people: list[str]
    organisation: str
    status: EventStatus
    sources: list[Source]
    deleted: bool


class RestoreVersion(BaseModel):
    """Restore an earlier version (as a new version), based on the current ``version``."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_ID)


class ImportResult(BaseModel):
    """What a CSV import added."""

    imported: int
    events: list[EventOut]
