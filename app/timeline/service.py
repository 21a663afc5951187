"""Use cases of the life-line: events with full version history, conflicts, figure, banner and CSV."""

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

import lifeline
import lifeline.dates
import lifeline.phrases
from app import audit
from app.audit import Actor
from app.db import of_review
from app.db.base import from_row, utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import _, current_language
from app.timeline.models import EventStatus, LifelineAnchor, LifelineEvent, LifelineEventVersion, LifelinePerson
from app.timeline.schemas import (
    AnchorOut,
    DependentsChoice,
    EventCreate,
    EventOut,
    EventUpdate,
    PersonCreate,
    PersonOut,
    PersonUpdate,
    PhraseOut,
    Source,
    SourceKind,
    VersionOut,
)
from app.validation import describe_errors

SNAPSHOT_FIELDS = ("title", "when", "until", "lane", "description", "people", "organisation", "status", "sources")


@dataclass
class EventFilter:
    """Which events to show: by lane, person, source text, status, and whether deleted ones are included."""

    lane: str | None = None
    person: str | None = None
    source: str | None = None
    status: EventStatus | None = None
    include_deleted: bool = False

    def matches(self, event: LifelineEvent) -> bool:
        """Whether an event passes this filter."""
        if event.deleted and not self.include_deleted:
            return False
        if self.lane and event.lane != self.lane:
            return False
        if self.status and event.status != self.status:
            return False
        if self.person and self.person.lower() not in [p.lower() for p in event.people]:
            return False
        if self.source:
            labels = " ".join(s["label"] for s in event.sources).lower()
            if self.source.lower() not in labels:
                return False
        return True


def parse_dates(when: str, until: str | None) -> lifeline.When:
    """Parse the typed date texts into a fuzzy date or period; a clear 422 in the user's language if not,
    naming the field ("when" or "until") that holds the text it could not read."""
    field = "when"
    try:
        if until:
            lifeline.Event.from_text(id=0, title="x", when=when, until=None)
            field = "until"
        return lifeline.Event.from_text(id=0, title="x", when=when, until=until).when
    except lifeline.DateParseError as exc:
        raise InvalidInput.at(field, exc.message(current_language())) from exc


def date_columns(parsed: lifeline.When | None) -> dict[str, Any]:
    """The stored range of a parsed date: ``earliest``/``latest`` (None for an open side or undated),
    ``precision`` and ``edtf`` (empty when undated)."""
    if parsed is None:
        return {"earliest": None, "latest": None, "precision": "", "edtf": ""}
    start = parsed.known if isinstance(parsed, lifeline.Period) else parsed
    open_start = isinstance(parsed, lifeline.Period) and parsed.start is None
    open_end = isinstance(parsed, lifeline.Period) and parsed.end is None
    return {
        "earliest": None if open_start else parsed.earliest(),
        "latest": None if open_end else parsed.latest(),
        "precision": str(start.precision),
        "edtf": parsed.to_edtf(),
    }


def _apply_dates(event: LifelineEvent, when: str, until: str | None, parsed: lifeline.When | None) -> None:
    """Store the texts as said and the range they mean; an open side or an undated event has no date there."""
    event.when_text, event.until_text = when.strip(), (until or "").strip()
    for name, value in date_columns(parsed).items():
        setattr(event, name, value)


def _conflict(event: LifelineEvent, yours: dict[str, Any]) -> Conflict:
    """The 409 for a change based on an older version: the stored version and the one that was sent."""
    return Conflict(
        _("Someone else changed this event in the meantime. Compare both versions and try again."),
        detail={"current": event_out(event).model_dump(mode="json"), "yours": yours},
    )


def _snapshot(event: LifelineEvent) -> dict[str, Any]:
    return {
        "title": event.title,
        "when": event.when_text,
        "until": event.until_text or None,
        "lane": event.lane,
        "description": event.description,
        "people": event.people,
        "organisation": event.organisation,
        "status": str(event.status),
        "sources": event.sources,
        "deleted": event.deleted,
        "earliest": event.earliest.isoformat() if event.earliest else None,
        "latest": event.latest.isoformat() if event.latest else None,
    }


def _record_version(session: Session, event: LifelineEvent, *, change: str, actor: Actor, reason: str = "") -> None:
    session.add(
        LifelineEventVersion(
            review_id=event.review_id,
            event_id=event.id or 0,
            version=event.version,
            change=change,
            changed_by=actor.user_id,
            changed_by_label=actor.label,
            reason=reason,
            snapshot=_snapshot(event),
        )
    )


def stored_when(event: LifelineEvent) -> lifeline.When | None:
    """The event's date as a ``lifeline`` value (None when undated): its text when that is a plain date, else
    the range it was resolved to (a phrase anchored on a person or event, or relative to an interview)."""
    if not event.edtf:
        return None
    try:
        return lifeline.Event.from_text(id=0, title="x", when=event.when_text, until=event.until_text or None).when
    except (lifeline.DateParseError, ValueError):
        return lifeline.when_from_edtf(event.edtf)


