"""The interviews' JSON API: interviews, notes autosave, topic guide, quotes, candidate factors, events from a
passage."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.db import SessionDep
from app.deps import MemberDep, PathId, WriterDep
from app.interviews import service
from app.interviews.schemas import (
    CandidateFactorCreate,
    CandidateFactorOut,
    DateTextOut,
    DateTextRequest,
    GuideTopicCreate,
    GuideTopicOut,
    InterviewCreate,
    InterviewOut,
    InterviewSummary,
    InterviewUpdate,
    NotesUpdate,
    PassageEvent,
    QuoteCreate,
    QuoteOut,
    TopicOut,
)
from app.timeline import service as timeline
from app.timeline.schemas import EventOut

api = APIRouter(tags=["interviews"])

TopicKey = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")]


# --- API: the topic guide --------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/interview-guide", response_model=list[GuideTopicOut])
def read_guide(session: SessionDep, access: MemberDep) -> list[GuideTopicOut]:
    """The review's topic guide: the method's six topics and the team's own."""
    return service.guide(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/interview-guide", response_model=GuideTopicOut, status_code=201)
def add_topic(session: SessionDep, access: WriterDep, data: GuideTopicCreate) -> GuideTopicOut:
    """Add a topic of the team's own to the guide (every interview gets it)."""
    return service.add_topic(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)


@api.delete("/reviews/{review_id}/interview-guide/{topic_key}", status_code=204)
def remove_topic(session: SessionDep, access: WriterDep, topic_key: TopicKey) -> Response:
    """Remove a team's own topic; refused while interviews have notes on it."""
    service.remove_topic(session=session, review_id=access.review_id, key=topic_key, actor=access.viewer.actor)
    return Response(status_code=204)


# --- API: interviews and notes ---------------------------------------------------------------------------


@api.get("/reviews/{review_id}/interviews", response_model=list[InterviewSummary])
def list_interviews(session: SessionDep, access: MemberDep) -> list[InterviewSummary]:
    """The review's interviews with counts of notes, quotes and life-line events."""
    return service.list_interviews(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/interviews", response_model=InterviewOut, status_code=201)
def create_interview(session: SessionDep, access: WriterDep, data: InterviewCreate) -> InterviewOut:
    """Plan or record an interview with one or several participants; answers it with its topic guide."""
    interview = service.create_interview(
        session=session, review_id=access.review_id, user=access.viewer.user, data=data
    )
    return service.interview_out(session=session, interview=interview)


@api.get("/reviews/{review_id}/interviews/{interview_id}", response_model=InterviewOut)
def read_interview(session: SessionDep, access: MemberDep, interview_id: PathId) -> InterviewOut:
    """One interview with its notes per topic."""
    interview = service.get_interview(session=session, review_id=access.review_id, interview_id=interview_id)
    return service.interview_out(session=session, interview=interview)


@api.patch("/reviews/{review_id}/interviews/{interview_id}", response_model=InterviewOut)
def update_interview(
    session: SessionDep, access: WriterDep, interview_id: PathId, data: InterviewUpdate
) -> InterviewOut:
    """Change date, place, status, participants or interviewers."""
    interview = service.update_interview(
        session=session,
        review_id=access.review_id,
        interview_id=interview_id,
        actor=access.viewer.actor,
        data=data,
    )
    return service.interview_out(session=session, interview=interview)


@api.delete("/reviews/{review_id}/interviews/{interview_id}", status_code=204)
def delete_interview(session: SessionDep, access: WriterDep, interview_id: PathId) -> Response:
    """Delete an interview and its notes (quotes, factors and events stay)."""
    service.delete_interview(
        session=session, review_id=access.review_id, interview_id=interview_id, actor=access.viewer.actor
    )
    return Response(status_code=204)


@api.patch("/reviews/{review_id}/interviews/{interview_id}/notes/{topic_key}", response_model=TopicOut)
def save_notes(
    session: SessionDep, access: WriterDep, interview_id: PathId, topic_key: TopicKey, data: NotesUpdate
) -> TopicOut:
    """Save the notes of one topic with the ``version`` they were based on; a stale one answers 409 with the
    stored text under ``conflict.current``."""
    return service.save_notes(
        session=session,
        review_id=access.review_id,
        interview_id=interview_id,
        topic_key=topic_key,
        user=access.viewer.user,
        data=data,
    )


@api.post("/reviews/{review_id}/interviews/{interview_id}/events", response_model=EventOut, status_code=201)
def event_from_passage(session: SessionDep, access: WriterDep, interview_id: PathId, data: PassageEvent) -> EventOut:
    """Add a life-line event from a passage of the notes; the interview becomes its source."""
    event = service.event_from_passage(
        session=session,
        review_id=access.review_id,
        interview_id=interview_id,
        user=access.viewer.user,
        data=data,
    )
    return timeline.event_out(event)


@api.post("/reviews/{review_id}/date-text", response_model=DateTextOut)
def find_date_text(access: MemberDep, data: DateTextRequest) -> DateTextOut:
    """The first date text in a passage ("voorjaar 2014"), to pre-fill a life-line event; nothing is stored."""
    return DateTextOut(date_text=service.find_date_text(data.text))


# --- API: quotes and candidate factors -------------------------------------------------------------------


@api.get("/reviews/{review_id}/quotes", response_model=list[QuoteOut])
def list_quotes(session: SessionDep, access: MemberDep) -> list[QuoteOut]:
    """Every quote, with ``exportable`` false when the speaker does not (or no longer) consent to quotes."""
    return service.list_quotes(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/quotes", response_model=QuoteOut, status_code=201)
def create_quote(session: SessionDep, access: WriterDep, data: QuoteCreate) -> QuoteOut:
    """Mark a quote; the speaker is the participant's role label."""
    quote = service.create_quote(session=session, review_id=access.review_id, user=access.viewer.user, data=data)
    return service.quote_out(session=session, quote=quote)


@api.delete("/reviews/{review_id}/quotes/{quote_id}", status_code=204)
def delete_quote(session: SessionDep, access: WriterDep, quote_id: PathId) -> Response:
    """Delete a quote."""
    service.delete_quote(session=session, review_id=access.review_id, quote_id=quote_id, actor=access.viewer.actor)
    return Response(status_code=204)


@api.get("/reviews/{review_id}/candidate-factors", response_model=list[CandidateFactorOut])
def list_candidate_factors(session: SessionDep, access: MemberDep) -> list[CandidateFactorOut]:
    """Possible success and hindering factors noted from the interviews, for the group interview."""
    return service.list_candidate_factors(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/candidate-factors", response_model=CandidateFactorOut, status_code=201)
def create_candidate_factor(session: SessionDep, access: WriterDep, data: CandidateFactorCreate) -> CandidateFactorOut:
    """Note a candidate success or hindering factor."""
    factor = service.create_candidate_factor(
        session=session, review_id=access.review_id, user=access.viewer.user, data=data
    )
    return service.candidate_factor_out(session=session, factor=factor)


@api.delete("/reviews/{review_id}/candidate-factors/{factor_id}", status_code=204)
def delete_candidate_factor(session: SessionDep, access: WriterDep, factor_id: PathId) -> Response:
    """Delete a candidate factor."""
    service.delete_candidate_factor(
        session=session, review_id=access.review_id, factor_id=factor_id, actor=access.viewer.actor
    )
    return Response(status_code=204)
