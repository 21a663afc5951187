"""The demo case's file study (gezin Bakker): a treatment plan and the child-protection report.

The report dates the start of the supervision order (OTS) in September 2021: the life-line's first version of
that event. The gezinsvoogd corrects it to October 2021 in the group interview (``app.timeline.demo``), so the
finding is recorded as a link to version 1 and adds no version of its own: the event keeps its two versions.
"""

import datetime as dt

from sqlmodel import Session, select

from app.auth.models import User
from app.documents.models import DocumentKind, FindingKind
from app.documents.schemas import DocumentCreate
from app.documents.service import create_document, record_finding
from app.participants.models import Participant
from app.reviews.models import Review
from app.timeline.models import LifelineEvent
from lifeline.demo_case import SUPERVISION_ORDER

TREATMENT = "Behandeling Noor bij Jeugd-GGZ De Linde (traumabehandeling)"


def _event(session: Session, review_id: int, title: str) -> LifelineEvent | None:
    return session.exec(
        select(LifelineEvent).where(LifelineEvent.review_id == review_id, LifelineEvent.title == title)
    ).first()


def _confirming(
    session: Session,
    review_id: int,
    researcher: User,
    data: DocumentCreate,
    *,
    event: str,
    note: str,
    event_version: int | None = None,
) -> None:
    """Add the document ``data`` and, when the life-line has the event titled ``event``, its finding that confirms
    that event (at ``event_version``, else its current version)."""
    document = create_document(session=session, review_id=review_id, user=researcher, data=data)
    confirmed = _event(session, review_id, event)
    if confirmed is not None:
        record_finding(
            session=session,
            review_id=review_id,
            document_id=document.id or 0,
            event=confirmed,
            kind=FindingKind.confirm,
            note=note,
            event_version=event_version,
            created_by=researcher.id,
        )


def add_documents(session: Session, review: Review, users: dict[str, User], _people: dict[str, Participant]) -> None:
    """Add the two demo documents and their findings on the life-line."""
    review_id = review.id or 0
    researcher = users["onderzoeker.b@example.org"]
    _confirming(
        session,
        review_id,
        researcher,
        DocumentCreate(
            title="Behandelplan Noor (traumabehandeling)",
            kind=DocumentKind.treatment_plan,
            dated=dt.date(2022, 6, 14),
            author_organisation="Jeugd-GGZ De Linde",
            notes=(
                "Doelen: verwerken van de ervaringen thuis, psycho-educatie over de ziekte van moeder. Afspraak: "
                "na toestemming van ouders deelt de behandelaar de voortgang met de intern begeleider."
            ),
        ),
        event=TREATMENT,
        note="Het behandelplan bevestigt de traumabehandeling bij De Linde vanaf 2022.",
    )
    _confirming(
        session,
        review_id,
        researcher,
        DocumentCreate(
            title="Rapportage ondertoezichtstelling",
            kind=DocumentKind.other,
            dated=dt.date(2021, 11, 2),
            author_organisation="Jeugdbescherming Regio Zuid",
            notes=(
                "Het rapport noemt september 2021 als start van de ondertoezichtstelling en de aanstelling van "
                "de (derde) gezinsvoogd. Onduidelijk punt voor het groepsinterview: klopt die maand?"
            ),
        ),
        event=SUPERVISION_ORDER,
        note=(
            "Het dossier noemt sept. 2021 (versie 1). In het groepsinterview corrigeerde de gezinsvoogd dit "
            "naar okt. 2021."
        ),
        event_version=1,
    )
