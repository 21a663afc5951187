"""The life-line's JSON API: events, people, history, phrase preview, figure, SVG, PDF and CSV."""

import datetime as dt
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

import lifeline
from app.db import SessionDep, without_turn
from app.deps import FigureWidth, MemberDep, PathId, ReviewAccess, WriterDep
from app.downloads import CsvSeparator, LateFile, close_form, download, log_export
from app.errors import InvalidInput
from app.i18n import _, current_language
from app.timeline import service
from app.timeline.models import EventStatus
from app.timeline.schemas import (
    DependentsChoice,
    EventCreate,
    EventOut,
    EventUpdate,
    ImportResult,
    PersonCreate,
    PersonOut,
    PersonUpdate,
    PhraseOut,
    RestoreVersion,
    VersionOut,
)
from app.timeline.service import EventFilter

api = APIRouter(tags=["life-line"], dependencies=[Depends(close_form)])

MAX_CSV_BYTES = 1024 * 1024


def event_filter(
    lane: str | None, person: str | None, source: str | None, status: EventStatus | None, deleted: bool = False
) -> EventFilter:
    return EventFilter(
        lane=lane or None, person=person or None, source=source or None, status=status, include_deleted=deleted
    )


FilterLane = Annotated[str | None, Query(max_length=80)]
FilterText = Annotated[str | None, Query(max_length=120)]


def _events(session: SessionDep, access: ReviewAccess, where: EventFilter) -> list[lifeline.Event]:
    return service.library_events(service.list_events(session=session, review_id=access.review_id, where=where))


# --- API -------------------------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/lifeline/events", response_model=list[EventOut])
def list_events(
    session: SessionDep,
    access: MemberDep,
    lane: FilterLane = None,
    person: FilterText = None,
    source: FilterText = None,
    status: EventStatus | None = None,
    include_deleted: bool = False,
) -> list[EventOut]:
    """The life-line's events in order, optionally filtered by lane, person, source text or status."""
    where = event_filter(lane, person, source, status, include_deleted)
    return [service.event_out(e) for e in service.list_events(session=session, review_id=access.review_id, where=where)]


@api.post("/reviews/{review_id}/lifeline/events", response_model=EventOut, status_code=201)
def create_event(session: SessionDep, access: WriterDep, data: EventCreate) -> EventOut:
    """Add an event; ``when``/``until`` are typed date text such as "voorjaar 2014" or "2014–2017"."""
    event = service.create_event(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)
    return service.event_out(event)


@api.get("/reviews/{review_id}/lifeline/parse", response_model=PhraseOut)
def parse_phrase(
    session: SessionDep,
    access: MemberDep,
    when: Annotated[str, Query(max_length=1000)] = "",
    people: Annotated[list[str] | None, Query(max_length=30)] = None,
    reference_date: dt.date | None = None,
) -> PhraseOut:
    """What a date phrase would mean on this life-line ("= sept.–nov. 2016"); stores nothing; 422 with the
    formats that work when it means nothing."""
    named = [name[:120] for name in people or []]
    return service.read_phrase(
        session=session, review_id=access.review_id, when=when, named=named, reference=reference_date
    )


@api.get("/reviews/{review_id}/lifeline/people", response_model=list[PersonOut])
def list_people(session: SessionDep, access: MemberDep) -> list[PersonOut]:
    """The people of the life-line with their birth dates."""
    return [service.person_out(p) for p in service.list_people(session=session, review_id=access.review_id)]


@api.post("/reviews/{review_id}/lifeline/people", response_model=PersonOut, status_code=201)
def add_person(session: SessionDep, access: WriterDep, data: PersonCreate) -> PersonOut:
    """Add a person of the life-line; ``born`` is a date phrase such as "voorjaar 2010"."""
    person = service.add_person(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)
    return service.person_out(person)


@api.patch("/reviews/{review_id}/lifeline/people/{person_id}", response_model=PersonOut)
def change_born(session: SessionDep, access: WriterDep, person_id: PathId, data: PersonUpdate) -> PersonOut:
    """Correct a person's birth date."""
    person = service.change_born(
        session=session,
        review_id=access.review_id,
        person_id=person_id,
        actor=access.viewer.actor,
        data=data,
    )
    return service.person_out(person)


