"""Use cases of the review workspace: reviews, members, the three-phase guide."""

import datetime as dt
import shutil
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement, delete
from sqlmodel import Session, col, func, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.auth.service import user_names
from app.config import Settings
from app.db import apply_changes, of_review
from app.db.base import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import _
from app.reviews.models import Member, Membership, Review, ReviewStep, Role, StepStatus
from app.reviews.schemas import (
    MemberCreate,
    MemberOut,
    MemberUpdate,
    PhaseProgress,
    ReviewCreate,
    ReviewOut,
    ReviewUpdate,
    StepOut,
    StepUpdate,
)
from app.reviews.steps import BY_KEY, PHASES, STEPS

# Extra lines shown under a step (e.g. "5 of 7 participants interviewed"), registered by other areas.
StepHint = Callable[[Session, int], str | None]
STEP_HINTS: dict[str, StepHint] = {}

# Tables of other areas that hold files to remove when a review is erased, registered by those areas.
ERASE_HOOKS: list[Callable[[Session, Settings, int], None]] = []


def register_step_hint(key: str) -> Callable[[StepHint], StepHint]:
    """Let another area add a live count to a step of the guide."""

    def decorate(function: StepHint) -> StepHint:
        STEP_HINTS[key] = function
        return function

    return decorate


def create_review(*, session: Session, user: User, data: ReviewCreate) -> Review:
    """Create a review with its creator as owner and the method's steps, all open."""
    review = Review(**data.model_dump(), created_by=user.id)
    session.add(review)
    session.flush()
    assert review.id is not None
    session.add(Membership(review_id=review.id, user_id=user.id or 0, role=Role.owner))
    for position, step in enumerate(STEPS):
        session.add(ReviewStep(review_id=review.id, key=step.key, phase=step.phase, position=position))
    audit.record(session, actor=Actor.of(user), action="review.create", review_id=review.id)
    return review


def reviews_of(*, session: Session, user: User) -> list[tuple[Review, Role]]:
    """Every review the user is a member of, newest first."""
    rows = session.exec(
        select(Review, Membership.role)
        .join(Membership, col(Membership.review_id) == col(Review.id))
        .where(Membership.user_id == user.id)
        .order_by(col(Review.updated_at).desc(), col(Review.id).desc())
    ).all()
    return [(review, Role(role)) for review, role in rows]


def get_review(*, session: Session, review_id: int) -> Review:
    """One review by id (for areas that already checked access, e.g. a study's cases)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(_("This review does not exist or you have no access to it."))
    return review


def role_of(*, session: Session, review_id: int, user_id: int) -> Role | None:
    """The user's role in a review, or None when they are no member of it (or it does not exist)."""
    membership = session.exec(
        select(Membership).where(Membership.review_id == review_id, Membership.user_id == user_id)
    ).first()
    return membership.role if membership else None


def _steps(session: Session, review_id: int) -> Sequence[ReviewStep]:
    return session.exec(
        select(ReviewStep).where(ReviewStep.review_id == review_id).order_by(col(ReviewStep.position))
    ).all()


def review_out(*, session: Session, review: Review, role: Role) -> ReviewOut:
    """The review as the API and pages show it, with progress through the phases."""
    steps = _steps(session, review.id or 0)
    finished = {StepStatus.done, StepStatus.skipped}
    phases = [
        PhaseProgress(
            phase=phase,
            title=_(title),
            done=sum(1 for s in steps if s.phase == phase and s.status in finished),
            total=sum(1 for s in steps if s.phase == phase),
        )
        for phase, title in PHASES.items()
    ]
    first_open = next((s for s in steps if s.status not in finished), None)
    done = sum(p.done for p in phases)
    total = sum(p.total for p in phases) or 1
    return ReviewOut(
        **review.model_dump(exclude={"created_by"}),
        role=role,
        current_phase=first_open.phase if first_open else None,
        progress=round(done / total, 3),
        phases=phases,
        next_step=_(BY_KEY[first_open.key].title) if first_open and first_open.key in BY_KEY else None,
        retention_expired=review.retention_until is not None and review.retention_until < utcnow().date(),
    )