def to_library(event: LifelineEvent) -> lifeline.Event:
    """The stored (dated) event as a ``lifeline.Event`` for figures, banners and CSV; see ``library_events``."""
    when = stored_when(event)
    if when is None:
        raise ValueError("an undated event is not on the chart")
    return lifeline.Event(
        id=event.id or 0,
        title=event.title,
        when=when,
        description=event.description,
        lane=event.lane,
        people=event.people,
        organisation=event.organisation or None,
        sources=[s["label"] for s in event.sources],
        status=str(event.status),  # type: ignore[arg-type]
    )


def library_events(events: Sequence[LifelineEvent]) -> list[lifeline.Event]:
    """The dated events as ``lifeline.Event``s (undated ones wait on the shelf beside the chart)."""
    return [to_library(e) for e in events if e.edtf]


def said_dates(events: Sequence[LifelineEvent]) -> dict[int | str, str]:
    """The words of dates read from a person, another event or the interview date ("toen Sem 7 was"), by
    event id: a CSV keeps them as said."""
    said: dict[int | str, str] = {}
    for event in events:
        if event.edtf and event.id is not None and not event.until_text:
            try:
                lifeline.Event.from_text(id=0, title="x", when=event.when_text)
            except (lifeline.DateParseError, ValueError):
                said[event.id] = event.when_text
    return said


def undated_events(events: Sequence[LifelineEvent]) -> list[LifelineEvent]:
    """The events nobody has dated yet (the shelf beside the chart)."""
    return [e for e in events if not e.edtf]


def csv_cells(event: LifelineEvent) -> dict[str, str]:
    """An (undated) event as CSV cells by column name: the date as said, the lists joined."""
    return {
        "id": str(event.id),
        "title": event.title,
        "when": event.when_text,
        "until": event.until_text,
        "lane": event.lane,
        "description": event.description,
        "people": lifeline.csvio.LIST_SEPARATOR.join(list(event.people)),
        "organisation": event.organisation,
        "sources": lifeline.csvio.LIST_SEPARATOR.join(s["label"] for s in event.sources),
        "status": str(event.status),
    }


def _anchor_of(session: OrmSession, event_id: int) -> LifelineAnchor | None:
    return session.get(LifelineAnchor, event_id)


def _anchor_out(session: OrmSession, row: LifelineAnchor | None) -> AnchorOut | None:
    if row is None or row.kind is None or row.target_id is None:
        return None
    if row.kind == "person":
        person = session.get(LifelinePerson, row.target_id)
        name = person.name if person else ""
    else:
        target = session.get(LifelineEvent, row.target_id)
        name = target.title if target else ""
    return AnchorOut(kind=row.kind, id=row.target_id, name=name)


def event_out(event: LifelineEvent) -> EventOut:
    """The stored event as the API shows it."""
    parsed = stored_when(event)
    language = current_language()
    session = Session.object_session(event)
    anchor_row = _anchor_of(session, event.id or 0) if session is not None and event.id else None
    if parsed is None:
        approximate, date_text = False, _("not dated yet")
    elif isinstance(parsed, lifeline.Period):
        approximate = any(part is not None and part.approximate for part in (parsed.start, parsed.end))
        date_text = lifeline.phrases.range_text(parsed, language)
    else:
        approximate, date_text = parsed.approximate, parsed.format(language)
    return from_row(
        EventOut,
        event,
        when=event.when_text,
        until=event.until_text or None,
        date_text=date_text,
        undated=parsed is None,
        approximate=approximate,
        is_period=isinstance(parsed, lifeline.Period),
        anchor=_anchor_out(session, anchor_row) if session is not None else None,
        reference_date=anchor_row.reference_date if anchor_row else None,
        lane_label=lifeline.lane_label(event.lane, language),
        sources=[Source.model_validate(s) for s in event.sources],
    )


def list_events(*, session: Session, review_id: int, where: EventFilter | None = None) -> list[LifelineEvent]:
    """The review's events in life-line order (earliest first), filtered."""
    where = where or EventFilter()
    rows: Sequence[LifelineEvent] = session.exec(
        select(LifelineEvent).where(LifelineEvent.review_id == review_id).order_by(col(LifelineEvent.id))
    ).all()
    return sorted((event for event in rows if where.matches(event)), key=_order)


def _order(event: LifelineEvent) -> tuple[dt.date, dt.date, int]:
    """Life-line order: by earliest (an open start by its end), then latest; undated ones last."""
    first = event.earliest or event.latest or dt.date.max
    return first, event.latest or dt.date.max, event.id or 0


