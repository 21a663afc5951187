"""Use cases of the life-line: events with full version history, conflicts, figure, banner and CSV."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

import lifeline
from app import audit
from app.auth.models import User
from app.db.base import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import _, current_language
from app.timeline.models import EventStatus, LifelineEvent, LifelineEventVersion
from app.timeline.schemas import EventCreate, EventOut, EventUpdate, Source, SourceKind, VersionOut
from app.validation import describe_errors

SNAPSHOT_FIELDS = ("title", "when", "until", "lane", "description", "people", "organisation", "status", "sources")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user, or the group interview acting for the room."""

    user_id: int | None
    label: str

    @classmethod
    def of(cls, user: User) -> "Actor":
        """The actor for a logged-in user."""
        return cls(user_id=user.id, label=user.name)

    @property
    def audit_name(self) -> str:
        """How the audit log names this actor (never a name, only an id)."""
        return f"user:{self.user_id}" if self.user_id else "group-interview"


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
        message = exc.message(current_language())
        raise InvalidInput(message, detail=[{"field": field, "message": message}]) from exc


def _apply_dates(event: LifelineEvent, when: str, until: str | None, parsed: lifeline.When) -> None:
    start = parsed.start if isinstance(parsed, lifeline.Period) else parsed
    event.when_text, event.until_text = when.strip(), (until or "").strip()
    event.earliest, event.latest = parsed.earliest(), parsed.latest()
    event.precision = str(start.precision)
    event.edtf = parsed.to_edtf()


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


def to_library(event: LifelineEvent) -> lifeline.Event:
    """The stored event as a ``lifeline.Event`` for figures, banners and CSV."""
    return lifeline.Event(
        id=event.id or 0,
        title=event.title,
        when=parse_dates(event.when_text, event.until_text or None),
        description=event.description,
        lane=event.lane,
        people=event.people,
        organisation=event.organisation or None,
        sources=[s["label"] for s in event.sources],
        status=str(event.status),  # type: ignore[arg-type]
    )


def event_out(event: LifelineEvent) -> EventOut:
    """The stored event as the API shows it."""
    parsed = parse_dates(event.when_text, event.until_text or None)
    language = current_language()
    if isinstance(parsed, lifeline.Period):
        approximate = parsed.start.approximate or bool(parsed.end and parsed.end.approximate)
    else:
        approximate = parsed.approximate
    return EventOut(
        id=event.id or 0,
        review_id=event.review_id,
        title=event.title,
        when=event.when_text,
        until=event.until_text or None,
        date_text=parsed.format(language),
        earliest=event.earliest,
        latest=event.latest,
        precision=event.precision,
        approximate=approximate,
        is_period=isinstance(parsed, lifeline.Period),
        edtf=event.edtf,
        lane=event.lane,
        lane_label=lifeline.lane_label(event.lane, language),
        description=event.description,
        people=event.people,
        organisation=event.organisation,
        status=event.status,
        sources=[Source.model_validate(s) for s in event.sources],
        version=event.version,
        deleted=event.deleted,
        created_at=event.created_at,
        updated_at=event.updated_at,
        updated_by=event.updated_by,
    )


def list_events(*, session: Session, review_id: int, where: EventFilter | None = None) -> list[LifelineEvent]:
    """The review's events in life-line order (earliest first), filtered."""
    where = where or EventFilter()
    rows: Sequence[LifelineEvent] = session.exec(
        select(LifelineEvent)
        .where(LifelineEvent.review_id == review_id)
        .order_by(col(LifelineEvent.earliest), col(LifelineEvent.latest), col(LifelineEvent.id))
    ).all()
    return [event for event in rows if where.matches(event)]


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


