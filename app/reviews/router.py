"""HTTP routes of the review workspace: API v1 and the pages (dashboard, review, members, guide)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse

from app.db import SessionDep
from app.deps import MemberDep, OwnerDep, PathId, SettingsDep, ViewerDep, WriterDep
from app.errors import DomainError
from app.i18n import _
from app.participants import service as participants
from app.reviews import service
from app.reviews.models import Role, StepStatus
from app.reviews.schemas import (
    MemberCreate,
    MemberOut,
    MemberUpdate,
    ReadinessOut,
    ReviewCreate,
    ReviewOut,
    ReviewUpdate,
    StepOut,
    StepUpdate,
)
from app.reviews.steps import PHASES
from app.templating import render
from app.validation import form_values, parse_form

api = APIRouter(tags=["reviews"])
pages = APIRouter(include_in_schema=False)

MemberId = PathId
REVIEW_DATES = ("started_on", "planned_end_on", "retention_until")
StepKey = Annotated[str, Path(max_length=40, pattern=r"^[a-z_]+$")]


# --- API -------------------------------------------------------------------------------------------------


@api.get("/reviews", response_model=list[ReviewOut])
def list_reviews(session: SessionDep, viewer: ViewerDep) -> list[ReviewOut]:
    """Every review the caller is a member of."""
    return [
        service.review_out(session=session, review=review, role=role)
        for review, role in service.reviews_of(session=session, user=viewer.user)
    ]


@api.post("/reviews", response_model=ReviewOut, status_code=201)
def create_review(session: SessionDep, viewer: ViewerDep, data: ReviewCreate) -> ReviewOut:
    """Start a new review; the caller becomes its owner."""
    review = service.create_review(session=session, user=viewer.user, data=data)
    return service.review_out(session=session, review=review, role=Role.owner)


@api.get("/reviews/{review_id}", response_model=ReviewOut)
def read_review(session: SessionDep, access: MemberDep) -> ReviewOut:
    """One review with its progress."""
    return service.review_out(session=session, review=access.review, role=access.role)


@api.patch("/reviews/{review_id}", response_model=ReviewOut)
def update_review(session: SessionDep, access: WriterDep, data: ReviewUpdate) -> ReviewOut:
    """Change fields of a review."""
    review = service.update_review(session=session, review=access.review, actor=access.viewer.actor, data=data)
    return service.review_out(session=session, review=review, role=access.role)


@api.delete("/reviews/{review_id}", status_code=204)
def erase_review(session: SessionDep, settings: SettingsDep, access: OwnerDep) -> Response:
    """Erase the review and everything of it (owners only)."""
    service.erase_review(session=session, settings=settings, review=access.review, actor=access.viewer.actor)
    return Response(status_code=204)


@api.get("/reviews/{review_id}/members", response_model=list[MemberOut])
def list_members(session: SessionDep, access: MemberDep) -> list[MemberOut]:
    """The members of a review."""
    return service.list_members(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/members", response_model=MemberOut, status_code=201)
def add_member(session: SessionDep, access: OwnerDep, data: MemberCreate) -> MemberOut:
    """Give an account a role in this review (owners only)."""
    return service.add_member(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)


@api.patch("/reviews/{review_id}/members/{member_id}", status_code=204)
def change_member(session: SessionDep, access: OwnerDep, member_id: MemberId, data: MemberUpdate) -> Response:
    """Change a member's role (owners only)."""
    service.change_member(
        session=session,
        review_id=access.review_id,
        member_id=member_id,
        actor=access.viewer.actor,
        data=data,
    )
    return Response(status_code=204)


@api.delete("/reviews/{review_id}/members/{member_id}", status_code=204)
def remove_member(session: SessionDep, access: OwnerDep, member_id: MemberId) -> Response:
    """Take a member off the review (owners only)."""
    service.remove_member(session=session, review_id=access.review_id, member_id=member_id, actor=access.viewer.actor)
    return Response(status_code=204)


@api.get("/reviews/{review_id}/steps", response_model=list[StepOut])
def list_steps(session: SessionDep, access: MemberDep) -> list[StepOut]:
    """The method's steps with status, notes and live hints."""
    return service.list_steps(session=session, review_id=access.review_id)


@api.patch("/reviews/{review_id}/steps/{key}", response_model=StepOut)
def update_step(session: SessionDep, access: WriterDep, key: StepKey, data: StepUpdate) -> StepOut:
    """Mark a step done, skipped (with a reason) or open; change its notes or due date."""
    service.update_step(session=session, review=access.review, key=key, user=access.viewer.user, data=data)
    return next(s for s in service.list_steps(session=session, review_id=access.review_id) if s.key == key)


@api.get("/reviews/{review_id}/readiness", response_model=ReadinessOut)
def readiness(session: SessionDep, access: MemberDep) -> ReadinessOut:
    """Whether the group interview may be opened; who lacks consent if not."""
    return participants.readiness(session=session, review_id=access.review_id)


