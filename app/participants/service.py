"""Use cases of participants and consent, and the readiness gate for the group interview."""

from collections.abc import Sequence
from typing import Protocol

from sqlmodel import Session, col, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import apply_changes, of_review
from app.db.base import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import _, ngettext
from app.participants.models import Consent, ConsentScope, Participant
from app.participants.schemas import (
    ConsentCreate,
    ConsentOut,
    ConsentWithdraw,
    ParticipantCreate,
    ParticipantOut,
    ParticipantUpdate,
)
from app.reviews.schemas import MissingConsent, ReadinessOut
from app.reviews.service import register_step_hint

GROUP_INTERVIEW_SCOPES = (ConsentScope.group_interview,)


def consents_for(*, session: Session, review_id: int) -> dict[int, set[ConsentScope]]:
    """For each participant of the review, the scopes they consent to right now (not withdrawn)."""
    current: dict[int, set[ConsentScope]] = {}
    rows = session.exec(
        select(Consent).where(Consent.review_id == review_id, col(Consent.withdrawn_on).is_(None))
    ).all()
    for consent in rows:
        current.setdefault(consent.participant_id, set()).add(ConsentScope(consent.scope))
    return current


def consent_for(*, session: Session, participant_id: int, scope: ConsentScope) -> bool:
    """Whether a participant consents to ``scope`` right now."""
    return (
        session.exec(
            select(Consent.id).where(
                Consent.participant_id == participant_id,
                Consent.scope == scope,
                col(Consent.withdrawn_on).is_(None),
            )
        ).first()
        is not None
    )


def _out(participant: Participant, scopes: set[ConsentScope]) -> ParticipantOut:
    return ParticipantOut(
        **participant.model_dump(exclude={"created_at"}),
        consented_scopes=sorted(scopes),
    )


def list_participants(*, session: Session, review_id: int) -> list[ParticipantOut]:
    """Every participant of the review with their current consent."""
    scopes = consents_for(session=session, review_id=review_id)
    participants = session.exec(
        select(Participant).where(Participant.review_id == review_id).order_by(col(Participant.id))
    ).all()
    return [_out(p, scopes.get(p.id or 0, set())) for p in participants]


def get_participant(*, session: Session, review_id: int, participant_id: int) -> Participant:
    """One participant of this review; 404 for another review's participant."""
    missing = _("This participant does not exist.")
    return of_review(session, Participant, participant_id, review_id, missing=missing)


def participant_out(*, session: Session, participant: Participant) -> ParticipantOut:
    """A participant with current consent, as the API shows it."""
    scopes = consents_for(session=session, review_id=participant.review_id).get(participant.id or 0, set())
    return _out(participant, scopes)


def _refuse_duplicate(session: Session, review_id: int, pseudonym: str, participant_id: int | None = None) -> None:
    duplicate = session.exec(
        select(Participant).where(
            Participant.review_id == review_id, Participant.pseudonym == pseudonym, Participant.id != participant_id
        )
    ).first()
    if duplicate:
        raise Conflict(_("A participant with the pseudonym %(name)s already exists.", name=pseudonym))


def create_participant(*, session: Session, review_id: int, actor: Actor, data: ParticipantCreate) -> Participant:
    """Add a participant to the review."""
    _refuse_duplicate(session, review_id, data.pseudonym)
    participant = Participant(review_id=review_id, **data.model_dump())
    return audit.record_added(
        session, participant, actor=actor, action="participant.create", review_id=review_id, kind="participant"
    )


def update_participant(
    *, session: Session, review_id: int, participant_id: int, actor: Actor, data: ParticipantUpdate
) -> Participant:
    """Change the given fields of a participant."""
    participant = get_participant(session=session, review_id=review_id, participant_id=participant_id)
    changes = data.model_dump(exclude_unset=True)
    if data.pseudonym is not None:
        _refuse_duplicate(session, review_id, data.pseudonym, participant_id)
    apply_changes(participant, changes, clearable={"prepared_on"})
    if participant.prepared and participant.prepared_on is None:
        participant.prepared_on = utcnow().date()
    return audit.record_changed(
        session,
        participant,
        actor=actor,
        action="participant.update",
        review_id=review_id,
        kind="participant",
        changes=changes,
    )


def delete_participant(*, session: Session, review_id: int, participant_id: int, actor: Actor) -> None:
    """Erase a participant and their consent records."""
    participant = get_participant(session=session, review_id=review_id, participant_id=participant_id)
    for consent in session.exec(select(Consent).where(Consent.participant_id == participant_id)):
        session.delete(consent)
    session.delete(participant)
    audit.record(
        session,
        actor=actor,
        action="participant.erase",
        review_id=review_id,
        target=f"participant:{participant_id}",
    )


def _consent_out(consent: Consent) -> ConsentOut:
    return ConsentOut(**consent.model_dump(), active=consent.withdrawn_on is None)


def consent_history(*, session: Session, review_id: int, participant_id: int) -> list[ConsentOut]:
    """Every consent record of a participant, oldest first, withdrawn ones included."""
    get_participant(session=session, review_id=review_id, participant_id=participant_id)
    rows: Sequence[Consent] = session.exec(
        select(Consent).where(Consent.participant_id == participant_id).order_by(col(Consent.id))
    ).all()
    return [_consent_out(c) for c in rows]