def get_event(*, session: Session, review_id: int, event_id: int, for_update: bool = False) -> LifelineEvent:
    """One event of this review (deleted ones too); 404 for another review's event.

    ``for_update`` reads the stored row afresh and locks it (on PostgreSQL) so that a version check and the
    change it guards cannot interleave with another writer's (SQLite transactions here begin IMMEDIATE).
    """
    event = session.get(LifelineEvent, event_id, with_for_update=for_update, populate_existing=for_update)
    if event is None or event.review_id != review_id:
        raise NotFound(_("This life-line event does not exist."))
    return event


def _normalise_lane(lane: str) -> str:
    try:
        return lifeline.events.normalise_lane(lane)
    except ValueError as exc:
        raise InvalidInput(_("A lane needs a name.")) from exc


# What else must hear of a change to the people of the life-line (an open group interview's screens redraw the
# life-line, whose dependents just moved), registered by the areas above this one; called before the change
# writes the audit log (one lock order: interview, audit).
PEOPLE_CHANGED: list[Callable[[Session, int], None]] = []


def on_people_changed(hook: Callable[[Session, int], None]) -> None:
    """Call ``hook(session, review_id)`` whenever a person of the life-line changes or goes (same transaction)."""
    PEOPLE_CHANGED.append(hook)


# The tables a source may point at, registered by the areas that own them (interviews, documents, the group
# interview build on the life-line, so it cannot import them): each has an ``id`` and a ``review_id``.
SOURCE_MODELS: dict[SourceKind, Any] = {}


def register_source_model(kind: SourceKind, model: Any) -> None:
    """Say which table a source of ``kind`` points at (called by the area that owns that table)."""
    SOURCE_MODELS[kind] = model


def _check_sources(session: Session, review_id: int, sources: list[Source] | None) -> None:
    """Sources that name an interview, a document or the group interview name one of this review (422)."""
    for source in sources or []:
        model = SOURCE_MODELS.get(source.kind)
        if model is None or source.ref_id is None:
            continue
        row = session.get(model, source.ref_id)
        if row is None or row.review_id != review_id:
            raise InvalidInput.at("sources", _("This source does not exist in this review."))


def create_event(
    *, session: Session, review_id: int, actor: Actor, data: EventCreate, reason: str = ""
) -> LifelineEvent:
    """Add an event to the life-line (version 1)."""
    _check_sources(session, review_id, data.sources)
    event = LifelineEvent(
        review_id=review_id,
        title=data.title,
        when_text="",
        lane=_normalise_lane(data.lane),
        description=data.description,
        people=list(data.people),
        organisation=data.organisation,
        sources=[s.model_dump(mode="json") for s in data.sources],
        status=data.status,
        precision="",
        edtf="",
        updated_by=actor.label,
    )
    parsed, anchor = _read_dates(
        session=session,
        review_id=review_id,
        event_id=None,
        when=data.when,
        until=data.until,
        named=data.people,
        reference=data.reference_date,
    )
    _apply_dates(event, data.when, data.until, parsed)
    session.add(event)
    session.flush()
    _set_anchor(session, event, anchor, data.reference_date)
    _record_version(session, event, change="create", actor=actor, reason=reason)
    audit.record(session, actor=actor, action="event.create", review_id=review_id, target=f"event:{event.id}")
    return event


def update_event(
    *,
    session: Session,
    review_id: int,
    event_id: int,
    actor: Actor,
    data: EventUpdate,
    add_source: Source | None = None,
    check_version: bool = True,
    undelete: bool = False,
) -> LifelineEvent:
    """Change an event as a new version; a change based on an older version is refused with both versions.

    Everything is checked before anything changes, so a refused change leaves the event as it was. A change
    that changes nothing makes no new version.
    """
    event = get_event(session=session, review_id=review_id, event_id=event_id, for_update=True)
    _check_sources(session, review_id, data.sources)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "reason"}, mode="json")
    if check_version and data.version != event.version:
        raise _conflict(event, {"version": data.version, **changes})
    if event.deleted and not undelete:
        raise Conflict(_("This event was deleted. Restore it before changing it."))
    when = changes["when"] if changes.get("when") is not None else event.when_text
    until = changes.get("until", event.until_text or None)
    anchor_row = _anchor_of(session, event_id)
    reference = (
        data.reference_date if "reference_date" in changes else (anchor_row.reference_date if anchor_row else None)
    )
    people = changes["people"] if changes.get("people") is not None else list(event.people)
    redate = bool({"when", "until", "reference_date"} & changes.keys()) or (
        "people" in changes and anchor_row is not None and anchor_row.kind == "person"
    )
    parsed, anchor = (None, None)
    if redate:
        parsed, anchor = _read_dates(
            session=session,
            review_id=review_id,
            event_id=event_id,
            when=when,
            until=until,
            named=people,
            reference=reference,
            pinned=_pinned(anchor_row) if when == event.when_text else None,
        )
    lane = _normalise_lane(changes["lane"]) if changes.get("lane") else event.lane
    sources = changes["sources"] if changes.get("sources") is not None else event.sources
    if add_source is not None:
        sources = [*sources, add_source.model_dump(mode="json")]

    before = _snapshot(event)
    if redate:
        _apply_dates(event, when, until, parsed)
        _set_anchor(session, event, anchor, reference)
    if changes.get("title"):
        event.title = changes["title"]
    event.lane = lane
    for field in ("description", "organisation"):
        if changes.get(field) is not None:
            setattr(event, field, changes[field])
    if changes.get("status"):
        event.status = EventStatus(changes["status"])
    if changes.get("people") is not None:
        event.people = list(changes["people"])
    event.sources = list(sources)
    if undelete:
        event.deleted = False
    if _snapshot(event) == before:
        return event
    event.version += 1
    event.updated_at = utcnow()
    event.updated_by = actor.label
    session.add(event)
    _record_version(session, event, change="update", actor=actor, reason=data.reason)
    if (before["earliest"], before["latest"]) != (_snapshot(event)["earliest"], _snapshot(event)["latest"]):
        _move_dependents(session, review_id=review_id, kind="event", target_id=event_id, name=event.title, actor=actor)
    audit.record_update(
        session, actor=actor, action="event.update", review_id=review_id, target=f"event:{event_id}", changes=changes
    )
    return event