def update_review(*, session: Session, review: Review, actor: Actor, data: ReviewUpdate) -> Review:
    """Change the given fields of a review."""
    changes = data.model_dump(exclude_unset=True)
    for field in ("title",):
        if field in changes and changes[field] is None:
            raise InvalidInput(_("A review needs a title."))
    apply_changes(review, changes, clearable={"started_on", "planned_end_on", "retention_until"})
    if review.started_on and review.planned_end_on and review.planned_end_on < review.started_on:
        raise InvalidInput(_("The planned end lies before the start."))
    review.updated_at = utcnow()
    session.add(review)
    audit.record_update(session, actor=actor, action="review.update", review_id=review.id, changes=changes)
    return review


def erase_review(*, session: Session, settings: Settings, review: Review, actor: Actor) -> None:
    """Erase a review and everything of it: rows (by cascade) and files. The audit entry holds no content."""
    review_id = review.id or 0
    for hook in ERASE_HOOKS:
        hook(session, settings, review_id)
    session.exec(delete(Review).where(col(Review.id) == review_id))
    shutil.rmtree(settings.upload_dir / f"review-{review_id}", ignore_errors=True)
    audit.record(session, actor=actor, action="review.erase", review_id=review_id)


class MemberRow(Protocol):
    """A member's row: of a review (``Membership``) or of a study (``StudyMember``)."""

    id: int | None
    user_id: int
    role: Role
    added_at: dt.datetime


AnyMember = TypeVar("AnyMember", bound=Member)


def member_out(member: MemberRow, user: User) -> MemberOut:
    """A member (of a review or of a study) as the API lists them."""
    return MemberOut(
        id=member.id or 0,
        user_id=user.id or 0,
        email=user.email,
        name=user.name,
        role=member.role,
        added_at=member.added_at,
    )


