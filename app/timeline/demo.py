"""The demo case's life-line (gezin Bakker), including the corrected start of the supervision order."""

from sqlmodel import Session

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.participants.models import Participant
from app.reviews.models import Review
from app.timeline.models import EventStatus
from app.timeline.schemas import EventCreate, EventUpdate, Source, SourceKind
from app.timeline.service import create_event, update_event
from lifeline.demo_case import EVENTS, SUPERVISION_ORDER


def add_lifeline(session: Session, review: Review, users: dict[str, User], _people: dict[str, Participant]) -> None:
    """Add the demo life-line; the supervision order's date is corrected in the group interview."""
    researcher = Actor.of(users["onderzoeker.b@example.org"])
    for when, until, lane, title, source in EVENTS:
        status = (
            EventStatus.confirmed if source.startswith(("dossier", "verslag", "behandelplan")) else EventStatus.draft
        )
        event = create_event(
            session=session,
            review_id=review.id or 0,
            actor=researcher,
            data=EventCreate(
                title=title,
                when=when,
                until=until,
                lane=lane,
                status=status,
                sources=[Source(kind=SourceKind.text, label=source)],
            ),
        )
        if title == SUPERVISION_ORDER:
            update_event(
                session=session,
                review_id=review.id or 0,
                event_id=event.id or 0,
                actor=audit.group_interview("Groepsinterview"),
                data=EventUpdate(
                    version=event.version,
                    when="okt. 2021",
                    status=EventStatus.confirmed,
                    reason="De gezinsvoogd corrigeert in het groepsinterview: de OTS begon in oktober 2021.",
                ),
                add_source=Source(kind=SourceKind.group_interview, label="groepsinterview (gezinsvoogd)"),
            )