def set_deleted(
    *,
    session: Session,
    review_id: int,
    event_id: int,
    actor: Actor,
    deleted: bool,
    version: int | None = None,
    dependents: DependentsChoice | None = None,
) -> LifelineEvent:
    """Delete an event (kept in the history, restorable) or restore a deleted one. Deleting an event that
    other events are dated from asks what to do with them (``dependents``): keep their last range as their
    date, or leave them undated (their words kept) until someone dates them."""
    event = get_event(session=session, review_id=review_id, event_id=event_id, for_update=True)
    if version is not None and version != event.version:
        raise _conflict(event, {"version": version})
    if event.deleted == deleted:
        raise Conflict(_("This event is already deleted.") if deleted else _("This event is not deleted."))
    if deleted:
        _release_dependents(session, event=event, actor=actor, choice=dependents)
    event.deleted = deleted
    event.version += 1
    event.updated_at = utcnow()
    event.updated_by = actor.label
    session.add(event)
    _record_version(session, event, change="delete" if deleted else "restore", actor=actor)
    audit.record(
        session,
        actor=actor,
        action="event.delete" if deleted else "event.restore",
        review_id=review_id,
        target=f"event:{event_id}",
    )
    return event


def _dependents(session: Session, *, review_id: int, kind: str, target_id: int) -> list[LifelineAnchor]:
    return list(
        session.exec(
            select(LifelineAnchor).where(
                LifelineAnchor.review_id == review_id,
                LifelineAnchor.kind == kind,
                LifelineAnchor.target_id == target_id,
            )
        ).all()
    )


def _dependent_events(session: Session, *, review_id: int, kind: str, target_id: int) -> list[LifelineEvent]:
    """The (not deleted) events whose date is read from this anchor (an event or a person)."""
    events = [
        session.get(LifelineEvent, row.event_id)
        for row in _dependents(session, review_id=review_id, kind=kind, target_id=target_id)
    ]
    return [e for e in events if e is not None and not e.deleted]


def dependents_of(*, session: Session, review_id: int, event_id: int) -> list[LifelineEvent]:
    """The (not deleted) events whose date is derived from this event."""
    return _dependent_events(session, review_id=review_id, kind="event", target_id=event_id)


def _release_dependents(
    session: Session, *, event: LifelineEvent, actor: Actor, choice: DependentsChoice | None
) -> None:
    """Before an anchor event is deleted: its dependents keep their last range, or become undated."""
    refusal = _(
        "These events are dated from this one: %(names)s. Choose whether they keep their last range or become undated."
    )
    _release(
        session,
        review_id=event.review_id,
        kind="event",
        target_id=event.id or 0,
        name=event.title,
        actor=actor,
        choice=choice,
        refusal=refusal,
    )


