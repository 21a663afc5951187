"""The life-line's pages: the figure with the events, one event with its history, the forms."""

from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

import lifeline
from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, WriterDep
from app.downloads import close_form
from app.errors import DomainError, InvalidInput, NotFound
from app.i18n import _, current_language
from app.templating import script_data
from app.timeline import router, service
from app.timeline.models import EventStatus
from app.timeline.schemas import DependentsChoice, EventCreate, EventUpdate, PersonCreate, PersonUpdate, RestoreVersion
from app.timeline.service import EventFilter
from app.validation import Submitted, parse_form, text_fields
from app.vendor import plotly_css_url, plotly_js_url
from app.web import Errors, field_errors, render_review, see_other, submit

pages = APIRouter(include_in_schema=False, dependencies=[Depends(close_form)])


def _figure_url(review_id: int, where: EventFilter) -> str:
    """The figure API for the page's filter; the page's script adds the width it draws at."""
    query = {"lane": where.lane, "person": where.person, "source": where.source, "status": where.status}
    shown = urlencode({k: str(v) for k, v in query.items() if v is not None})
    return f"/api/v1/reviews/{review_id}/lifeline/figure?{shown}"


def _page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    params = request.query_params
    status = params.get("status") or None
    where = router.event_filter(
        params.get("lane"),
        params.get("person"),
        params.get("source"),
        EventStatus(status) if status in {s.value for s in EventStatus} else None,
        params.get("deleted") == "1",
    )
    review_id = access.review_id
    rows = service.list_events(session=session, review_id=review_id, where=where)
    shown = [e for e in rows if not e.deleted]
    all_events = service.list_events(session=session, review_id=review_id, where=EventFilter())
    people = sorted({p for e in all_events for p in e.people})
    life_people = service.list_people(session=session, review_id=review_id)
    lanes = lifeline.lanes_in_order(service.library_events(all_events)) if all_events else list(lifeline.Lane.STANDARD)
    figure = lifeline.figure_dict(service.library_events(shown), lang=current_language())
    context = {
        "events": [service.event_out(e) for e in rows],
        "figure": script_data(figure),
        "figure_url": _figure_url(review_id, where),
        "figure_width": lifeline.NOMINAL_WIDTH,
        "where": where,
        "lanes": [(lane, lifeline.lane_label(lane, current_language())) for lane in lanes],
        "people": people,
        "statuses": list(EventStatus),
        "counts": service.counts(session=session, review_id=review_id),
        "life_people": [service.person_out(p) for p in life_people],
        "person_dependents": {
            p.id: [
                e.title for e in service.person_dependents(session=session, review_id=review_id, person_id=p.id or 0)
            ]
            for p in life_people
        },
        "plotly_js": plotly_js_url(),
        "plotly_css": plotly_css_url(),
    }
    return render_review(request, access, "timeline/lifeline.html", context, active="lifeline", extra=extra)


@pages.get("/reviews/{review_id}/lifeline")
def lifeline_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The life-line: the interactive figure on top, the events below, filters and the add form."""
    return _page(request, session, access)


def _form_event(values: dict[str, Any]) -> dict[str, Any]:
    """Form fields as the API's shape: people comma-separated, one free-text source, empty until = none."""
    data = {k: v for k, v in values.items() if k not in ("csrf_token", "source")}
    if "people" in values:
        data["people"] = [p.strip() for p in str(values["people"]).split(",") if p.strip()]
    source = str(values.get("source", "")).strip()
    if source:
        data["sources"] = [{"kind": "text", "label": source}]
    if not data.get("until"):
        data["until"] = None
    if not data.get("reference_date"):
        data.pop("reference_date", None)
    return data


