"""The interviews' pages: the list with the guide, quotes and candidate factors, one interview with its notes."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

import lifeline
from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, WriterDep
from app.errors import DomainError
from app.group_interview.models import FactorKind
from app.i18n import _, current_language
from app.interviews import service
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
from app.templating import render
from app.timeline import service as timeline
from app.validation import parse_form

pages = APIRouter(include_in_schema=False)


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    for field in ("participant_ids", "interviewer_ids"):
        values[field] = [v for v in form.getlist(field) if isinstance(v, str) and v]
    values["held_on"] = values.get("held_on") or None
    return values


def _back(values: dict[str, Any], review_id: int, default: str) -> str:
    target = str(values.get("back", ""))
    prefix = f"/reviews/{review_id}/"
    return target if target.startswith(prefix) and "//" not in target and "\\" not in target else default


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
        "review": access.review,
        "access": access,
        "active": "interviews",
        "interviews": service.list_interviews(session=session, review_id=review_id),
        "participants": participants.list_participants(session=session, review_id=review_id),
        "interviewers": service.interviewer_choices(session=session, review_id=review_id),
        "guide": service.guide(session=session, review_id=review_id),
        "quotes": service.list_quotes(session=session, review_id=review_id),
        "factors": service.list_candidate_factors(session=session, review_id=review_id),
        "statuses": list(InterviewStatus),
        "kinds": list(FactorKind),
        "hint": service.interviews_hint(session, review_id),
        "errors": {},
        "values": {"interviewer_ids": [str(access.viewer.user.id)]},
    }
    context.update(extra)
    return render(request, "interviews/list.html", context, status_code=422 if extra.get("errors") else 200)


@pages.get("/reviews/{review_id}/interviews")
def interviews_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The interviews of phase 2, the topic guide, and every quote and candidate factor."""
    return _list_page(request, session, access)


@pages.post("/reviews/{review_id}/interviews")
async def create_interview_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Plan or record an interview from the form."""
    values = _form_values(await request.form())
    data, errors = parse_form(InterviewCreate, {k: v for k, v in values.items() if k != "status" or v})
    if data is not None:
        try:
            interview = service.create_interview(
                session=session, review_id=access.review_id, user=access.viewer.user, data=data
            )
            return RedirectResponse(f"/reviews/{access.review_id}/interviews/{interview.id}", status_code=303)
        except DomainError as exc:
            errors = {"form": exc.message}
    return _list_page(request, session, access, errors=errors, values=values)


def _interview_page(
    request: Request, session: SessionDep, access: ReviewAccess, interview_id: int, **extra: Any
) -> Response:
    review_id = access.review_id
    interview = service.get_interview(session=session, review_id=review_id, interview_id=interview_id)
    out = service.interview_out(session=session, interview=interview)
    context = {
        "review": access.review,
        "access": access,
        "active": "interviews",
        "interview": out,
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
        "errors": {},
        "conflicts": {},
        "values": {},
    }
    context.update(extra)
    failed = extra.get("errors") or extra.get("conflicts")
    return render(
        request,
        "interviews/interview.html",
        context,
        status_code=409 if extra.get("conflicts") else 422 if failed else 200,
    )


@pages.get("/reviews/{review_id}/interviews/{interview_id}")
def interview_page(request: Request, session: SessionDep, access: MemberDep, interview_id: PathId) -> Response:
    """One interview: the notes per topic (saved as you type) and what was taken from them."""
    return _interview_page(request, session, access, interview_id)


@pages.post("/reviews/{review_id}/interviews/{interview_id}")
async def update_interview_page(
    request: Request, session: SessionDep, access: WriterDep, interview_id: PathId
) -> Response:
    """Save the interview's details from the form."""
    values = _form_values(await request.form())
    data, errors = parse_form(InterviewUpdate, values)
    if data is not None:
        try:
            service.update_interview(
                session=session,
                review_id=access.review_id,
                interview_id=interview_id,
                actor=access.viewer.actor,
                data=data,
            )
            return RedirectResponse(f"/reviews/{access.review_id}/interviews/{interview_id}", status_code=303)
        except DomainError as exc:
            errors = {"form": exc.message}
    return _interview_page(request, session, access, interview_id, errors=errors)