def _release(
    session: Session,
    *,
    review_id: int,
    kind: str,
    target_id: int,
    name: str,
    actor: Actor,
    choice: DependentsChoice | None,
    refusal: str,
) -> None:
    """Before a person or an anchor event goes: the events dated from it keep their last range as their date,
    or become undated (their words kept), each as a new version; without a ``choice`` a 409 names them
    (``refusal``, with ``%(names)s``)."""
    rows = _dependents(session, review_id=review_id, kind=kind, target_id=target_id)
    dependents = [(row, session.get(LifelineEvent, row.event_id)) for row in rows]
    if dependents and choice is None:
        names = ", ".join(f"“{dep.title}”" for _row, dep in dependents if dep is not None)
        raise Conflict(
            refusal % {"names": names},
            detail={"dependents": [{"id": dep.id, "title": dep.title} for _row, dep in dependents if dep]},
        )
    language = current_language()
    for row, dep in dependents:
        row.kind, row.target_id = None, None
        session.add(row)
        if dep is None or dep.deleted:
            continue
        if choice == DependentsChoice.keep:
            when = stored_when(dep)
            if when is not None:
                _apply_dates(dep, when.format(language)[:100], None, when)
            reason = _("Kept the last range: “%(name)s” was deleted", name=name)
        else:
            dep.earliest = dep.latest = None
            dep.precision, dep.edtf = "", ""
            reason = _("Left undated: “%(name)s” was deleted", name=name)
        dep.version += 1
        dep.updated_at = utcnow()
        dep.updated_by = actor.label
        session.add(dep)
        _record_version(session, dep, change="update", actor=actor, reason=reason)


def _move_dependents(
    session: Session,
    *,
    review_id: int,
    kind: str,
    target_id: int,
    name: str,
    actor: Actor,
    seen: set[int] | None = None,
) -> None:
    """Give every event dated from this person or event its new range, as a new version ("moved because …
    changed"), and so on down the chain (each event once)."""
    seen = set() if seen is None else seen
    for row in _dependents(session, review_id=review_id, kind=kind, target_id=target_id):
        if row.event_id in seen:
            continue
        seen.add(row.event_id)
        event = session.get(LifelineEvent, row.event_id)
        if event is None or event.deleted:
            continue
        try:
            parsed, _anchor = _read_dates(
                session=session,
                review_id=review_id,
                event_id=event.id,
                when=event.when_text,
                until=event.until_text or None,
                named=list(event.people),
                reference=row.reference_date,
                pinned=_pinned(row),
            )
        except InvalidInput:
            continue  # it no longer reads (e.g. the anchor became ambiguous): it keeps its last range
        before = (event.earliest, event.latest, event.edtf)
        _apply_dates(event, event.when_text, event.until_text or None, parsed)
        if (event.earliest, event.latest, event.edtf) == before:
            continue
        event.version += 1
        event.updated_at = utcnow()
        event.updated_by = actor.label
        session.add(event)
        _record_version(
            session, event, change="moved", actor=actor, reason=_("Moved because “%(name)s” changed", name=name)
        )
        audit.record(session, actor=actor, action="event.moved", review_id=review_id, target=f"event:{event.id}")
        _move_dependents(
            session,
            review_id=review_id,
            kind="event",
            target_id=event.id or 0,
            name=event.title,
            actor=actor,
            seen=seen,
        )


def _read_dates(
    *,
    session: Session,
    review_id: int,
    event_id: int | None,
    when: str,
    until: str | None,
    named: Sequence[str],
    reference: dt.date | None,
    pinned: int | None = None,
) -> tuple[lifeline.When | None, lifeline.phrases.Anchor | None]:
    """Read an event's date texts against the life-line: a plain date, a phrase (anchored on a person or
    another event, relative to the reference date) or nothing (undated); a clear 422 when they mean nothing
    here, or when the anchor would make the event depend on itself. ``pinned``: the event it was read against
    before (its words unchanged), read against again even when renamed since."""
    if until:
        return parse_dates(when, until), None
    reading = _interpret(
        session, review_id=review_id, when=when, named=named, reference=reference, exclude=event_id, pinned=pinned
    )
    anchor = reading.anchor
    if anchor is not None and anchor.kind == "event" and event_id is not None:
        _refuse_cycle(session, event_id=event_id, target_id=int(anchor.id), text=when)
    return reading.when, anchor


def _interpret(
    session: Session,
    *,
    review_id: int,
    when: str,
    named: Sequence[str],
    reference: dt.date | None,
    exclude: int | None = None,
    pinned: int | None = None,
) -> lifeline.phrases.Reading:
    if len(when) > lifeline.dates.MAX_TEXT_LENGTH:  # refused before anything is read or parsed
        _too_long(when)
    context = phrase_context(session=session, review_id=review_id, named=named, reference=reference, exclude=exclude)
    target = session.get(LifelineEvent, pinned) if pinned is not None else None
    if target is not None and target.review_id == review_id and not target.deleted:
        pin = lifeline.phrases.AnchorEvent(target.id or 0, target.title, stored_when(target))
        context = dataclasses.replace(context, pinned=pin)
    try:
        return lifeline.phrases.interpret(when, context)
    except lifeline.DateParseError as exc:
        raise InvalidInput.at("when", exc.message(current_language())) from exc


def _pinned(row: LifelineAnchor | None) -> int | None:
    """The event a date was read against, if any (read against it again, whatever its title is now)."""
    return row.target_id if row is not None and row.kind == "event" else None


