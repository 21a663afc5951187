"""The shape of the report (one structure for the HTML preview, the PDF and the Word file) and of the exports."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pydantic import Field

from app.findings.schemas import NodeOut
from app.http_schemas import RequestBody
from app.share_back.schemas import MemberCheck

EXPORT_FORMAT = "leerreview.review"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class PersonLine:
    """A participant as the report names them: pseudonym and role, never contact details."""

    pseudonym: str
    role: str
    organisation: str
    function: str


@dataclass(frozen=True)
class StepLine:
    """One step of the method with its status and the date it was completed."""

    title: str
    status: str
    done_on: dt.date | None


@dataclass(frozen=True)
class PhaseBlock:
    """One phase of the method: its steps and the dates its steps were completed (first to last)."""

    number: int
    title: str
    steps: list[StepLine]
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class EventLine:
    """A life-line event as a table row: the date as the vague text it is."""

    when: str
    lane: str
    title: str
    status: str


@dataclass(frozen=True)
class RoundBlock:
    """A sticker round and the stickers per factor in it (counts only: rounds may be anonymous)."""

    number: int
    kind: str
    anonymous: bool
    rows: list[tuple[str, int]]


@dataclass(frozen=True)
class QuoteLine:
    """A consented quote with its speaker's role label."""

    speaker: str
    text: str


@dataclass
class Report:
    """Everything the report shows, already in the report's language and stripped of what may not leave."""

    lang: str
    title: str
    case_pseudonym: str
    collaboration: str
    made_on: dt.date
    selection_criteria: str
    selection_reasons: str
    success: str
    people: list[PersonLine]
    phases: list[PhaseBlock]
    interviews_held: int
    group_interview_on: dt.date | None
    events: list[EventLine]
    lifeline_svg: Markup  # built with every user text escaped: embedded in pages as markup
    tree_svg: Markup
    success_tree: list[NodeOut]
    hindering: list[NodeOut]
    what_works: list[NodeOut]
    factors: list[tuple[str, str, int]]
    rounds: list[RoundBlock]
    quotes: list[QuoteLine]
    member_check: MemberCheck | None = None  # the share-back meeting (terugkoppeling), once one was held
    extra: dict[str, Any] = field(default_factory=dict)


class ImportResult(RequestBody):
    """The review an import created."""

    id: int = Field(description="The new review's id")
    title: str
    url: str
    rows: dict[str, int] = Field(description="How many rows of each table were imported")
