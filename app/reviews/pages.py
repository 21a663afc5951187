"""The review workspace's pages: dashboard, new review, the overview with the stepper, members, erasure."""

from typing import Any

from fastapi import APIRouter, Request, Response

from app.db import SessionDep
from app.deps import MemberDep, OwnerDep, PathId, ReviewAccess, SettingsDep, ViewerDep, WriterDep
from app.errors import DomainError
from app.i18n import _
from app.participants import service as participants
from app.reviews import router, service
from app.reviews.router import StepKey
from app.reviews.schemas import (
    MemberCreate,
    MemberUpdate,
    ReviewCreate,
    ReviewUpdate,
    StepUpdate,
)
from app.reviews.steps import PHASES
from app.templating import render
from app.validation import Submitted, parse_form, text_fields
from app.web import render_review, see_other, submit

pages = APIRouter(include_in_schema=False)

REVIEW_DATES = ("started_on", "planned_end_on", "retention_until")


@pages.get("/")
def dashboard(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """The dashboard: every review of the user with its phase and progress."""
    reviews = [
        service.review_out(session=session, review=review, role=role)
        for review, role in service.reviews_of(session=session, user=viewer.user)
    ]
    return render(request, "reviews/dashboard.html", {"reviews": reviews})


@pages.get("/reviews/new")
def new_review_page(request: Request, viewer: ViewerDep) -> Response:
    """The form for a new review."""
    return render(request, "reviews/new.html", {"errors": {}, "values": {}})


@pages.post("/reviews/new")
def create_review_page(request: Request, form: Submitted, session: SessionDep, viewer: ViewerDep) -> Response:
    """Create a review from the form."""
    values = text_fields(form, optional=REVIEW_DATES)
    return submit(
        ReviewCreate,
        values,
        lambda data: service.create_review(session=session, user=viewer.user, data=data),
        then=lambda review: f"/reviews/{review.id}",
        again=lambda errors: render(request, "reviews/new.html", {"errors": errors, "values": values}, status_code=422),
    )


def _overview(request: Request, session: SessionDep, access: MemberDep, **extra: object) -> Response:
    review_id = access.review_id
    context = {
        "review": router.read_review(session, access),
        "steps": service.list_steps(session=session, review_id=review_id),
        "phases": PHASES,
        "readiness": participants.readiness(session=session, review_id=review_id),
        "step_errors": {},
    }
    failed = ("errors", "step_errors")
    return render_review(
        request, access, "reviews/overview.html", context, active="overview", extra=extra, failed=failed
    )


@pages.get("/reviews/{review_id}")
def review_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """A review: the phases as a stepper with the next thing to do, and the case details."""
    return _overview(request, session, access)


@pages.post("/reviews/{review_id}/edit")
def edit_review_page(request: Request, form: Submitted, session: SessionDep, access: WriterDep) -> Response:
    """Save the case details from the form."""
    return submit(
        ReviewUpdate,
        text_fields(form, optional=REVIEW_DATES),
        lambda data: router.update_review(session, access, data),
        then=f"/reviews/{access.review_id}#details",
        again=lambda errors: _overview(request, session, access, errors=errors),
    )


@pages.post("/reviews/{review_id}/steps/{key}")
def update_step_page(
    request: Request, form: Submitted, session: SessionDep, access: WriterDep, key: StepKey
) -> Response:
    """Save a step from the stepper's form."""
    return submit(
        StepUpdate,
        text_fields(form, optional=("due_on",)),
        lambda data: router.update_step(session, access, key, data),
        then=f"/reviews/{access.review_id}#step-{key}",
        again=lambda errors: _overview(request, session, access, step_errors={key: "; ".join(errors.values())}),
    )


def _members_page(
    request: Request, session: SessionDep, access: ReviewAccess, errors: dict[str, str], values: dict[str, Any]
) -> Response:
    context = {"members": service.list_members(session=session, review_id=access.review_id)}
    extra = {"errors": errors, "values": values}
    return render_review(request, access, "reviews/members.html", context, active="members", extra=extra)


@pages.get("/reviews/{review_id}/members")
def members_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """Who works on this review, with which role."""
    return _members_page(request, session, access, {}, {})


@pages.post("/reviews/{review_id}/members")
def add_member_page(request: Request, form: Submitted, session: SessionDep, access: OwnerDep) -> Response:
    """Add a member from the form."""
    values = text_fields(form)
    return submit(
        MemberCreate,
        values,
        lambda data: router.add_member(session, access, data),
        then=f"/reviews/{access.review_id}/members",
        again=lambda errors: _members_page(request, session, access, errors, values),
        field="email",
    )


@pages.post("/reviews/{review_id}/members/{member_id}/role")
def change_member_page(
    request: Request, form: Submitted, session: SessionDep, access: OwnerDep, member_id: PathId
) -> Response:
    """Change a member's role from the form."""
    values = text_fields(form)
    data, _errors = parse_form(MemberUpdate, values)
    if data is None:
        raise DomainError(_("Choose a role."))
    router.change_member(session, access, member_id, data)
    return see_other(f"/reviews/{access.review_id}/members")


@pages.post("/reviews/{review_id}/members/{member_id}/remove")
def remove_member_page(session: SessionDep, access: OwnerDep, member_id: PathId) -> Response:
    """Take a member off the review."""
    router.remove_member(session, access, member_id)
    return see_other(f"/reviews/{access.review_id}/members")


@pages.get("/reviews/{review_id}/erase")
def erase_page(request: Request, access: OwnerDep) -> Response:
    """Ask for confirmation before erasing a review."""
    return _erase_page(request, access, {})


def _erase_page(request: Request, access: ReviewAccess, errors: dict[str, str]) -> Response:
    return render_review(request, access, "reviews/erase.html", {}, active="overview", extra={"errors": errors})


@pages.post("/reviews/{review_id}/erase")
def erase_review_page(
    request: Request, form: Submitted, session: SessionDep, settings: SettingsDep, access: OwnerDep
) -> Response:
    """Erase the review after the title was typed as confirmation."""
    confirm = form.get("confirm_title")
    if not isinstance(confirm, str) or confirm.strip() != access.review.title:
        return _erase_page(request, access, {"confirm_title": _("Type the exact title of the review to confirm.")})
    router.erase_review(session, settings, access)
    return see_other("/")
