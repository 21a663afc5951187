"""Request and response shapes of the file study: documents, their attached files, and their findings."""

import datetime as dt
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from app.documents.models import DocumentKind, FindingKind
from app.http_schemas import RequestBody
from app.i18n import _
from app.timeline.models import EventStatus
from app.timeline.schemas import DateText, Lane, OptionalDateText
from app.validation import Clean, Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
Organisation = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000), Clean]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean]


class DocumentCreate(RequestBody):
    """A document read in the file study (treatment plan, report of a collaboration meeting, other)."""

    title: Title
    kind: DocumentKind = DocumentKind.other
    dated: dt.date | None = None
    author_organisation: Organisation = ""
    notes: Notes = ""


class DocumentUpdate(RequestBody):
    """Changed fields of a document."""

    title: Title | None = None
    kind: DocumentKind | None = None
    dated: dt.date | None = None
    author_organisation: Organisation | None = None
    notes: Notes | None = None


class FileOut(BaseModel):
    """The file attached to a document (the stored name is never shown)."""

    name: str
    type: str
    size: int
    uploaded_at: dt.datetime | None
    url: str


class EventCorrection(RequestBody):
    """What the document says differently about an event."""

    title: Title | None = None
    when: DateText | None = None
    until: OptionalDateText | None = None
    lane: Lane | None = None
    description: Annotated[str, StringConstraints(max_length=10_000), Clean] | None = None


class NewEvent(RequestBody):
    """An event the document adds to the life-line."""

    title: Title
    when: DateText
    until: OptionalDateText | None = None
    lane: Lane = "family"
    description: Annotated[str, StringConstraints(max_length=10_000), Clean] = ""
    status: EventStatus = EventStatus.confirmed


class FindingCreate(RequestBody):
    """A finding of a document about the life-line.

    - ``confirm``: ``event_id``; the event becomes confirmed with this document as a source (a new version).
    - ``correct``: ``event_id``, the ``version`` you saw and the ``changes``; a new version with this document as
      source, the old version stays in the history. A stale ``version`` answers 409.
    - ``add``: ``event``; a new event with this document as its source.
    """

    kind: FindingKind
    event_id: Id | None = None
    version: Id | None = None
    changes: EventCorrection | None = None
    event: NewEvent | None = None
    note: Note = ""

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.kind in (FindingKind.confirm, FindingKind.correct) and self.event_id is None:
            raise ValueError(_("Choose the life-line event this document is about."))
        if self.kind == FindingKind.correct:
            if self.version is None:
                raise ValueError(_("Send the version of the event you are correcting."))
            if self.changes is None or not self.changes.model_dump(exclude_none=True):
                raise ValueError(_("Say what the document says differently."))
        if self.kind == FindingKind.add and self.event is None:
            raise ValueError(_("Describe the event the document adds."))
        return self


class FindingOut(BaseModel):
    """A finding: which event, at which version, and what the document did to it."""

    id: int
    document_id: int
    kind: FindingKind
    event_id: int
    event_version: int
    event_title: str
    event_when: str
    event_current_version: int
    note: str
    created_by: str | None
    created_at: dt.datetime


class DocumentOut(BaseModel):
    """A document with its attached file (if any) and findings."""

    id: int
    review_id: int
    title: str
    kind: DocumentKind
    dated: dt.date | None
    author_organisation: str
    notes: str
    label: str = Field(description="How the document is named as a source of life-line events")
    file: FileOut | None
    findings: list[FindingOut]
    created_at: dt.datetime
    updated_at: dt.datetime
