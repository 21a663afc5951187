"""The interviews' pages: the list with the guide, quotes and candidate factors, one interview with its notes."""

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

import lifeline
from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, WriterDep
from app.errors import Conflict, DomainError
from app.group_interview.models import FactorKind
from app.i18n import _, current_language
from app.interviews import router, service
from app.interviews.models import InterviewStatus
from app.interviews.router import TopicKey
from app.interviews.schemas import (
    CandidateFactorCreate,
    GuideTopicCreate,
    InterviewCreate,
    InterviewUpdate,
    NotesUpdate,
    QuoteCreate,
)
from app.participants import service as participants
from app.timeline import service as timeline
from app.validation import Submitted, parse_form, text_fields
from app.web import Errors, render_review, see_other, submit

pages = APIRouter(include_in_schema=False)
M = TypeVar("M", bound=BaseModel)


def _form_values(form: FormData) -> dict[str, Any]:
    values = text_fields(form)
    values.pop("csrf_token", None)
    for field in ("participant_ids", "interviewer_ids"):
        values[field] = [v for v in form.getlist(field) if isinstance(v, str) and v]
    values["held_on"] = values.get("held_on") or None
    return values


def _back(values: dict[str, Any], access: ReviewAccess, form: str) -> str:
    """Where a quote's or candidate factor's form goes next: the page of this review it was sent from (``back``),
    else the list's section of that ``form``."""
    target = str(values.get("back", ""))
    prefix = f"/reviews/{access.review_id}/"
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return f"{prefix}interviews#{form}s"


def _prefixed(form: str, errors: Errors) -> Errors:
    """A form's errors named for the page that holds several forms (``quote_text``)."""
    return {f"{form}_{k}": v for k, v in errors.items()}


def _script_messages() -> dict[str, str]:
    """The texts interviews.js shows, in the page's language (``%(s)s`` is filled in by the script)."""
    return {
        "saved": _("All notes saved"),
        "saving": _("Saving…"),
        "unsaved": _("Unsaved changes"),
        "retrying": _("Not saved — retrying in %(s)s s"),
        "conflict": _("Not saved: someone else changed a topic. Compare and choose."),
        "failed": _("Not saved: %(s)s"),
        "logged_out": _("Not saved: you are logged out. Copy your text, log in again in another tab, then retry."),
        "saved_by_you": _("Saved %(s)s"),
        "event_added": _("Added to the life-line."),
        "view": _("Open the life-line"),
        "factor_added": _("Candidate factor added."),
        "quote_added": _("Quote added."),
        "date_found": _("Date taken from the passage; check it."),
        "no_date": _("No date found in the passage: type when it happened."),
        "no_consent": _("No consent for quotes"),
        "may_quote": _("May be quoted"),
        "network": _("No connection."),
    }


def _list_page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    review_id = access.review_id
    context = {
        "interviews": service.list_interviews(session=session, review_id=review_id),
        "participants": participants.list_participants(session=session, review_id=review_id),
        "interviewers": service.interviewer_choices(session=session, review_id=review_id),
        "guide": service.guide(session=session, review_id=review_id),
        "quotes": service.list_quotes(session=session, review_id=review_id),
        "factors": service.list_candidate_factors(session=session, review_id=review_id),
        "statuses": list(InterviewStatus),
        "kinds": list(FactorKind),
        "hint": service.interviews_hint(session, review_id),
        "values": {"interviewer_ids": [str(access.viewer.user.id)]},
    }
    context["kept"] = {}  # a quote's or factor's form that came back with an error: what was sent (``_note_form``)
    return render_review(request, access, "interviews/list.html", context, active="interviews", extra=extra)


@pages.get("/reviews/{review_id}/interviews")
def interviews_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The interviews of phase 2, the topic guide, and every quote and candidate factor."""
    return _list_page(request, session, access)


@pages.post("/reviews/{review_id}/interviews")
def create_interview_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Plan or record an interview from the form."""
    values = _form_values(form)
    return submit(
        InterviewCreate,
        {k: v for k, v in values.items() if k != "status" or v},
        lambda data: router.create_interview(session, access, data),
        then=lambda interview: f"/reviews/{access.review_id}/interviews/{interview.id}",
        again=lambda errors: _list_page(request, session, access, errors=errors, values=values),
    )


def _interview_page(
    request: Request, session: SessionDep, access: ReviewAccess, interview_id: int, **extra: Any
) -> Response:
    review_id = access.review_id
    context = {
        "interview": router.read_interview(session, access, interview_id),
        "events": [
            timeline.event_out(e)
            for e in service.events_of(session=session, review_id=review_id, interview_id=interview_id)
        ],
        "quotes": service.list_quotes(session=session, review_id=review_id, interview_id=interview_id),
        "factors": service.list_candidate_factors(session=session, review_id=review_id, interview_id=interview_id),
        "participants": participants.list_participants(session=session, review_id=review_id),
        "interviewers": service.interviewer_choices(session=session, review_id=review_id),
        "statuses": list(InterviewStatus),
        "kinds": list(FactorKind),
        "lanes": [(lane, lifeline.lane_label(lane, current_language())) for lane in lifeline.Lane.STANDARD],
        "messages": _script_messages(),
        "conflicts": {},
    }
    return render_review(
        request, access, "interviews/interview.html", context, active="interviews", extra=extra, conflict="conflicts"
    )