@pages.post("/reviews/{review_id}/interviews/{interview_id}/notes")
async def save_notes_page(request: Request, session: SessionDep, access: WriterDep, interview_id: PathId) -> Response:
    """Save every changed topic from the notes form (the page without scripts); conflicts are shown per topic."""
    form = await request.form()
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
            service.save_notes(
                session=session,
                review_id=review_id,
                interview_id=interview_id,
                topic_key=topic.key,
                user=access.viewer.user,
                data=data,
            )
        except DomainError as exc:
            if exc.status_code != 409:
                raise
            conflicts[topic.key] = exc.detail["current"] if isinstance(exc.detail, dict) else {}
    if conflicts or errors:
        return _interview_page(
            request, session, access, interview_id, conflicts=conflicts, errors=errors, values=values
        )
    return RedirectResponse(f"/reviews/{review_id}/interviews/{interview_id}#notes", status_code=303)


@pages.post("/reviews/{review_id}/interviews/{interview_id}/delete")
def delete_interview_page(session: SessionDep, access: WriterDep, interview_id: PathId) -> Response:
    """Delete an interview and its notes."""
    service.delete_interview(
        session=session, review_id=access.review_id, interview_id=interview_id, actor=access.viewer.actor
    )
    return RedirectResponse(f"/reviews/{access.review_id}/interviews", status_code=303)


@pages.post("/reviews/{review_id}/interview-guide")
async def add_topic_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Add a topic to the guide from the form."""
    values = _form_values(await request.form())
    data, errors = parse_form(GuideTopicCreate, {"title": values.get("title", "")})
    if data is not None:
        try:
            service.add_topic(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)
            return RedirectResponse(f"/reviews/{access.review_id}/interviews#guide", status_code=303)
        except DomainError as exc:
            errors = {"title": exc.message}
    return _list_page(request, session, access, errors={f"topic_{k}": v for k, v in errors.items()})


@pages.post("/reviews/{review_id}/interview-guide/{topic_key}/delete")
def remove_topic_page(request: Request, session: SessionDep, access: WriterDep, topic_key: TopicKey) -> Response:
    """Remove a team's own topic from the guide."""
    try:
        service.remove_topic(session=session, review_id=access.review_id, key=topic_key, actor=access.viewer.actor)
    except DomainError as exc:
        if exc.status_code != 409:
            raise
        return _list_page(request, session, access, errors={"topic_title": exc.message})
    return RedirectResponse(f"/reviews/{access.review_id}/interviews#guide", status_code=303)


@pages.post("/reviews/{review_id}/quotes")
async def create_quote_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Mark a quote from the form."""
    values = _form_values(await request.form())
    fields = {k: values.get(k) or None for k in ("text", "participant_id", "interview_id")}
    review_id = access.review_id
    data, errors = parse_form(QuoteCreate, fields)
    if data is not None:
        try:
            service.create_quote(session=session, review_id=review_id, user=access.viewer.user, data=data)
            return RedirectResponse(_back(values, review_id, f"/reviews/{review_id}/interviews#quotes"), 303)
        except DomainError as exc:
            errors = {"form": exc.message}
    return _list_page(request, session, access, errors={f"quote_{k}": v for k, v in errors.items()}, values=values)


@pages.post("/reviews/{review_id}/quotes/{quote_id}/delete")
async def delete_quote_page(request: Request, session: SessionDep, access: WriterDep, quote_id: PathId) -> Response:
    """Delete a quote."""
    values = _form_values(await request.form())
    review_id = access.review_id
    service.delete_quote(session=session, review_id=review_id, quote_id=quote_id, actor=access.viewer.actor)
    return RedirectResponse(_back(values, review_id, f"/reviews/{review_id}/interviews#quotes"), 303)


@pages.post("/reviews/{review_id}/candidate-factors")
async def create_factor_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Note a candidate factor from the form."""
    values = _form_values(await request.form())
    fields = {k: values.get(k) or None for k in ("kind", "title", "interview_id")}
    fields["passage"] = values.get("passage", "")
    review_id = access.review_id
    data, errors = parse_form(CandidateFactorCreate, fields)
    if data is not None:
        try:
            service.create_candidate_factor(session=session, review_id=review_id, user=access.viewer.user, data=data)
            return RedirectResponse(_back(values, review_id, f"/reviews/{review_id}/interviews#factors"), 303)
        except DomainError as exc:
            errors = {"form": exc.message}
    return _list_page(request, session, access, errors={f"factor_{k}": v for k, v in errors.items()}, values=values)


@pages.post("/reviews/{review_id}/candidate-factors/{factor_id}/delete")
async def delete_factor_page(request: Request, session: SessionDep, access: WriterDep, factor_id: PathId) -> Response:
    """Delete a candidate factor."""
    values = _form_values(await request.form())
    review_id = access.review_id
    service.delete_candidate_factor(
        session=session, review_id=review_id, factor_id=factor_id, actor=access.viewer.actor
    )
    return RedirectResponse(_back(values, review_id, f"/reviews/{review_id}/interviews#factors"), 303)