@api.delete("/reviews/{review_id}/lifeline/people/{person_id}", status_code=204)
def delete_person(
    session: SessionDep, access: WriterDep, person_id: PathId, dependents: DependentsChoice | None = None
) -> Response:
    """Take a person off the life-line. If events are dated from their birth, 409 asks what they do:
    ``dependents=keep`` (their last range) or ``dependents=unanchor`` (undated)."""
    service.delete_person(
        session=session,
        review_id=access.review_id,
        person_id=person_id,
        actor=access.viewer.actor,
        dependents=dependents,
    )
    return Response(status_code=204)


@api.get("/reviews/{review_id}/lifeline/events/{event_id}", response_model=EventOut)
def read_event(session: SessionDep, access: MemberDep, event_id: PathId) -> EventOut:
    """One event (deleted ones too, marked)."""
    return service.event_out(service.get_event(session=session, review_id=access.review_id, event_id=event_id))


@api.patch("/reviews/{review_id}/lifeline/events/{event_id}", response_model=EventOut)
def update_event(session: SessionDep, access: WriterDep, event_id: PathId, data: EventUpdate) -> EventOut:
    """Change an event; send the ``version`` you started from: a stale one answers 409 with both versions."""
    event = service.update_event(
        session=session,
        review_id=access.review_id,
        event_id=event_id,
        actor=access.viewer.actor,
        data=data,
    )
    return service.event_out(event)


@api.delete("/reviews/{review_id}/lifeline/events/{event_id}", response_model=EventOut)
def delete_event(
    session: SessionDep,
    access: WriterDep,
    event_id: PathId,
    version: int | None = None,
    dependents: DependentsChoice | None = None,
) -> EventOut:
    """Delete an event; it stays in the history and can be restored. If other events are dated from it, 409
    asks what they do: ``dependents=keep`` (their last range) or ``dependents=unanchor`` (undated)."""
    event = service.set_deleted(
        session=session,
        review_id=access.review_id,
        event_id=event_id,
        actor=access.viewer.actor,
        deleted=True,
        version=version,
        dependents=dependents,
    )
    return service.event_out(event)


@api.post("/reviews/{review_id}/lifeline/events/{event_id}/restore", response_model=EventOut)
def restore_event(session: SessionDep, access: WriterDep, event_id: PathId) -> EventOut:
    """Restore a deleted event."""
    event = service.set_deleted(
        session=session,
        review_id=access.review_id,
        event_id=event_id,
        actor=access.viewer.actor,
        deleted=False,
    )
    return service.event_out(event)


@api.get("/reviews/{review_id}/lifeline/events/{event_id}/history", response_model=list[VersionOut])
def event_history(session: SessionDep, access: MemberDep, event_id: PathId) -> list[VersionOut]:
    """Every version of the event: who changed what, when."""
    return service.history(session=session, review_id=access.review_id, event_id=event_id)


@api.post("/reviews/{review_id}/lifeline/events/{event_id}/history/{version}/restore", response_model=EventOut)
def restore_version(
    session: SessionDep, access: WriterDep, event_id: PathId, version: PathId, data: RestoreVersion
) -> EventOut:
    """Make an earlier version current again (as a new version); ``version`` in the body is the current one."""
    event = service.restore_version(
        session=session,
        review_id=access.review_id,
        event_id=event_id,
        version=version,
        based_on=data.version,
        actor=access.viewer.actor,
    )
    return service.event_out(event)


@api.get("/reviews/{review_id}/lifeline/figure")
def figure(
    session: SessionDep,
    access: MemberDep,
    lane: FilterLane = None,
    person: FilterText = None,
    source: FilterText = None,
    status: EventStatus | None = None,
    width: FigureWidth = None,
) -> Response:
    """The life-line as a plotly figure (JSON with ``data`` and ``layout``), laid out for ``width`` pixels."""
    events = _events(session, access, event_filter(lane, person, source, status))
    text = lifeline.figure_json(events, lang=current_language(), width=width)
    return Response(text, media_type="application/json", headers={"cache-control": "no-store"})


def _shelf(session: Session, access: ReviewAccess) -> list[tuple[str, str]]:
    """The undated events as the banner lists them: title and the words as said."""
    rows = service.list_events(session=session, review_id=access.review_id)
    return [(e.title, e.when_text) for e in service.undated_events(rows)]


