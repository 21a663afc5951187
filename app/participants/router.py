"""The JSON API of participants and consent."""

from fastapi import APIRouter, Response

from app.db import SessionDep
from app.deps import MemberDep, PathId, WriterDep
from app.participants import service
from app.participants.schemas import (
    ConsentCreate,
    ConsentOut,
    ConsentWithdraw,
    ParticipantCreate,
    ParticipantOut,
    ParticipantUpdate,
)

api = APIRouter(tags=["participants"])


@api.get("/reviews/{review_id}/participants", response_model=list[ParticipantOut])
def list_participants(session: SessionDep, access: MemberDep) -> list[ParticipantOut]:
    """The participants of a review with their current consent."""
    return service.list_participants(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/participants", response_model=ParticipantOut, status_code=201)
def create_participant(session: SessionDep, access: WriterDep, data: ParticipantCreate) -> ParticipantOut:
    """Add a participant (pseudonym and role category)."""
    participant = service.create_participant(
        session=session, review_id=access.review_id, actor=access.viewer.actor, data=data
    )
    return service.participant_out(session=session, participant=participant)


@api.get("/reviews/{review_id}/participants/{participant_id}", response_model=ParticipantOut)
def read_participant(session: SessionDep, access: MemberDep, participant_id: PathId) -> ParticipantOut:
    """One participant."""
    participant = service.get_participant(session=session, review_id=access.review_id, participant_id=participant_id)
    return service.participant_out(session=session, participant=participant)


@api.patch("/reviews/{review_id}/participants/{participant_id}", response_model=ParticipantOut)
def update_participant(
    session: SessionDep, access: WriterDep, participant_id: PathId, data: ParticipantUpdate
) -> ParticipantOut:
    """Change fields of a participant."""
    participant = service.update_participant(
        session=session,
        review_id=access.review_id,
        participant_id=participant_id,
        actor=access.viewer.actor,
        data=data,
    )
    return service.participant_out(session=session, participant=participant)


@api.delete("/reviews/{review_id}/participants/{participant_id}", status_code=204)
def delete_participant(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Erase a participant and their consent records."""
    service.delete_participant(
        session=session,
        review_id=access.review_id,
        participant_id=participant_id,
        actor=access.viewer.actor,
    )
    return Response(status_code=204)


@api.get("/reviews/{review_id}/participants/{participant_id}/consents", response_model=list[ConsentOut])
def consent_history(session: SessionDep, access: MemberDep, participant_id: PathId) -> list[ConsentOut]:
    """A participant's consent history, withdrawn consents included."""
    return service.consent_history(session=session, review_id=access.review_id, participant_id=participant_id)


@api.post("/reviews/{review_id}/participants/{participant_id}/consents", response_model=ConsentOut, status_code=201)
def give_consent(session: SessionDep, access: WriterDep, participant_id: PathId, data: ConsentCreate) -> ConsentOut:
    """Record a consent for one scope."""
    return service.give_consent(
        session=session,
        review_id=access.review_id,
        participant_id=participant_id,
        user=access.viewer.user,
        data=data,
    )


@api.post(
    "/reviews/{review_id}/participants/{participant_id}/consents/{consent_id}/withdraw",
    response_model=ConsentOut,
)
def withdraw_consent(
    session: SessionDep,
    access: WriterDep,
    participant_id: PathId,
    consent_id: PathId,
    data: ConsentWithdraw,
) -> ConsentOut:
    """Record the withdrawal of a consent."""
    return service.withdraw_consent(
        session=session,
        review_id=access.review_id,
        participant_id=participant_id,
        consent_id=consent_id,
        user=access.viewer.user,
        data=data,
    )