def _refuse_cycle(session: Session, *, event_id: int, target_id: int, text: str) -> None:
    """Refuse an anchor whose chain of anchors leads back to this event (each step seen once: bounded)."""
    chain: list[str] = []
    seen: set[int] = set()
    current: int | None = target_id
    while current is not None and current not in seen:
        if current == event_id:
            raise InvalidInput.at(
                "when", lifeline.DateParseError(text, "cycle", tuple(chain)).message(current_language())
            )
        seen.add(current)
        target = session.get(LifelineEvent, current)
        chain.append(target.title if target else str(current))
        row = session.get(LifelineAnchor, current)
        current = row.target_id if row is not None and row.kind == "event" else None


def _set_anchor(
    session: Session, event: LifelineEvent, anchor: lifeline.phrases.Anchor | None, reference: dt.date | None
) -> None:
    """Remember what the event's date was read against (or forget it)."""
    row = session.get(LifelineAnchor, event.id)
    if anchor is None and reference is None:
        if row is not None:
            session.delete(row)
        return
    row = row or LifelineAnchor(event_id=event.id or 0, review_id=event.review_id)
    row.kind = anchor.kind if anchor else None
    row.target_id = int(anchor.id) if anchor else None
    row.reference_date = reference
    session.add(row)


def history(*, session: Session, review_id: int, event_id: int) -> list[VersionOut]:
    """Every version of an event, oldest first."""
    get_event(session=session, review_id=review_id, event_id=event_id)
    rows = session.exec(
        select(LifelineEventVersion)
        .where(LifelineEventVersion.event_id == event_id)
        .order_by(col(LifelineEventVersion.version))
    ).all()
    return [from_row(VersionOut, row, **row.snapshot) for row in rows]


def restore_version(
    *, session: Session, review_id: int, event_id: int, version: int, based_on: int, actor: Actor
) -> LifelineEvent:
    """Make an earlier version current again, as a new version (nothing is overwritten); restoring a version
    of a deleted event brings the event back."""
    event = get_event(session=session, review_id=review_id, event_id=event_id, for_update=True)
    if based_on != event.version:
        raise _conflict(event, {"version": based_on, "restore": version})
    versions = {v.version: v for v in history(session=session, review_id=review_id, event_id=event_id)}
    if version not in versions:
        raise NotFound(_("This version does not exist."))
    fields = versions[version].model_dump(include=set(SNAPSHOT_FIELDS), mode="json")
    update = EventUpdate(version=based_on, reason=_("Restored version %(v)s", v=version), **fields)
    return update_event(
        session=session, review_id=review_id, event_id=event_id, actor=actor, data=update, undelete=True
    )


def counts(*, session: Session, review_id: int) -> dict[str, int]:
    """How many events (not deleted) there are, and how many are confirmed."""
    rows = session.exec(
        select(LifelineEvent.status, func.count())
        .where(LifelineEvent.review_id == review_id, col(LifelineEvent.deleted).is_(False))
        .group_by(col(LifelineEvent.status))
    ).all()
    by_status = {str(status): int(n) for status, n in rows}
    return {"total": sum(by_status.values()), **by_status}


MAX_BANNER_METRES = 20
"""The longest banner anyone can ask for: twice the paper roll the method uses (making it costs CPU seconds)."""
MAX_BANNER_PAGES = 80


def check_banner_pages(*, length_m: float, paper: str, overlap_mm: float) -> int:
    """The number of pages a printed banner takes; refused (422) over ``MAX_BANNER_PAGES``."""
    pages = lifeline.banner_page_count(length_m, paper, overlap_mm)
    if pages > MAX_BANNER_PAGES:
        raise InvalidInput(
            _(
                "This banner would take %(n)s pages; at most %(max)s. Choose A3, a shorter banner or less overlap.",
                n=pages,
                max=MAX_BANNER_PAGES,
            )
        )
    return pages


@dataclass(frozen=True)
class CsvRow:
    """One checked row of a CSV file: its line (as a spreadsheet numbers it), the ``id`` it names, the event."""

    line: int
    event_id: int | None
    data: EventCreate


@dataclass(frozen=True)
class CsvImport:
    """What a CSV import did: the events it added, the events it changed (by ``id``) and how many rows were
    already as stored."""

    created: list[LifelineEvent]
    updated: list[LifelineEvent]
    unchanged: int


def check_csv(text: str) -> list[CsvRow]:
    """Read and check CSV text without touching the database (CPU work: run it off the event loop and outside a
    database turn); all rows or none: bad rows are reported by line number. A date that is not a plain date
    ("toen Sem 7 was", "weet ik niet meer", empty) is kept as said: ``import_events`` reads it against the
    life-line, as the event form does."""
    try:
        parsed = lifeline.csvio.read_records(text)
    except lifeline.CsvImportError as exc:
        language = current_language()
        rows = [{"line": e.line, "message": e.message(language)} for e in exc.errors]
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(rows)), detail=rows) from exc
    checked: list[CsvRow] = []
    problems: list[dict[str, object]] = []
    for record in parsed:
        item = record.fields
        if record.event is not None:
            when, until = lifeline.csvio.when_texts(record.event.when, current_language())
        else:
            when, until = record.when_text, ""
        try:
            data = _csv_event(item, when, until)
        except ValidationError as exc:
            message = "; ".join(e["message"] for e in describe_errors(exc.errors()))
            problems.append({"line": record.line, "message": message})
            continue
        checked.append(CsvRow(line=record.line, event_id=item.id if isinstance(item.id, int) else None, data=data))
    if problems:  # every row is checked before any is stored: all rows or none
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(problems)), detail=problems)
    return checked