@pages.get("/reviews/{review_id}/interviews/{interview_id}")
def interview_page(request: Request, session: SessionDep, access: MemberDep, interview_id: PathId) -> Response:
    """One interview: the notes per topic (saved as you type) and what was taken from them."""
    return _interview_page(request, session, access, interview_id)


@pages.post("/reviews/{review_id}/interviews/{interview_id}")
def update_interview_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, interview_id: PathId
) -> Response:
    """Save the interview's details from the form."""
    return submit(
        InterviewUpdate,
        _form_values(form),
        lambda data: router.update_interview(session, access, interview_id, data),
        then=f"/reviews/{access.review_id}/interviews/{interview_id}",
        again=lambda errors: _interview_page(request, session, access, interview_id, errors=errors),
    )


@pages.post("/reviews/{review_id}/interviews/{interview_id}/notes")
def save_notes_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, interview_id: PathId
) -> Response:
    """Save every changed topic from the notes form (the page without scripts); conflicts are shown per topic."""
    review_id = access.review_id
    interview = service.get_interview(session=session, review_id=review_id, interview_id=interview_id)
    conflicts: dict[str, Any] = {}
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for topic in service.topics_of(session=session, interview=interview):
        text = form.get(f"notes-{topic.key}")
        if not isinstance(text, str) or text == topic.notes:
            continue
        values[topic.key] = text
        data, problems = parse_form(NotesUpdate, {"text": text, "version": form.get(f"version-{topic.key}")})
        if data is None:
            errors[topic.key] = "; ".join(problems.values())
            continue
        try:
            router.save_notes(session, access, interview_id, topic.key, data)
        except DomainError as exc:
            if exc.status_code != 409:
                raise
            conflicts[topic.key] = exc.detail["current"] if isinstance(exc.detail, dict) else {}
    if conflicts or errors:
        return _interview_page(
            request, session, access, interview_id, conflicts=conflicts, errors=errors, values=values
        )
    return see_other(f"/reviews/{review_id}/interviews/{interview_id}#notes")


@pages.post("/reviews/{review_id}/interviews/{interview_id}/delete")
def delete_interview_page(session: SessionDep, access: WriterDep, interview_id: PathId) -> Response:
    """Delete an interview and its notes."""
    router.delete_interview(session, access, interview_id)
    return see_other(f"/reviews/{access.review_id}/interviews")


@pages.post("/reviews/{review_id}/interview-guide")
def add_topic_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Add a topic to the guide from the form."""
    values = _form_values(form)
    return submit(
        GuideTopicCreate,
        {"title": values.get("title", "")},
        lambda data: router.add_topic(session, access, data),
        then=f"/reviews/{access.review_id}/interviews#guide",
        again=lambda errors: _list_page(request, session, access, errors=_prefixed("topic", errors)),
        field="title",
    )


@pages.post("/reviews/{review_id}/interview-guide/{topic_key}/delete")
def remove_topic_page(request: Request, session: SessionDep, access: WriterDep, topic_key: TopicKey) -> Response:
    """Remove a team's own topic from the guide."""
    try:
        router.remove_topic(session, access, topic_key)
    except Conflict as exc:
        return _list_page(request, session, access, errors={"topic_title": exc.message})
    return see_other(f"/reviews/{access.review_id}/interviews#guide")


def _note_form(
    request: Request,
    session: SessionDep,
    access: ReviewAccess,
    values: dict[str, Any],
    schema: type[M],
    fields: dict[str, Any],
    create: Callable[[SessionDep, ReviewAccess, M], object],
    *,
    form: str,
) -> Response:
    """A quote or candidate factor taken from the notes, by a form on the list or on an interview's page: back to
    where it came from (or the list's section), or the list with the ``form``'s errors."""
    return submit(
        schema,
        fields,
        lambda data: create(session, access, data),
        then=_back(values, access, form),
        again=lambda errors: _list_page(request, session, access, errors=_prefixed(form, errors), kept={form: values}),
    )


@pages.post("/reviews/{review_id}/quotes")
def create_quote_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Mark a quote from the form."""
    values = _form_values(form)
    fields = {k: values.get(k) or None for k in ("text", "participant_id", "interview_id")}
    return _note_form(request, session, access, values, QuoteCreate, fields, router.create_quote, form="quote")


@pages.post("/reviews/{review_id}/quotes/{quote_id}/delete")
def delete_quote_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, quote_id: PathId
) -> Response:
    """Delete a quote."""
    values = _form_values(form)
    router.delete_quote(session, access, quote_id)
    return see_other(_back(values, access, "quote"))


@pages.post("/reviews/{review_id}/candidate-factors")
def create_factor_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Note a candidate factor from the form."""
    values = _form_values(form)
    fields = {k: values.get(k) or None for k in ("kind", "title", "interview_id")}
    fields["passage"] = values.get("passage", "")
    create = router.create_candidate_factor
    return _note_form(request, session, access, values, CandidateFactorCreate, fields, create, form="factor")


@pages.post("/reviews/{review_id}/candidate-factors/{factor_id}/delete")
def delete_factor_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, factor_id: PathId
) -> Response:
    """Delete a candidate factor."""
    values = _form_values(form)
    router.delete_candidate_factor(session, access, factor_id)
    return see_other(_back(values, access, "factor"))
