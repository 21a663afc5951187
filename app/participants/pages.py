"""The pages of participants and consent: the list with the readiness gate, one participant's consent history."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, WriterDep
from app.errors import DomainError
from app.participants import service
from app.participants.models import ConsentMethod, ConsentScope, RoleCategory, WithdrawalEffect
from app.participants.schemas import (
    ConsentCreate,
    ConsentWithdraw,
    ParticipantCreate,
    ParticipantUpdate,
)
from app.templating import render
from app.validation import form_values, parse_form

pages = APIRouter(include_in_schema=False)

BOOLEAN_FIELDS = ("under_16", "selected", "prepared")


def _choices() -> dict[str, Any]:
    return {
        "role_categories": list(RoleCategory),
        "scopes": list(ConsentScope),
        "methods": list(ConsentMethod),
        "effects": list(WithdrawalEffect),
    }


async def _form(request: Request, *, booleans: bool = False, dates: tuple[str, ...] = ()) -> dict[str, Any]:
    values = await form_values(request, optional=dates)
    if booleans:
        for field in BOOLEAN_FIELDS:
            values[field] = field in values
    return values


def _list_page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    review_id = access.review_id
    context = {
        "review": access.review,
        "access": access,
        "participants": service.list_participants(session=session, review_id=review_id),
        "readiness": service.readiness(session=session, review_id=review_id),
        "errors": {},
        "values": {"selected": True},
        "active": "participants",
        **_choices(),
    }
    context.update(extra)
    return render(request, "participants/list.html", context, status_code=422 if extra.get("errors") else 200)


@pages.get("/reviews/{review_id}/participants")
def participants_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The participants with their consent at a glance, and the readiness gate."""
    return _list_page(request, session, access)


@pages.post("/reviews/{review_id}/participants")
async def create_participant_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Add a participant from the form."""
    values = await _form(request, booleans=True, dates=("prepared_on",))
    data, errors = parse_form(ParticipantCreate, values)
    if data is not None:
        try:
            participant = service.create_participant(
                session=session, review_id=access.review_id, actor=access.viewer.actor, data=data
            )
            return RedirectResponse(f"/reviews/{access.review_id}/participants/{participant.id}", status_code=303)
        except DomainError as exc:
            errors = {"pseudonym": exc.message}
    return _list_page(request, session, access, errors=errors, values=values)


def _detail_page(
    request: Request, session: SessionDep, access: ReviewAccess, participant_id: int, **extra: Any
) -> Response:
    review_id = access.review_id
    participant = service.get_participant(session=session, review_id=review_id, participant_id=participant_id)
    context = {
        "review": access.review,
        "access": access,
        "participant": service.participant_out(session=session, participant=participant),
        "consents": service.consent_history(session=session, review_id=review_id, participant_id=participant_id),
        "errors": {},
        "consent_errors": {},
        "withdraw_errors": {},
        "values": {},
        "active": "participants",
        **_choices(),
    }
    context.update(extra)
    failed = extra.get("errors") or extra.get("consent_errors") or extra.get("withdraw_errors")
    return render(request, "participants/detail.html", context, status_code=422 if failed else 200)


@pages.get("/reviews/{review_id}/participants/{participant_id}")
def participant_page(request: Request, session: SessionDep, access: MemberDep, participant_id: PathId) -> Response:
    """One participant: details, consent history, and forms to record or withdraw consent."""
    return _detail_page(request, session, access, participant_id)


@pages.post("/reviews/{review_id}/participants/{participant_id}")
async def update_participant_page(
    request: Request, session: SessionDep, access: WriterDep, participant_id: PathId
) -> Response:
    """Save a participant's details from the form."""
    values = await _form(request, booleans=True, dates=("prepared_on",))
    data, errors = parse_form(ParticipantUpdate, values)
    if data is not None:
        try:
            service.update_participant(
                session=session,
                review_id=access.review_id,
                participant_id=participant_id,
                actor=access.viewer.actor,
                data=data,
            )
            return RedirectResponse(f"/reviews/{access.review_id}/participants/{participant_id}", status_code=303)
        except DomainError as exc:
            errors = {"form": exc.message}
    return _detail_page(request, session, access, participant_id, errors=errors)


@pages.post("/reviews/{review_id}/participants/{participant_id}/consents")
async def give_consent_page(
    request: Request, session: SessionDep, access: WriterDep, participant_id: PathId
) -> Response:
    """Record a consent from the form."""
    values = await _form(request)
    data, errors = parse_form(ConsentCreate, values)
    if data is not None:
        try:
            service.give_consent(
                session=session,
                review_id=access.review_id,
                participant_id=participant_id,
                user=access.viewer.user,
                data=data,
            )
            return RedirectResponse(
                f"/reviews/{access.review_id}/participants/{participant_id}#consent", status_code=303
            )
        except DomainError as exc:
            errors = {"form": exc.message}
    return _detail_page(request, session, access, participant_id, consent_errors=errors, values=values)


@pages.post("/reviews/{review_id}/participants/{participant_id}/consents/{consent_id}/withdraw")
async def withdraw_consent_page(
    request: Request,
    session: SessionDep,
    access: WriterDep,
    participant_id: PathId,
    consent_id: PathId,
) -> Response:
    """Record a withdrawal from the form."""
    values = await _form(request)
    data, errors = parse_form(ConsentWithdraw, values)
    if data is not None:
        try:
            service.withdraw_consent(
                session=session,
                review_id=access.review_id,
                participant_id=participant_id,
                consent_id=consent_id,
                user=access.viewer.user,
                data=data,
            )
            return RedirectResponse(
                f"/reviews/{access.review_id}/participants/{participant_id}#consent", status_code=303
            )
        except DomainError as exc:
            errors = {"form": exc.message}
    return _detail_page(request, session, access, participant_id, withdraw_errors={consent_id: errors})


@pages.post("/reviews/{review_id}/participants/{participant_id}/erase")
def erase_participant_page(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Erase a participant and their consent records."""
    service.delete_participant(
        session=session,
        review_id=access.review_id,
        participant_id=participant_id,
        actor=access.viewer.actor,
    )
    return RedirectResponse(f"/reviews/{access.review_id}/participants", status_code=303)