# --- Pages -----------------------------------------------------------------------------------------------


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
async def create_review_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Create a review from the form."""
    values = await form_values(request, optional=REVIEW_DATES)
    data, errors = parse_form(ReviewCreate, values)
    if data is None:
        return render(request, "reviews/new.html", {"errors": errors, "values": values}, status_code=422)
    review = service.create_review(session=session, user=viewer.user, data=data)
    return RedirectResponse(f"/reviews/{review.id}", status_code=303)


def _overview(request: Request, session: SessionDep, access: MemberDep, **extra: object) -> Response:
    review_id = access.review_id
    context = {
        "review": service.review_out(session=session, review=access.review, role=access.role),
        "access": access,
        "steps": service.list_steps(session=session, review_id=review_id),
        "phases": PHASES,
        "readiness": participants.readiness(session=session, review_id=review_id),
        "errors": {},
        "step_errors": {},
        "active": "overview",
    }
    context.update(extra)
    return render(
        request,
        "reviews/overview.html",
        context,
        status_code=422 if extra.get("errors") or extra.get("step_errors") else 200,
    )


@pages.get("/reviews/{review_id}")
def review_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """A review: the phases as a stepper with the next thing to do, and the case details."""
    return _overview(request, session, access)


@pages.post("/reviews/{review_id}/edit")
async def edit_review_page(request: Request, session: SessionDep, access: WriterDep) -> Response:
    """Save the case details from the form."""
    data, errors = parse_form(ReviewUpdate, await form_values(request, optional=REVIEW_DATES))
    if data is None:
        return _overview(request, session, access, errors=errors)
    try:
        service.update_review(session=session, review=access.review, actor=access.viewer.actor, data=data)
    except DomainError as exc:
        return _overview(request, session, access, errors={"form": exc.message})
    return RedirectResponse(f"/reviews/{access.review_id}#details", status_code=303)


@pages.post("/reviews/{review_id}/steps/{key}")
async def update_step_page(request: Request, session: SessionDep, access: WriterDep, key: StepKey) -> Response:
    """Save a step from the stepper's form."""
    data, errors = parse_form(StepUpdate, await form_values(request, optional=("due_on",)))
    if data is None:
        return _overview(request, session, access, step_errors={key: "; ".join(errors.values())})
    try:
        service.update_step(session=session, review=access.review, key=key, user=access.viewer.user, data=data)
    except DomainError as exc:
        return _overview(request, session, access, step_errors={key: exc.message})
    return RedirectResponse(f"/reviews/{access.review_id}#step-{key}", status_code=303)


@pages.get("/reviews/{review_id}/members")
def members_page(request: Request, session: SessionDep, access: MemberDep) -> Response:
    """Who works on this review, with which role."""
    members = service.list_members(session=session, review_id=access.review_id)
    return render(
        request,
        "reviews/members.html",
        {
            "review": access.review,
            "access": access,
            "members": members,
            "errors": {},
            "values": {},
            "active": "members",
        },
    )


@pages.post("/reviews/{review_id}/members")
async def add_member_page(request: Request, session: SessionDep, access: OwnerDep) -> Response:
    """Add a member from the form."""
    values = await form_values(request)
    data, errors = parse_form(MemberCreate, values)
    if data is not None:
        try:
            service.add_member(session=session, review_id=access.review_id, actor=access.viewer.actor, data=data)
            return RedirectResponse(f"/reviews/{access.review_id}/members", status_code=303)
        except DomainError as exc:
            errors = {"email": exc.message}
    members = service.list_members(session=session, review_id=access.review_id)
    return render(
        request,
        "reviews/members.html",
        {
            "review": access.review,
            "access": access,
            "members": members,
            "errors": errors,
            "values": values,
            "active": "members",
        },
        status_code=422,
    )


@pages.post("/reviews/{review_id}/members/{member_id}/role")
async def change_member_page(request: Request, session: SessionDep, access: OwnerDep, member_id: MemberId) -> Response:
    """Change a member's role from the form."""
    values = await form_values(request)
    data, _errors = parse_form(MemberUpdate, values)
    if data is None:
        raise DomainError(_("Choose a role."))
    service.change_member(
        session=session,
        review_id=access.review_id,
        member_id=member_id,
        actor=access.viewer.actor,
        data=data,
    )
    return RedirectResponse(f"/reviews/{access.review_id}/members", status_code=303)


@pages.post("/reviews/{review_id}/members/{member_id}/remove")
def remove_member_page(session: SessionDep, access: OwnerDep, member_id: MemberId) -> Response:
    """Take a member off the review."""
    service.remove_member(session=session, review_id=access.review_id, member_id=member_id, actor=access.viewer.actor)
    return RedirectResponse(f"/reviews/{access.review_id}/members", status_code=303)


@pages.get("/reviews/{review_id}/erase")
def erase_page(request: Request, access: OwnerDep) -> Response:
    """Ask for confirmation before erasing a review."""
    return render(
        request,
        "reviews/erase.html",
        {"review": access.review, "access": access, "errors": {}, "active": "overview"},
    )


@pages.post("/reviews/{review_id}/erase")
async def erase_review_page(request: Request, session: SessionDep, settings: SettingsDep, access: OwnerDep) -> Response:
    """Erase the review after the title was typed as confirmation."""
    confirm = (await request.form()).get("confirm_title")
    if not isinstance(confirm, str) or confirm.strip() != access.review.title:
        errors = {"confirm_title": _("Type the exact title of the review to confirm.")}
        return render(
            request,
            "reviews/erase.html",
            {"review": access.review, "access": access, "errors": errors, "active": "overview"},
            status_code=422,
        )
    service.erase_review(session=session, settings=settings, review=access.review, actor=access.viewer.actor)
    return RedirectResponse("/", status_code=303)


__all__ = ["StepStatus", "api", "pages"]
