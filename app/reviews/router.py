"""The review workspace's JSON API: reviews, members, the method's steps, readiness."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.db import SessionDep
from app.deps import MemberDep, OwnerDep, PathId, SettingsDep, ViewerDep, WriterDep
from app.participants import service as participants
from app.reviews import service
from app.reviews.models import Role
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

api = APIRouter(tags=["reviews"])

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
def change_member(session: SessionDep, access: OwnerDep, member_id: PathId, data: MemberUpdate) -> Response:
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
def remove_member(session: SessionDep, access: OwnerDep, member_id: PathId) -> Response:
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