@pages.post("/reviews/{review_id}/lifeline/events")
def create_event_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Add an event from the form."""
    values = text_fields(form)
    return submit(
        EventCreate,
        _form_event(values),
        lambda data: router.create_event(session, access, data),
        then=f"/reviews/{access.review_id}/lifeline#events",
        again=lambda errors: _page(request, session, access, errors=errors, values=values),
        field="title",
        at_fields=True,
    )


def _event_page(
    request: Request,
    session: SessionDep,
    access: ReviewAccess,
    event_id: PathId,
    status_code: int | None = None,
    **extra: Any,
) -> Response:
    review_id = access.review_id
    context = {
        "event": router.read_event(session, access, event_id),
        "history": list(reversed(service.history(session=session, review_id=review_id, event_id=event_id))),
        "dependents": service.dependents_of(session=session, review_id=review_id, event_id=event_id),
        "statuses": list(EventStatus),
        "conflict": None,
    }
    return render_review(
        request,
        access,
        "timeline/event.html",
        context,
        active="lifeline",
        extra=extra,
        status_code=status_code,
        conflict="conflict",
    )


@pages.get("/reviews/{review_id}/lifeline/events/{event_id}")
def event_page(request: Request, session: SessionDep, access: MemberDep, event_id: PathId) -> Response:
    """One event: edit it, and its full history with restore buttons."""
    return _event_page(request, session, access, event_id)


@pages.post("/reviews/{review_id}/lifeline/events/{event_id}")
def update_event_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, event_id: PathId
) -> Response:
    """Save an event from the form; a conflicting edit shows both versions."""
    values = text_fields(form)
    fields = _form_event(values)
    data, errors = parse_form(EventUpdate, fields)
    if data is not None:
        try:
            router.update_event(session, access, event_id, data)
            return see_other(f"/reviews/{access.review_id}/lifeline/events/{event_id}")
        except DomainError as exc:
            if exc.status_code == 409 and isinstance(exc.detail, dict):
                return _event_page(
                    request, session, access, event_id, conflict=exc.detail, values=values, errors={"form": exc.message}
                )
            if exc.status_code == 409:  # deleted meanwhile
                return _event_page(request, session, access, event_id, 409, errors={"form": exc.message})
            errors = field_errors(exc, "form")
    return _event_page(request, session, access, event_id, errors=errors, values=values)


def _person_page(request: Request, session: SessionDep, access: ReviewAccess, errors: Errors) -> Response:
    """The life-line again with the people's form's first problem."""
    return _page(request, session, access, errors={"person": next(iter(errors.values()), "")}, values={})


@pages.post("/reviews/{review_id}/lifeline/people")
def add_person_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Add a person of the life-line from the form."""
    values = text_fields(form)
    return submit(
        PersonCreate,
        {k: v for k, v in values.items() if k in ("name", "born")},
        lambda data: router.add_person(session, access, data),
        then=f"/reviews/{access.review_id}/lifeline#people",
        again=lambda errors: _person_page(request, session, access, errors),
        field="person",
    )


@pages.post("/reviews/{review_id}/lifeline/people/{person_id}")
def change_born_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, person_id: PathId
) -> Response:
    """Correct a person's birth date from the form; the events dated from it move."""
    values = text_fields(form)
    return submit(
        PersonUpdate,
        {"born": values.get("born", "")},
        lambda data: router.change_born(session, access, person_id, data),
        then=f"/reviews/{access.review_id}/lifeline#people",
        again=lambda errors: _person_page(request, session, access, errors),
        field="person",
        passes=(NotFound,),
    )


def _dependents(form: FormData) -> DependentsChoice | None:
    """The form's answer to what the events dated from a deleted person or event do (none: ask first)."""
    choice = str((text_fields(form)).get("dependents", ""))
    return DependentsChoice(choice) if choice in {c.value for c in DependentsChoice} else None


@pages.post("/reviews/{review_id}/lifeline/people/{person_id}/delete")
def delete_person_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, person_id: PathId
) -> Response:
    """Take a person off the life-line; the events dated from their birth keep their last range or become
    undated."""
    dependents = _dependents(form)
    try:
        router.delete_person(session, access, person_id, dependents)
    except NotFound:
        raise
    except DomainError as exc:
        return _person_page(request, session, access, {"person": exc.message})
    return see_other(f"/reviews/{access.review_id}/lifeline#people")


@pages.post("/reviews/{review_id}/lifeline/events/{event_id}/delete")
def delete_event_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, event_id: PathId
) -> Response:
    """Delete an event (restorable); the events dated from it keep their last range or become undated."""
    router.delete_event(session, access, event_id, dependents=_dependents(form))
    return see_other(f"/reviews/{access.review_id}/lifeline/events/{event_id}")


@pages.post("/reviews/{review_id}/lifeline/events/{event_id}/restore")
def restore_event_page(session: SessionDep, access: WriterDep, event_id: PathId) -> Response:
    """Restore a deleted event."""
    router.restore_event(session, access, event_id)
    return see_other(f"/reviews/{access.review_id}/lifeline/events/{event_id}")


@pages.post("/reviews/{review_id}/lifeline/events/{event_id}/versions/{version}/restore")
def restore_version_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, event_id: PathId, version: PathId
) -> Response:
    """Make an earlier version current again."""
    data, _errors = parse_form(RestoreVersion, {"version": form.get("current_version")})
    if data is None:
        raise InvalidInput(_("Reload the page and try again."))
    try:
        router.restore_version(session, access, event_id, version, data)
    except DomainError as exc:
        return _event_page(request, session, access, event_id, exc.status_code, errors={"form": exc.message})
    return see_other(f"/reviews/{access.review_id}/lifeline/events/{event_id}")


@pages.post("/reviews/{review_id}/lifeline/import")
async def import_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Import events from an uploaded CSV file."""
    try:
        await router.import_upload(request, session, access)
    except DomainError as exc:
        problems = {"errors": {"import": exc.message}, "import_problems": exc.detail or []}
        return await run_in_threadpool(partial(_page, request, session, access, **problems))
    return see_other(f"/reviews/{access.review_id}/lifeline#events")
