"""Request and response shapes of the life-line: events, sources, versions, imports."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.http_schemas import RequestBody
from app.timeline.models import EventStatus
from app.validation import MAX_ID, Clean

DateText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Clean]
OptionalDateText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean]
Lane = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), Clean]
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), Clean]
"""A person's name: one on an event, or a person of the life-line (their column's width)."""


MAX_REASON = 500
"""The longest reason a version of an event keeps (its column's width)."""


class SourceKind(StrEnum):
    """Where a life-line fact comes from."""

    interview = "interview"
    document = "document"
    group_interview = "group_interview"
    text = "text"


class Source(RequestBody):
    """One source of an event: an interview, a document, the group interview, or free text."""

    kind: SourceKind = SourceKind.text
    ref_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]


class EventCreate(RequestBody):
    """A new event; ``when`` and ``until`` are the date text as a researcher types it ("voorjaar 2014")."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    when: OptionalDateText = Field(default="", description="As said: '2014', 'toen Sem 7 was', '' (undated)")
    until: OptionalDateText | None = None
    reference_date: dt.date | None = Field(default=None, description="What 'vorige zomer' is relative to")
    lane: Lane = "family"
    description: Annotated[str, StringConstraints(max_length=10_000), Clean] = ""
    people: list[Person] = Field(default_factory=list, max_length=30)
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] = ""
    status: EventStatus = EventStatus.draft
    sources: list[Source] = Field(default_factory=list, max_length=30)


class EventUpdate(RequestBody):
    """Changed fields of an event plus the ``version`` the change was based on (a stale one answers 409)."""

    version: int = Field(ge=1, le=MAX_ID)
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean] | None = None
    when: OptionalDateText | None = None
    reference_date: dt.date | None = None
    until: OptionalDateText | None = None
    lane: Lane | None = None
    description: Annotated[str, StringConstraints(max_length=10_000), Clean] | None = None
    people: list[Person] | None = Field(default=None, max_length=30)
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] | None = None
    status: EventStatus | None = None
    sources: list[Source] | None = Field(default=None, max_length=30)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_REASON), Clean] = ""


class EventOut(BaseModel):
    """An event as stored now, with its parsed date range."""

    id: int
    review_id: int
    title: str
    when: str
    until: str | None
    date_text: str = Field(description="The date in the reader's language, e.g. 'spring 2014'")
    earliest: dt.date | None = Field(description="The earliest day the event can have started (null: not known)")
    latest: dt.date | None = Field(description="The latest day the event can have ended (null: open end)")
    undated: bool = Field(description="Nobody has dated it yet: it waits on the shelf beside the chart")
    precision: str
    approximate: bool
    is_period: bool
    edtf: str
    anchor: "AnchorOut | None" = Field(description="The person or event its date is derived from")
    reference_date: dt.date | None
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
    earliest: dt.date | None = None
    latest: dt.date | None = None


class RestoreVersion(RequestBody):
    """Restore an earlier version (as a new version), based on the current ``version``."""

    version: int = Field(ge=1, le=MAX_ID)


class ImportResult(BaseModel):
    """What a CSV import did: rows with the ``id`` of an event of this review update it, others are added."""

    imported: int = Field(description="How many events were added")
    updated: int = Field(0, description="How many events were changed (matched by id)")
    unchanged: int = Field(0, description="How many rows matched an event that was already as in the file")
    events: list[EventOut] = Field(description="The events added and changed")


BornText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]


class PersonCreate(RequestBody):
    """A person of the life-line; ``born`` is what was said about the birth ("voorjaar 2010", "2008")."""

    name: Person
    born: BornText = ""


class PersonUpdate(RequestBody):
    """A corrected birth date of a person of the life-line."""

    born: BornText


class PersonOut(BaseModel):
    """A person of the life-line with the range of their birth date (null when not known)."""

    id: int
    name: str
    born: str
    born_earliest: dt.date | None
    born_latest: dt.date | None


class AnchorOut(BaseModel):
    """What a date depends on: a person of the life-line or another event."""

    kind: str
    id: int
    name: str


class DependentsChoice(StrEnum):
    """What happens to the events dated from an event that is deleted."""

    keep = "keep"  # keep their last range as their date
    unanchor = "unanchor"  # leave them undated, their words kept


class PhraseOut(BaseModel):
    """What a date phrase means; ``earliest``/``latest`` are null for an open side or when undated."""

    label: str = Field(description="The phrase in its own words")
    meaning: str = Field(description="What the phrase means, in the reader's language, e.g. 'sept.–nov. 2016'")
    earliest: dt.date | None
    latest: dt.date | None
    edtf: str | None
    undated: bool
    anchor: AnchorOut | None


EventOut.model_rebuild()
