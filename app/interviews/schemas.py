"""Request and response shapes of interviews, notes per topic, quotes and candidate factors."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.group_interview.models import FactorKind
from app.http_schemas import RequestBody
from app.interviews.models import InterviewStatus
from app.timeline.schemas import DateText, Lane, OptionalDateText
from app.validation import MAX_ID, Clean, Id

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]
Passage = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), Clean]
MAX_NOTES = 100_000


class InterviewCreate(RequestBody):
    """A new interview: who is interviewed (one or several participants) and when.

    Without a ``status``, an interview dated today or earlier counts as held, a later one as planned. Without
    ``interviewer_ids`` the member who creates it is the interviewer.
    """

    participant_ids: list[Id] = Field(min_length=1, max_length=20)
    held_on: dt.date | None = None
    place: Short = ""
    status: InterviewStatus | None = None
    interviewer_ids: list[Id] = Field(default_factory=list, max_length=4)


class InterviewUpdate(RequestBody):
    """Changed fields of an interview."""

    participant_ids: list[Id] | None = Field(default=None, min_length=1, max_length=20)
    held_on: dt.date | None = None
    place: Short | None = None
    status: InterviewStatus | None = None
    interviewer_ids: list[Id] | None = Field(default=None, max_length=4)


class PersonRef(BaseModel):
    """A participant as an interview shows them."""

    id: int
    pseudonym: str
    role_label: str
    quotes_consent: bool


class MemberRef(BaseModel):
    """A review member who interviews."""

    id: int
    name: str


class TopicOut(BaseModel):
    """One topic of the guide with this interview's notes on it; send ``version`` back when saving."""

    key: str
    title: str
    prompt: str
    custom: bool
    notes: str
    version: int
    updated_at: dt.datetime | None
    updated_by: str | None


class InterviewOut(BaseModel):
    """An interview with its participants, interviewers and the topic guide with notes."""

    id: int
    review_id: int
    label: str = Field(description="How the interview is named as a source, e.g. 'interview Moeder (12-03-2024)'")
    held_on: dt.date | None
    place: str
    status: InterviewStatus
    participants: list[PersonRef]
    interviewers: list[MemberRef]
    topics: list[TopicOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class InterviewSummary(BaseModel):
    """An interview in a list (without the notes)."""

    id: int
    label: str
    held_on: dt.date | None
    place: str
    status: InterviewStatus
    participants: list[PersonRef]
    interviewers: list[MemberRef]
    topics_with_notes: int
    quotes: int
    events: int


class NotesUpdate(RequestBody):
    """The full notes of one topic and the ``version`` they were based on (0 for a topic without notes yet)."""

    text: Annotated[str, StringConstraints(max_length=MAX_NOTES), Clean]
    version: int = Field(ge=0, le=MAX_ID)


class GuideTopicCreate(RequestBody):
    """A topic a team adds to its review's interview guide."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Clean]


class GuideTopicOut(BaseModel):
    """One topic of the review's guide."""

    key: str
    title: str
    prompt: str
    custom: bool


class QuoteCreate(RequestBody):
    """A quote: its text, who said it, and (optionally) the interview it comes from."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), Clean]
    participant_id: Id
    interview_id: Id | None = None


class QuoteOut(BaseModel):
    """A quote with its speaker's role label and whether it may leave the system."""

    id: int
    review_id: int
    text: str
    speaker: str
    participant_id: int
    participant_pseudonym: str
    interview_id: int | None
    source: str
    quotes_consent: bool = Field(description="Whether the speaker consents to quotes right now")
    exportable: bool = Field(description="Whether exports, reports and share links may include this quote")
    created_at: dt.datetime


class CandidateFactorCreate(RequestBody):
    """A possible success or hindering factor, noted from an interview for the group interview."""

    kind: FactorKind
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    passage: Passage = ""
    interview_id: Id | None = None


class CandidateFactorOut(BaseModel):
    """A candidate factor with its source."""

    id: int
    review_id: int
    kind: FactorKind
    title: str
    passage: str
    interview_id: int | None
    source: str
    created_by: int | None
    created_at: dt.datetime


class PassageEvent(RequestBody):
    """A life-line event made from a passage of an interview's notes; the interview becomes its source."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    when: DateText
    until: OptionalDateText | None = None
    lane: Lane = "family"
    description: Annotated[str, StringConstraints(max_length=10_000), Clean] = ""


class DateTextRequest(RequestBody):
    """A passage of notes to look for a date in."""

    text: Passage


class DateTextOut(BaseModel):
    """The first date text found in a passage ("voorjaar 2014"), or null."""

    date_text: str | None