@api.get("/reviews/{review_id}/lifeline.svg")
def banner_svg(
    session: SessionDep,
    access: MemberDep,
    length_m: Annotated[float, Query(gt=0.5, le=service.MAX_BANNER_METRES)] = 10.0,
    height_m: Annotated[float, Query(gt=0.1, le=3)] = 0.9,
) -> Response:
    """The life-line as one long SVG banner of the given physical length."""
    events = _events(session, access, EventFilter())
    svg = lifeline.banner_svg(
        events,
        length_m=length_m,
        height_m=height_m,
        lang=current_language(),
        title=access.review.case_pseudonym or None,
        undated=_shelf(session, access),
    )
    log_export(session, access, "lifeline.svg")
    return download(svg, "levenslijn.svg")


@api.get("/reviews/{review_id}/lifeline.pdf")
def banner_pdf(
    session: SessionDep,
    access: MemberDep,
    length_m: Annotated[float, Query(gt=0.5, le=service.MAX_BANNER_METRES)] = 10.0,
    paper: Annotated[str, Query(pattern="^(A3|A4)$")] = "A3",
    overlap_mm: Annotated[float, Query(ge=0, le=100)] = 20,
) -> Response:
    """The banner as a PDF split over landscape pages with overlap and page numbers, for the wall (at most 20 m
    and 80 pages)."""
    service.check_banner_pages(length_m=length_m, paper=paper, overlap_mm=overlap_mm)
    events = _events(session, access, EventFilter())
    shelf = _shelf(session, access)
    log_export(session, access, "lifeline.pdf")
    lang, title = current_language(), access.review.case_pseudonym or None

    def make() -> bytes:
        return lifeline.banner_pdf(
            events, length_m=length_m, paper=paper, overlap_mm=overlap_mm, lang=lang, title=title, undated=shelf
        )

    return LateFile(make, filename="levenslijn.pdf")


@api.get("/reviews/{review_id}/lifeline.csv")
def export_csv(session: SessionDep, access: MemberDep, sep: CsvSeparator = None) -> Response:
    """The events as CSV for Excel (``;`` for Dutch, ``,`` for English unless ``sep`` says otherwise), with an
    EDTF and a sortable date column; undated events come last, their words as said; importing the file again
    updates the events by ``id``."""
    lang = current_language()
    rows = service.list_events(session=session, review_id=access.review_id)
    undated = [service.csv_cells(e) for e in service.undated_events(rows)]
    text = lifeline.export_csv(
        service.library_events(rows),
        lang=lang,
        delimiter=lifeline.csvio.separator_for(lang, sep),
        undated=undated,
        said=service.said_dates(rows),
    )
    log_export(session, access, "lifeline.csv")
    return download("\ufeff" + text, "levenslijn.csv")


@api.post("/reviews/{review_id}/lifeline.csv", response_model=ImportResult, status_code=201)
async def import_csv(request: Request, session: SessionDep, access: WriterDep) -> ImportResult:
    """Import events from CSV (the body, or a multipart field ``file``; at most 1 MB and 5,000 rows): every row
    or none; a row whose ``id`` is an event of this review updates it."""
    result = await import_upload(request, session, access)

    def answer() -> ImportResult:  # event_out reads each event's anchor: in a thread, not on the event loop
        events = [service.event_out(e) for e in [*result.created, *result.updated]]
        return ImportResult(
            imported=len(result.created), updated=len(result.updated), unchanged=result.unchanged, events=events
        )

    return await run_in_threadpool(answer)


async def import_upload(request: Request, session: Session, access: ReviewAccess) -> service.CsvImport:
    """Read the file (bounded), parse and check it in a thread with the database turn given back, then store."""
    checked = await without_turn(request, service.check_csv, await _csv_text(request))
    return await run_in_threadpool(
        partial(
            service.import_events,
            session=session,
            review_id=access.review_id,
            actor=access.viewer.actor,
            rows=checked,
        )
    )


async def _csv_text(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()  # already read by the CSRF check of a browser's form: the same form
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise InvalidInput(_("Choose a CSV file to import."))
            raw = await upload.read(MAX_CSV_BYTES + 1)
        finally:
            await form.close()  # the spooled temporary file, now rather than at garbage collection
    else:
        raw = await request.body()
    if len(raw) > MAX_CSV_BYTES:
        raise InvalidInput(_("The file is too large (at most 1 MB)."))
    if not raw.strip():
        raise InvalidInput(_("The file is empty."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")
