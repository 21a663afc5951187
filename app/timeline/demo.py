"""The demo case's life-line (gezin Bakker), including the corrected start of the supervision order."""

from typing import Any

from sqlmodel import Session

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.participants.models import Participant
from app.reviews.models import Review
from app.timeline.models import EventStatus, LifelineEvent
from app.timeline.schemas import EventCreate, EventUpdate, PersonCreate, Source, SourceKind
from app.timeline.service import add_person, create_event, update_event
from lifeline.demo_case import EVENTS, PEOPLE, SAID, SUPERVISION_ORDER


def add_lifeline(session: Session, review: Review, users: dict[str, User], _people: dict[str, Participant]) -> None:
    """Add the demo life-line with the children as its people and dates as they were said; the supervision
    order's date is corrected in the group interview (which moves the event dated from it)."""
    researcher = Actor.of(users["onderzoeker.b@example.org"])
    for name, born in PEOPLE:
        add_person(session=session, review_id=review.id or 0, actor=researcher, data=PersonCreate(name=name, born=born))

    def add(source: str, **fields: Any) -> LifelineEvent:
        """An event of the demo life-line, from the (text) source it was read in."""
        data = EventCreate(sources=[Source(kind=SourceKind.text, label=source)], **fields)
        return create_event(session=session, review_id=review.id or 0, actor=researcher, data=data)

    supervision = None
    for when, until, lane, title, source in EVENTS:
        status = (
            EventStatus.confirmed if source.startswith(("dossier", "verslag", "behandelplan")) else EventStatus.draft
        )
        event = add(source, title=title, when=when, until=until, lane=lane, status=status)
        if title == SUPERVISION_ORDER:
            supervision = event
    for when, lane, title, source, named in SAID:
        add(source, title=title, when=when, lane=lane, people=list(named))
    if supervision is not None:
        update_event(
            session=session,
            review_id=review.id or 0,
            event_id=supervision.id or 0,
            actor=audit.group_interview("Groepsinterview"),
            data=EventUpdate(
                version=supervision.version,
                when="okt. 2021",
                status=EventStatus.confirmed,
                reason="De gezinsvoogd corrigeert in het groepsinterview: de OTS begon in oktober 2021.",
            ),
            add_source=Source(kind=SourceKind.group_interview, label="groepsinterview (gezinsvoogd)"),
        )