def import_events(*, session: Session, review_id: int, actor: Actor, rows: list[CsvRow]) -> CsvImport:
    """Store the rows of a checked CSV file (:func:`check_csv`), each with its history; all rows or none.

    A row whose ``id`` is an event of this review updates that event (a new version, only if something
    changed), so a file exported, edited in Excel and imported again changes the life-line instead of
    doubling it; rows without such an id are added. Dates as said are read against the life-line as it
    stands, rows above included; every row that cannot be read is reported by its line."""
    stored = {
        e.id: e for e in list_events(session=session, review_id=review_id, where=EventFilter(include_deleted=True))
    }
    problems: list[dict[str, object]] = []
    for row in rows:
        existing = stored.get(row.event_id) if row.event_id is not None else None
        if existing is not None and existing.deleted:
            message = _("Event %(id)s was deleted: restore it first, or empty its id to add it anew.", id=row.event_id)
            problems.append({"line": row.line, "message": message})
    if problems:
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(problems)), detail=problems)
    created: list[LifelineEvent] = []
    updated: list[LifelineEvent] = []
    unchanged = 0
    savepoint = session.begin_nested()
    for row in rows:
        existing = stored.get(row.event_id) if row.event_id is not None else None
        try:
            if existing is None:
                created.append(
                    create_event(session=session, review_id=review_id, actor=actor, data=row.data, reason="CSV")
                )
                continue
            version = existing.version
            event = update_event(
                session=session,
                review_id=review_id,
                event_id=existing.id or 0,
                actor=actor,
                data=_csv_update(row.data, existing),
                check_version=False,
            )
        except InvalidInput as exc:
            problems.append({"line": row.line, "message": exc.message})
            continue
        if event.version == version:
            unchanged += 1
        else:
            updated.append(event)
    if problems:
        savepoint.rollback()
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(problems)), detail=problems)
    savepoint.commit()
    return CsvImport(created=created, updated=updated, unchanged=unchanged)


def _csv_update(data: EventCreate, existing: LifelineEvent) -> EventUpdate:
    """The change a CSV row makes to a stored event; its sources stay as stored when the row names the same
    labels (the CSV carries labels only, not what a source points at), and its date texts when the row means
    the same range (typed otherwise, or the range a phrase was read as)."""
    fields = data.model_dump(mode="json", exclude={"sources", "reference_date"})
    labels = [s["label"] for s in existing.sources]
    if [s.label for s in data.sources] != labels:
        fields["sources"] = [s.model_dump(mode="json") for s in data.sources]
    if (data.when, data.until or "") == (existing.when_text, existing.until_text) or _same_range(data, existing):
        del fields["when"], fields["until"]
    return EventUpdate(version=existing.version, reason="CSV", **fields)


def _same_range(data: EventCreate, existing: LifelineEvent) -> bool:
    """Whether a row's plain date means the range the event has now."""
    if not data.when or lifeline.dates.is_undated(data.when):
        return not existing.edtf
    try:
        parsed = parse_dates(data.when, data.until)
    except InvalidInput:
        return False  # a phrase: read against the life-line when it is stored
    columns = date_columns(parsed)
    return (columns["earliest"], columns["latest"], columns["edtf"]) == (
        existing.earliest,
        existing.latest,
        existing.edtf,
    )


def _csv_event(item: lifeline.Event, when: str, until: str) -> EventCreate:
    return EventCreate(
        title=item.title,
        when=when,
        until=until or None,
        lane=item.lane,
        description=item.description,
        people=item.people,
        organisation=item.organisation or "",
        status=EventStatus(item.status),
        sources=[Source(kind=SourceKind.text, label=label[:200]) for label in item.sources],
    )


# --- people of the life-line and date phrases --------------------------------------------------------------


def born_when(text: str) -> lifeline.When | None:
    """A person's birth as a date (None when not known); a clear 422 in the user's language if not a date."""
    if not text or lifeline.dates.is_undated(text):
        return None
    try:
        return lifeline.parse_when(text)
    except lifeline.DateParseError as exc:
        raise InvalidInput.at("born", exc.message(current_language())) from exc