def create_event(
    *, session: Session, review_id: int, actor: Actor, data: EventCreate, reason: str = ""
) -> LifelineEvent:
    """Add an event to the life-line (version 1)."""
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
        earliest=utcnow().date(),
        latest=utcnow().date(),
        precision="",
        edtf="",
        updated_by=actor.label,
    )
    _apply_dates(event, data.when, data.until, parse_dates(data.when, data.until))
    session.add(event)
    session.flush()
    _record_version(session, event, change="create", actor=actor, reason=reason)
    audit.record(
        session, actor=actor.audit_name, action="event.create", review_id=review_id, target=f"event:{event.id}"
    )
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
    changes = data.model_dump(exclude_unset=True, exclude={"version", "reason"}, mode="json")
    if check_version and data.version != event.version:
        raise _conflict(event, {"version": data.version, **changes})
    if event.deleted and not undelete:
        raise Conflict(_("This event was deleted. Restore it before changing it."))
    when = changes.get("when") or event.when_text
    until = changes.get("until", event.until_text or None)
    parsed = parse_dates(when, until) if {"when", "until"} & changes.keys() else None
    lane = _normalise_lane(changes["lane"]) if changes.get("lane") else event.lane
    sources = changes["sources"] if changes.get("sources") is not None else event.sources
    if add_source is not None:
        sources = [*sources, add_source.model_dump(mode="json")]

    before = _snapshot(event)
    if parsed is not None:
        _apply_dates(event, when, until, parsed)
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
    audit.record(
        session,
        actor=actor.audit_name,
        action="event.update",
        review_id=review_id,
        target=f"event:{event_id}",
        detail=",".join(sorted(changes)),
    )
    return event


def set_deleted(
    *, session: Session, review_id: int, event_id: int, actor: Actor, deleted: bool, version: int | None = None
) -> LifelineEvent:
    """Delete an event (kept in the history, restorable) or restore a deleted one."""
    event = get_event(session=session, review_id=review_id, event_id=event_id, for_update=True)
    if version is not None and version != event.version:
        raise _conflict(event, {"version": version})
    if event.deleted == deleted:
        raise Conflict(_("This event is already deleted.") if deleted else _("This event is not deleted."))
    event.deleted = deleted
    event.version += 1
    event.updated_at = utcnow()
    event.updated_by = actor.label
    session.add(event)
    _record_version(session, event, change="delete" if deleted else "restore", actor=actor)
    audit.record(
        session,
        actor=actor.audit_name,
        action="event.delete" if deleted else "event.restore",
        review_id=review_id,
        target=f"event:{event_id}",
    )
    return event


def history(*, session: Session, review_id: int, event_id: int) -> list[VersionOut]:
    """Every version of an event, oldest first."""
    get_event(session=session, review_id=review_id, event_id=event_id)
    rows = session.exec(
        select(LifelineEventVersion)
        .where(LifelineEventVersion.event_id == event_id)
        .order_by(col(LifelineEventVersion.version))
    ).all()
    return [
        VersionOut(
            version=row.version,
            change=row.change,
            changed_by=row.changed_by,
            changed_by_label=row.changed_by_label,
            changed_at=row.changed_at,
            reason=row.reason,
            **row.snapshot,
        )
        for row in rows
    ]


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


def import_events(*, session: Session, review_id: int, actor: Actor, text: str) -> list[LifelineEvent]:
    """Import events from CSV text: all rows or none; bad rows are reported by line number."""
    try:
        parsed = lifeline.import_csv(text)
    except lifeline.CsvImportError as exc:
        language = current_language()
        rows = [{"line": e.line, "message": e.message(language)} for e in exc.errors]
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(rows)), detail=rows) from exc
    checked: list[EventCreate] = []
    problems: list[dict[str, object]] = []
    for line, item in enumerate(parsed, start=2):
        when, until = lifeline.csvio.when_texts(item.when, current_language())
        try:
            checked.append(_csv_event(item, when, until))
        except ValidationError as exc:
            problems.append({"line": line, "message": "; ".join(e["message"] for e in describe_errors(exc.errors()))})
    if problems:  # every row is checked before any is stored: all rows or none
        raise InvalidInput(_("The file was not imported: %(n)s rows have problems.", n=len(problems)), detail=problems)
    return [
        create_event(session=session, review_id=review_id, actor=actor, data=data, reason="CSV") for data in checked
    ]


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