def give_consent(
    *, session: Session, review_id: int, participant_id: int, user: User, data: ConsentCreate
) -> ConsentOut:
    """Record a consent; a consent already active for the same scope must be withdrawn first."""
    participant = get_participant(session=session, review_id=review_id, participant_id=participant_id)
    if participant.under_16 and not data.given_by:
        raise InvalidInput(_("For a child under 16, say which parent or guardian gave consent."))
    if consent_for(session=session, participant_id=participant_id, scope=data.scope):
        raise Conflict(_("This participant already consents to this."))
    if data.given_on > utcnow().date():
        raise InvalidInput(_("Consent cannot be dated in the future."))
    consent = Consent(review_id=review_id, participant_id=participant_id, recorded_by=user.id, **data.model_dump())
    session.add(consent)
    session.flush()
    audit.record(
        session,
        actor=Actor.of(user),
        action="consent.give",
        review_id=review_id,
        target=f"participant:{participant_id}",
        detail=data.scope,
    )
    return _consent_out(consent)


class ForgetParticipant(Protocol):
    """What an area removes of a participant whose consent of one scope is withdrawn."""

    def __call__(self, *, session: Session, review_id: int, participant_id: int) -> int: ...


# Areas that build on this one (the share-back meeting) register what a withdrawal removes of theirs.
WITHDRAWAL_HOOKS: dict[ConsentScope, list[ForgetParticipant]] = {}


def on_withdrawal(scope: ConsentScope, forget: ForgetParticipant) -> None:
    """Call ``forget`` whenever a consent of ``scope`` is withdrawn (in the same transaction)."""
    WITHDRAWAL_HOOKS.setdefault(scope, []).append(forget)


def withdraw_consent(
    *,
    session: Session,
    review_id: int,
    participant_id: int,
    consent_id: int,
    user: User,
    data: ConsentWithdraw,
) -> ConsentOut:
    """Record the withdrawal of a consent (the record stays, marked withdrawn).

    Withdrawing the group-interview consent removes the participant's share-back reactions and comments.
    """
    get_participant(session=session, review_id=review_id, participant_id=participant_id)
    consent = session.get(Consent, consent_id)
    if consent is None or consent.participant_id != participant_id:
        raise NotFound(_("This consent does not exist."))
    if consent.withdrawn_on is not None:
        raise Conflict(_("This consent was already withdrawn."))
    if data.withdrawn_on < consent.given_on:
        raise InvalidInput(_("A withdrawal cannot lie before the consent was given."))
    if data.withdrawn_on > utcnow().date():
        raise InvalidInput(_("A withdrawal cannot be dated in the future."))
    consent.withdrawn_on = data.withdrawn_on
    consent.withdrawal_effect = data.effect
    consent.withdrawal_note = data.note
    consent.withdrawn_recorded_by = user.id
    consent.withdrawn_recorded_at = utcnow()
    session.add(consent)
    for forget in WITHDRAWAL_HOOKS.get(consent.scope, []):
        forget(session=session, review_id=review_id, participant_id=participant_id)
    audit.record(
        session,
        actor=Actor.of(user),
        action="consent.withdraw",
        review_id=review_id,
        target=f"participant:{participant_id}",
        detail=f"{consent.scope}:{data.effect}",
    )
    return _consent_out(consent)


def readiness(*, session: Session, review_id: int) -> ReadinessOut:
    """The gate before the group interview: every selected participant must consent to it."""
    scopes = consents_for(session=session, review_id=review_id)
    selected = session.exec(
        select(Participant)
        .where(Participant.review_id == review_id, col(Participant.selected).is_(True))
        .order_by(col(Participant.id))
    ).all()
    missing = [
        MissingConsent(
            participant_id=p.id or 0,
            pseudonym=p.pseudonym,
            scopes=[s.value for s in GROUP_INTERVIEW_SCOPES if s not in scopes.get(p.id or 0, set())],
        )
        for p in selected
        if any(s not in scopes.get(p.id or 0, set()) for s in GROUP_INTERVIEW_SCOPES)
    ]
    if not selected:
        return ReadinessOut(ready=False, missing=[], message=_("No participants have been selected yet."))
    if missing:
        names = ", ".join(m.pseudonym for m in missing)
        return ReadinessOut(
            ready=False,
            missing=missing,
            message=_("Consent for the group interview is missing for: %(names)s.", names=names),
        )
    return ReadinessOut(ready=True, missing=[], message=_("Everyone selected has consented to the group interview."))


@register_step_hint("participants_selected")
def _selected_hint(session: Session, review_id: int) -> str:
    count = len(
        session.exec(
            select(Participant.id).where(Participant.review_id == review_id, col(Participant.selected).is_(True))
        ).all()
    )
    return ngettext("%(num)s participant selected", "%(num)s participants selected", count)


@register_step_hint("consent_recorded")
def _consent_hint(session: Session, review_id: int) -> str:
    gate = readiness(session=session, review_id=review_id)
    return gate.message


@register_step_hint("participants_prepared")
def _prepared_hint(session: Session, review_id: int) -> str:
    rows = session.exec(
        select(Participant.prepared).where(Participant.review_id == review_id, col(Participant.selected).is_(True))
    ).all()
    return _("%(done)s of %(total)s participants prepared", done=sum(1 for r in rows if r), total=len(rows))