def active_account(*, session: Session, email: str) -> User:
    """The active account with this e-mail address, to make a member; 422 when there is none."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        raise InvalidInput(_("There is no account with this e-mail address."))
    return user


def members_of(*, session: Session, table: type[MemberRow], where: ColumnElement[bool] | bool) -> list[MemberOut]:
    """The members in ``table`` that ``where`` picks (a review's, a study's), in the order they were added."""
    rows = session.exec(
        select(table, User).join(User, col(User.id) == col(table.user_id)).where(where).order_by(col(table.id))
    ).all()
    return [member_out(m, u) for m, u in rows]


def add_member_row(
    *, session: Session, member: AnyMember, where: ColumnElement[bool] | bool, user: User, taken: str
) -> AnyMember:
    """``member`` (``user``'s row in a review or a study, flushed: it has its id); 409 saying ``taken`` when
    ``user`` already has a row among those ``where`` picks."""
    table = type(member)
    if session.exec(select(table).where(where, col(table.user_id) == user.id)).first():
        raise Conflict(taken)
    session.add(member)
    session.flush()
    return member


def list_members(*, session: Session, review_id: int) -> list[MemberOut]:
    """The members of a review with their roles."""
    return members_of(session=session, table=Membership, where=Membership.review_id == review_id)


def add_member(*, session: Session, review_id: int, actor: Actor, data: MemberCreate) -> MemberOut:
    """Give an existing account a role in the review."""
    user = active_account(session=session, email=data.email)
    membership = add_member_row(
        session=session,
        member=Membership(review_id=review_id, user_id=user.id or 0, role=data.role),
        where=Membership.review_id == review_id,
        user=user,
        taken=_("%(name)s is already a member of this review.", name=user.name),
    )
    audit.record(
        session,
        actor=actor,
        action="member.add",
        review_id=review_id,
        target=f"user:{user.id}",
        detail=data.role,
    )
    return member_out(membership, user)


def _membership(session: Session, review_id: int, member_id: int) -> Membership:
    return of_review(session, Membership, member_id, review_id, missing=_("This member does not exist."))


def _owners(session: Session, review_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Membership)
        .where(Membership.review_id == review_id, Membership.role == Role.owner)
    ).one()


def change_member(*, session: Session, review_id: int, member_id: int, actor: Actor, data: MemberUpdate) -> None:
    """Change a member's role; a review always keeps at least one owner."""
    membership = _membership(session, review_id, member_id)
    if membership.role == Role.owner and data.role != Role.owner and _owners(session, review_id) <= 1:
        raise Conflict(_("A review needs at least one owner."))
    membership.role = data.role
    session.add(membership)
    audit.record(
        session,
        actor=actor,
        action="member.role",
        review_id=review_id,
        target=f"user:{membership.user_id}",
        detail=data.role,
    )


def remove_member(*, session: Session, review_id: int, member_id: int, actor: Actor) -> None:
    """Take a member off the review; the last owner cannot be removed."""
    membership = _membership(session, review_id, member_id)
    if membership.role == Role.owner and _owners(session, review_id) <= 1:
        raise Conflict(_("A review needs at least one owner."))
    session.delete(membership)
    audit.record(session, actor=actor, action="member.remove", review_id=review_id, target=f"user:{membership.user_id}")


def list_steps(*, session: Session, review_id: int) -> list[StepOut]:
    """The guide's steps in order, explained in the active language, with live hints."""
    steps = _steps(session, review_id)
    names = user_names(session=session, user_ids=(s.completed_by for s in steps))
    out = []
    for step in steps:
        definition = BY_KEY.get(step.key)
        hint = STEP_HINTS[step.key](session, review_id) if step.key in STEP_HINTS else None
        out.append(
            StepOut(
                key=step.key,
                phase=step.phase,
                position=step.position,
                title=_(definition.title) if definition else step.key,
                explanation=_(definition.explanation) if definition else "",
                status=step.status,
                skip_reason=step.skip_reason,
                notes=step.notes,
                due_on=step.due_on,
                completed_by=step.completed_by,
                completed_by_name=names.get(step.completed_by or 0),
                completed_at=step.completed_at,
                hint=hint,
            )
        )
    return out


def complete_step(*, session: Session, review_id: int, key: str, user: User, at: dt.datetime | None = None) -> None:
    """Tick a step of the checklist done because the work it names happened (only while it is still open)."""
    step = session.exec(select(ReviewStep).where(ReviewStep.review_id == review_id, ReviewStep.key == key)).first()
    if step is not None and step.status == StepStatus.open:
        step.status, step.completed_by, step.completed_at = StepStatus.done, user.id, at or utcnow()
        session.add(step)


def update_step(*, session: Session, review: Review, key: str, user: User, data: StepUpdate) -> ReviewStep:
    """Mark a step done, skipped (with a reason) or open again; change notes and due date."""
    step = session.exec(select(ReviewStep).where(ReviewStep.review_id == review.id, ReviewStep.key == key)).first()
    if step is None:
        raise NotFound(_("This step does not exist."))
    changes = data.model_dump(exclude_unset=True)
    if "status" in changes and data.status is not None and data.status != step.status:
        if data.status == StepStatus.skipped and not (data.skip_reason or "").strip():
            raise InvalidInput(_("Say why this step is skipped."))
        step.status = data.status
        if data.status == StepStatus.open:
            step.completed_by, step.completed_at, step.skip_reason = None, None, ""
        else:
            step.completed_by, step.completed_at = user.id, utcnow()
    if data.skip_reason is not None and step.status == StepStatus.skipped:
        step.skip_reason = data.skip_reason
    if data.notes is not None:
        step.notes = data.notes
    if "due_on" in changes:
        step.due_on = data.due_on
    session.add(step)
    review.updated_at = utcnow()
    session.add(review)
    audit.record(
        session,
        actor=Actor.of(user),
        action="step.update",
        review_id=review.id,
        target=f"step:{key}",
        detail=str(step.status),
    )
    return step
