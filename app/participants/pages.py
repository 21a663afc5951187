"""The pages of participants and consent: the list with the readiness gate, one participant's consent history."""

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from app.db import SessionDep
from app.deps import MemberDep, PathId, ReviewAccess, WriterDep
from app.participants import router, service
from app.participants.models import ConsentMethod, ConsentScope, RoleCategory, WithdrawalEffect
from app.participants.schemas import ConsentCreate, ConsentWithdraw, ParticipantCreate, ParticipantUpdate
from app.validation import Submitted, text_fields
from app.web import render_review, see_other, submit

pages = APIRouter(include_in_schema=False)

BOOLEAN_FIELDS = ("under_16", "selected", "prepared")


def _choices() -> dict[str, Any]:
    return {
        "role_categories": list(RoleCategory),
        "scopes": list(ConsentScope),
        "methods": list(ConsentMethod),
        "effects": list(WithdrawalEffect),
    }


def _form(form: FormData, *, booleans: bool = False, dates: tuple[str, ...] = ()) -> dict[str, Any]:
    values = text_fields(form, optional=dates)
    if booleans:
        for field in BOOLEAN_FIELDS:
            values[field] = field in values
    return values


def _list_page(request: Request, session: SessionDep, access: ReviewAccess, **extra: Any) -> Response:
    review_id = access.review_id
    context = {
        "participants": service.list_participants(session=session, review_id=review_id),
        "readiness": service.readiness(session=session, review_id=review_id),
        "values": {"selected": True},
        **_choices(),
    }
    return render_review(request, access, "participants/list.html", context, active="participants", extra=extra)


@pages.get("/reviews/{review_id}/participants")
def participants_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """The participants with their consent at a glance, and the readiness gate."""
    return _list_page(request, session, access)


@pages.post("/reviews/{review_id}/participants")
def create_participant_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Add a participant from the form."""
    values = _form(form, booleans=True, dates=("prepared_on",))
    return submit(
        ParticipantCreate,
        values,
        lambda data: router.create_participant(session, access, data),
        then=lambda participant: f"/reviews/{access.review_id}/participants/{participant.id}",
        again=lambda errors: _list_page(request, session, access, errors=errors, values=values),
        field="pseudonym",
    )


def _detail_page(
    request: Request, session: SessionDep, access: ReviewAccess, participant_id: int, **extra: Any
) -> Response:
    review_id = access.review_id
    context = {
        "participant": router.read_participant(session, access, participant_id),
        "consents": service.consent_history(session=session, review_id=review_id, participant_id=participant_id),
        "consent_errors": {},
        "withdraw_errors": {},
        **_choices(),
    }
    failed = ("errors", "consent_errors", "withdraw_errors")
    return render_review(
        request, access, "participants/detail.html", context, active="participants", extra=extra, failed=failed
    )


@pages.get("/reviews/{review_id}/participants/{participant_id}")
def participant_page(request: Request, session: SessionDep, access: MemberDep, participant_id: PathId) -> Response:
    """One participant: details, consent history, and forms to record or withdraw consent."""
    return _detail_page(request, session, access, participant_id)


@pages.post("/reviews/{review_id}/participants/{participant_id}")
def update_participant_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, participant_id: PathId
) -> Response:
    """Save a participant's details from the form."""
    return submit(
        ParticipantUpdate,
        _form(form, booleans=True, dates=("prepared_on",)),
        lambda data: router.update_participant(session, access, participant_id, data),
        then=f"/reviews/{access.review_id}/participants/{participant_id}",
        again=lambda errors: _detail_page(request, session, access, participant_id, errors=errors),
    )


@pages.post("/reviews/{review_id}/participants/{participant_id}/consents")
def give_consent_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, participant_id: PathId
) -> Response:
    """Record a consent from the form."""
    values = _form(form)
    return submit(
        ConsentCreate,
        values,
        lambda data: router.give_consent(session, access, participant_id, data),
        then=f"/reviews/{access.review_id}/participants/{participant_id}#consent",
        again=lambda errors: _detail_page(
            request, session, access, participant_id, consent_errors=errors, values=values
        ),
    )


@pages.post("/reviews/{review_id}/participants/{participant_id}/consents/{consent_id}/withdraw")
def withdraw_consent_page(
    request: Request,
    form: Submitted,
    session: SessionDep,
    access: WriterDep,
    participant_id: PathId,
    consent_id: PathId,
) -> Response:
    """Record a withdrawal from the form."""
    return submit(
        ConsentWithdraw,
        _form(form),
        lambda data: router.withdraw_consent(session, access, participant_id, consent_id, data),
        then=f"/reviews/{access.review_id}/participants/{participant_id}#consent",
        again=lambda errors: _detail_page(
            request, session, access, participant_id, withdraw_errors={consent_id: errors}
        ),
    )


@pages.post("/reviews/{review_id}/participants/{participant_id}/erase")
def erase_participant_page(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Erase a participant and their consent records."""
    router.delete_participant(session, access, participant_id)
    return see_other(f"/reviews/{access.review_id}/participants")
