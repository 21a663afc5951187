"""Demo participants: a fictional person with written consents, as the demo review and the demo study add them."""

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session

from app.participants.models import Consent, ConsentMethod, ConsentScope, Participant


def add_consented(
    session: Session,
    participant: Participant,
    *,
    scopes: Iterable[ConsentScope],
    given_on: dt.date,
    recorded_by: int | None,
    given_by: str = "",
    information_version: str = "",
) -> Participant:
    """Add ``participant`` (flushed: it has its id) with a written consent for each of ``scopes``."""
    session.add(participant)
    session.flush()
    for scope in scopes:
        session.add(
            Consent(
                review_id=participant.review_id,
                participant_id=participant.id or 0,
                scope=scope,
                given_on=given_on,
                method=ConsentMethod.written,
                given_by=given_by,
                information_version=information_version,
                recorded_by=recorded_by,
            )
        )
    return participant