def person_out(person: LifelinePerson) -> PersonOut:
    """A stored person as the API shows it."""
    born = born_when(person.born_text)
    return PersonOut(
        id=person.id or 0,
        name=person.name,
        born=person.born_text,
        born_earliest=born.earliest() if born else None,
        born_latest=born.latest() if born else None,
    )


def list_people(*, session: Session, review_id: int) -> list[LifelinePerson]:
    """The people of the life-line, by name."""
    return list(
        session.exec(
            select(LifelinePerson).where(LifelinePerson.review_id == review_id).order_by(col(LifelinePerson.name))
        ).all()
    )


def add_person(*, session: Session, review_id: int, actor: Actor, data: PersonCreate) -> LifelinePerson:
    """Add a person of the life-line; the name is unique within the review (409 otherwise)."""
    born_when(data.born)
    taken = {p.name.lower() for p in list_people(session=session, review_id=review_id)}
    if data.name.lower() in taken:
        raise Conflict(_("There is already a person with this name on the life-line."))
    person = LifelinePerson(review_id=review_id, name=data.name, born_text=data.born)
    return audit.record_added(session, person, actor=actor, action="person.create", review_id=review_id, kind="person")


def change_born(
    *, session: Session, review_id: int, person_id: int, actor: Actor, data: PersonUpdate
) -> LifelinePerson:
    """Correct a person's birth date."""
    person = of_review(session, LifelinePerson, person_id, review_id, missing=_("This person is not on the life-line."))
    born_when(data.born)
    changed = person.born_text != data.born
    if changed:
        for hook in PEOPLE_CHANGED:
            hook(session, review_id)
    person.born_text = data.born
    session.add(person)
    session.flush()
    if changed:
        name = _("the date of birth of %(name)s", name=person.name)
        _move_dependents(session, review_id=review_id, kind="person", target_id=person_id, name=name, actor=actor)
    audit.record(session, actor=actor, action="person.update", review_id=review_id, target=f"person:{person_id}")
    return person


def person_dependents(*, session: Session, review_id: int, person_id: int) -> list[LifelineEvent]:
    """The (not deleted) events whose date is read from this person's birth."""
    return _dependent_events(session, review_id=review_id, kind="person", target_id=person_id)


def delete_person(
    *, session: Session, review_id: int, person_id: int, actor: Actor, dependents: DependentsChoice | None = None
) -> None:
    """Take a person off the life-line. If events are dated from their birth ("toen Sem 7 was"), 409 asks what
    they do (``dependents``): keep their last range as their date, or become undated; the names on events stay."""
    person = of_review(session, LifelinePerson, person_id, review_id, missing=_("This person is not on the life-line."))
    for hook in PEOPLE_CHANGED:
        hook(session, review_id)
    refusal = _(
        "These events are dated from the birth of this person: %(names)s. Choose whether they keep their last "
        "range or become undated."
    )
    _release(
        session,
        review_id=review_id,
        kind="person",
        target_id=person_id,
        name=person.name,
        actor=actor,
        choice=dependents,
        refusal=refusal,
    )
    session.delete(person)
    session.flush()
    audit.record(session, actor=actor, action="person.delete", review_id=review_id, target=f"person:{person_id}")


def phrase_context(
    *,
    session: Session,
    review_id: int,
    named: Sequence[str] = (),
    reference: dt.date | None = None,
    exclude: int | None = None,
) -> lifeline.phrases.Context:
    """What a date phrase of this review is read against: its people, its events and the interview date."""
    people = [
        lifeline.phrases.Person(p.id or 0, p.name, born_when(p.born_text))
        for p in list_people(session=session, review_id=review_id)
    ]
    events = [
        lifeline.phrases.AnchorEvent(e.id or 0, e.title, stored_when(e))
        for e in list_events(session=session, review_id=review_id)
        if e.id != exclude
    ]
    return lifeline.phrases.Context(reference=reference, people=people, events=events, named=named)


def read_phrase(
    *, session: Session, review_id: int, when: str, named: Sequence[str] = (), reference: dt.date | None = None
) -> PhraseOut:
    """What a date phrase would mean on this life-line; stores nothing; a clear 422 when it means nothing."""
    reading = _interpret(session, review_id=review_id, when=when, named=named, reference=reference)
    value = reading.when
    open_start = isinstance(value, lifeline.Period) and value.start is None
    open_end = isinstance(value, lifeline.Period) and value.end is None
    anchor = reading.anchor
    return PhraseOut(
        label=reading.label,
        meaning=reading.describe(current_language()),
        earliest=None if value is None or open_start else value.earliest(),
        latest=None if value is None or open_end else value.latest(),
        edtf=None if value is None else value.to_edtf(),
        undated=value is None,
        anchor=None if anchor is None else AnchorOut(kind=anchor.kind, id=int(anchor.id), name=anchor.name),
    )


def _too_long(text: str) -> None:
    raise InvalidInput.at("when", lifeline.DateParseError(text, "too_long").message(current_language()))
