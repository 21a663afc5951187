"""The tables of case-file documents and what they say about life-line events."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import Created, CreatedUpdated, ReviewRow, enum_type, ts_column
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)
from app.timeline import models as _timeline_tables  # noqa: F401  (foreign-key targets)


class DocumentKind(StrEnum):
    """What kind of case-file document was studied (dossieronderzoek)."""

    treatment_plan = "treatment_plan"
    meeting_report = "meeting_report"
    other = "other"


class FindingKind(StrEnum):
    """What a document says about a life-line event."""

    confirm = "confirm"
    correct = "correct"
    add = "add"


class Document(ReviewRow, CreatedUpdated, table=True):
    """A case-file document read in the file study, with an optional attached file stored under ``data/``."""

    __tablename__ = "documents"

    title: str = Field(max_length=300)
    kind: DocumentKind = Field(default=DocumentKind.other, sa_type=enum_type(DocumentKind))
    dated: dt.date | None = None
    author_organisation: str = Field(default="", max_length=200)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    file_name: str = Field(default="", max_length=255)
    file_type: str = Field(default="", max_length=10)
    file_size: int = 0
    stored_name: str = Field(default="", max_length=80)
    uploaded_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class DocumentFinding(ReviewRow, Created, table=True):
    """What a document says about one life-line event: it confirms, corrects or adds it (at ``event_version``)."""

    __tablename__ = "document_findings"

    document_id: int = Field(foreign_key="documents.id", ondelete="CASCADE", index=True)
    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", index=True)
    event_version: int
    kind: FindingKind = Field(sa_type=enum_type(FindingKind))
    note: str = Field(default="", max_length=2000)
