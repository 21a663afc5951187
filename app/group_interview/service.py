"""Use cases of the group interview: the gate, steps, joining by code, proposals and factors.

Every change appends live events (app.live.emit) in the same transaction, so every screen follows.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

import lifeline
from app import audit, live
from app.audit import Actor
from app.auth.models import User
from app.config import Settings
from app.db import of_review
from app.db.base import OneOf, from_row, utcnow
from app.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from app.group_interview import codes
from app.group_interview.models import (
    Factor,
    FactorKind,
    GroupInterview,
    GroupInterviewStatus,
    LifelineProposal,
    ParticipantDevice,
    ProposalStatus,
    RoomPurpose,
    RoomStep,
)
from app.group_interview.schemas import (
    FactorCreate,
    FactorOut,
    FactorUpdate,
    GroupInterviewOut,
    ProposalCreate,
    ProposalDecision,
    ProposalOut,
)
from app.i18n import _
from app.live.models import EventKind
from app.participants.models import ConsentScope, Participant
from app.participants.service import consents_for, readiness
from app.reviews import service as reviews
from app.security import Limiter, new_token, token_hash
from app.timeline import service as timeline
from app.timeline.models import LifelineEvent
from app.timeline.schemas import EventCreate, EventUpdate, Source, SourceKind
from app.timeline.service import create_event, library_events, list_events, update_event


@dataclass
class Device:
    """A joined phone: the device row, the participant it speaks for, and its open group interview."""

    device: ParticipantDevice
    participant: Participant
    interview: GroupInterview

    @property
    def audience(self) -> str:
        """The live audience of this participant's own events."""
        return f"participant:{self.participant.id}"


def current(*, session: Session, review_id: int) -> GroupInterview | None:
    """The review's newest group interview, if any (rooms held for a share-back meeting are not one)."""
    return session.exec(
        select(GroupInterview)
        .where(GroupInterview.review_id == review_id, GroupInterview.purpose == RoomPurpose.group_interview)
        .order_by(col(GroupInterview.id).desc())
    ).first()


def get(*, session: Session, review_id: int) -> GroupInterview:
    """The review's group interview; 404 when there is none yet."""
    interview = current(session=session, review_id=review_id)
    if interview is None:
        raise NotFound(_("This review has no group interview yet."))
    return interview


def interview_out(interview: GroupInterview, settings: Settings, *, with_code: bool) -> GroupInterviewOut:
    """The group interview as the API shows it; the join code only ``with_code`` (to members who may change the
    review: a reader with the code could join as a participant), only while joining is open."""
    show = with_code and interview.status != GroupInterviewStatus.closed and interview.joining_open
    code = codes.code_for(settings.resolved_secret_key(), interview.code_nonce)
    return from_row(
        GroupInterviewOut,
        interview,
        join_code=codes.display(code) if show else None,
        join_url=f"{settings.base_url.rstrip('/')}/j/{code}" if show else None,
    )


def _check_gate(session: Session, review_id: int) -> None:
    gate = readiness(session=session, review_id=review_id)
    if not gate.ready:
        raise Conflict(gate.message, detail=gate.model_dump())


def _unique_code(session: Session, settings: Settings) -> tuple[str, str]:
    key = settings.resolved_secret_key()
    while True:
        nonce = codes.new_nonce()
        hashed = codes.code_hash(key, codes.code_for(key, nonce))
        clash = session.exec(select(GroupInterview.id).where(GroupInterview.code_hash == hashed)).first()
        if clash is None:
            return nonce, hashed


def new_room(*, session: Session, settings: Settings, review_id: int, purpose: RoomPurpose) -> GroupInterview:
    """A prepared room with a fresh join code, for another live meeting of the review (the share-back meeting)."""
    nonce, hashed = _unique_code(session, settings)
    room = GroupInterview(review_id=review_id, code_nonce=nonce, code_hash=hashed, purpose=purpose)
    session.add(room)
    session.flush()
    return room


def end_room(*, session: Session, room: GroupInterview) -> None:
    """Close a room: every phone's access ends at once."""
    now = utcnow()
    room.status, room.closed_at = GroupInterviewStatus.closed, now
    session.add(room)
    session.exec(
        update(ParticipantDevice)
        .where(col(ParticipantDevice.group_interview_id) == room.id, col(ParticipantDevice.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def create(*, session: Session, settings: Settings, review_id: int, user: User) -> GroupInterview:
    """Prepare the group interview; only when every selected participant consented to it."""
    _check_gate(session, review_id)
    existing = current(session=session, review_id=review_id)
    if existing is not None and existing.status != GroupInterviewStatus.closed:
        raise Conflict(_("This review already has a group interview that is not closed."))
    nonce, hashed = _unique_code(session, settings)
    interview = GroupInterview(review_id=review_id, code_nonce=nonce, code_hash=hashed)
    session.add(interview)
    session.flush()
    audit.record(session, actor=Actor.of(user), action="group_interview.create", review_id=review_id)
    return interview


def _save_state(session: Session, interview: GroupInterview) -> None:
    """Save the room and tell every screen its status, step and whether joining is open."""
    session.add(interview)
    live.emit(
        session,
        interview.id or 0,
        EventKind.interview,
        {"status": interview.status, "step": interview.step, "joining_open": interview.joining_open},
    )


def open_interview(*, session: Session, review_id: int, user: User) -> GroupInterview:
    """Open the group interview: phones can join while it is open."""
    interview = get(session=session, review_id=review_id)
    if interview.status != GroupInterviewStatus.draft:
        raise Conflict(_("Only a prepared group interview can be opened."))
    _check_gate(session, review_id)
    interview.status, interview.opened_at = GroupInterviewStatus.open, utcnow()
    _save_state(session, interview)
    audit.record(session, actor=Actor.of(user), action="group_interview.open", review_id=review_id)
    return interview


def close_interview(*, session: Session, review_id: int, user: User) -> GroupInterview:
    """Close the group interview: every phone's access ends, and the guide's step is ticked."""
    interview = get(session=session, review_id=review_id)
    if interview.status != GroupInterviewStatus.open:
        raise Conflict(_("Only an open group interview can be closed."))
    now = utcnow()
    interview.status, interview.closed_at, interview.step = GroupInterviewStatus.closed, now, RoomStep.close
    session.add(interview)
    session.exec(
        update(ParticipantDevice)
        .where(col(ParticipantDevice.group_interview_id) == interview.id, col(ParticipantDevice.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    reviews.complete_step(session=session, review_id=review_id, key="group_interview_held", user=user, at=now)
    _save_state(session, interview)
    audit.record(session, actor=Actor.of(user), action="group_interview.close", review_id=review_id)
    return interview


def _require_open(interview: GroupInterview) -> None:
    if interview.status != GroupInterviewStatus.open:
        raise Conflict(_("The group interview is not open."))


def _open_room(session: Session, review_id: int) -> GroupInterview:
    """The review's group interview; 409 unless it is open."""
    interview = get(session=session, review_id=review_id)
    _require_open(interview)
    return interview


def set_step(*, session: Session, review_id: int, step: int, user: User) -> GroupInterview:
    """Move the room to a step of the method."""
    interview = _open_room(session, review_id)
    interview.step = step
    _save_state(session, interview)
    audit.record(session, actor=Actor.of(user), action="group_interview.step", review_id=review_id, detail=str(step))
    return interview


def set_joining(*, session: Session, review_id: int, joining_open: bool, user: User) -> GroupInterview:
    """Open or close joining by code (the code disappears from the screen when closed)."""
    interview = _open_room(session, review_id)
    interview.joining_open = joining_open
    _save_state(session, interview)
    return interview


def rotate_code(*, session: Session, settings: Settings, review_id: int, user: User) -> GroupInterview:
    """Give the group interview a new join code (the old one stops working at once)."""
    interview = get(session=session, review_id=review_id)
    interview.code_nonce, interview.code_hash = _unique_code(session, settings)
    session.add(interview)
    live.emit(session, interview.id or 0, EventKind.code, {}, audience="members")
    audit.record(session, actor=Actor.of(user), action="group_interview.code", review_id=review_id)
    return interview


def _joined_event(session: Session, interview: GroupInterview, participant_id: int, *, joined: bool) -> None:
    """Tell the members' screens that a participant joined (or was released)."""
    live.emit(
        session,
        interview.id or 0,
        EventKind.joined,
        {"participant_id": participant_id, "joined": joined},
        audience="members",
    )


def _active_devices(session: Session, interview_id: int) -> list[ParticipantDevice]:
    return list(
        session.exec(
            select(ParticipantDevice).where(
                ParticipantDevice.group_interview_id == interview_id, col(ParticipantDevice.revoked_at).is_(None)
            )
        )
    )


def room_participants(*, session: Session, interview: GroupInterview) -> list[dict[str, Any]]:
    """Everyone who may take part (selected, consented to the group interview) and whether they joined."""
    consents = consents_for(session=session, review_id=interview.review_id)
    joined = {device.participant_id for device in _active_devices(session, interview.id or 0)}
    people = session.exec(
        select(Participant)
        .where(Participant.review_id == interview.review_id, col(Participant.selected).is_(True))
        .order_by(col(Participant.id))
    ).all()
    return [
        {"id": p.id, "pseudonym": p.pseudonym, "role_category": p.role_category, "joined": p.id in joined}
        for p in people
        if ConsentScope.group_interview in consents.get(p.id or 0, set())
    ]


def find_by_code(*, session: Session, settings: Settings, code: str) -> GroupInterview | None:
    """The open group interview with this code and joining open, or None."""
    interview = session.exec(
        select(GroupInterview).where(GroupInterview.code_hash == codes.code_hash(settings.resolved_secret_key(), code))
    ).first()
    if interview is None or interview.status != GroupInterviewStatus.open or not interview.joining_open:
        return None
    return interview


def check_code(
    *, session: Session, settings: Settings, code: str, client: str, limiter: Limiter, global_limiter: Limiter
) -> GroupInterview | None:
    """Look a typed code up; wrong codes are rate-limited per client and across all group interviews.

    A flood of wrong codes from many addresses (over the global limit) does not shut every room: then an address
    that already typed a wrong code waits, but one trying for the first time is still checked, so a phone that
    types the right code gets in. Under such a flood every address has one guess per minute instead of several.
    """
    key = f"join:{client}"
    wait = limiter.retry_after(key)
    if not wait and global_limiter.retry_after("join:all") and limiter.count(key):
        wait = global_limiter.retry_after("join:all")
    if wait:
        raise TooManyRequests(
            _("Too many wrong codes. Please wait %(s)s seconds and try again.", s=wait), retry_after=wait
        )
    interview = find_by_code(session=session, settings=settings, code=code)
    if interview is None:
        limiter.hit(key)
        global_limiter.hit("join:all")
    return interview


def join(*, session: Session, interview: GroupInterview, participant_id: int) -> tuple[str, Participant]:
    """Join as a consented participant who is not joined yet; returns the device's secret token."""
    choices = {p["id"]: p for p in room_participants(session=session, interview=interview)}
    if participant_id not in choices:
        raise NotFound(_("This name cannot join this group interview."))
    if choices[participant_id]["joined"]:
        raise Conflict(_("This person has already joined on another device. Ask the facilitator to release it first."))
    participant = session.get(Participant, participant_id)
    assert participant is not None
    token = new_token()
    session.add(
        ParticipantDevice(
            group_interview_id=interview.id or 0, participant_id=participant_id, token_hash=token_hash(token)
        )
    )
    _joined_event(session, interview, participant_id, joined=True)
    audit.record(
        session, actor=Actor.participant(participant_id), action="group_interview.join", review_id=interview.review_id
    )
    return token, participant


# Asked on every request of a phone: built once (building a statement costs more than running it).
_DEVICE = (
    select(ParticipantDevice, GroupInterview, Participant)
    .join(GroupInterview, col(GroupInterview.id) == col(ParticipantDevice.group_interview_id))
    .join(Participant, col(Participant.id) == col(ParticipantDevice.participant_id))
    .where(col(ParticipantDevice.token_hash) == bindparam("token_hash"))
)


# The same check for a room's hot writes (stickers), as plain values and for every phone of a batch at once:
# loading three ORM rows cost more than the query, and one query per phone more than one for all.
_PHONES = (
    select(
        ParticipantDevice.token_hash, ParticipantDevice.participant_id, GroupInterview.review_id, GroupInterview.purpose
    )
    .join(GroupInterview, col(GroupInterview.id) == col(ParticipantDevice.group_interview_id))
    .where(
        OneOf(col(ParticipantDevice.token_hash), "token_hashes"),
        col(ParticipantDevice.revoked_at).is_(None),
        col(GroupInterview.status) == GroupInterviewStatus.open,
    )
)


@dataclass(frozen=True)
class Phone:
    """A joined phone of an open room, as the hot writes need it: whose it is, which review, and which of the
    review's rooms it joined (a share-back phone has no say in the group interview)."""

    participant_id: int
    review_id: int
    purpose: RoomPurpose


def resolve_phones(*, session: Session, tokens: Collection[str]) -> dict[str, Phone]:
    """Like :func:`resolve_device` (the same rules) for many phones' cookies with one query, without loading the
    rows: the phone behind each token that is valid now (an unknown, released or closed one is left out)."""
    hashes = {token_hash(token): token for token in tokens}
    rows = session.execute(_PHONES, {"token_hashes": list(hashes)}).all()
    return {
        hashes[hashed]: Phone(participant_id=participant, review_id=review, purpose=purpose)
        for hashed, participant, review, purpose in rows
    }


def resolve_device(*, session: Session, token: str) -> Device | None:
    """The joined participant behind a phone's cookie, while their group interview is open (one query)."""
    row = session.execute(_DEVICE, {"token_hash": token_hash(token)}).first()
    if row is None:
        return None
    device, interview, participant = row
    if device.revoked_at is not None or interview.status != GroupInterviewStatus.open:
        return None
    return Device(device=device, participant=participant, interview=interview)


def release(*, session: Session, review_id: int, participant_id: int, user: User) -> None:
    """Release a participant's device, so they can rejoin on another one."""
    interview = get(session=session, review_id=review_id)
    released = 0
    for device in _active_devices(session, interview.id or 0):
        if device.participant_id == participant_id:
            device.revoked_at = utcnow()
            session.add(device)
            released += 1
    if not released:
        raise NotFound(_("This person has not joined."))
    _joined_event(session, interview, participant_id, joined=False)
    live.emit(session, interview.id or 0, EventKind.released, {}, audience=f"participant:{participant_id}")
    audit.record(
        session,
        actor=Actor.of(user),
        action="group_interview.release",
        review_id=review_id,
        target=f"participant:{participant_id}",
    )


def set_tablet(*, session: Session, review_id: int, participant_id: int | None) -> GroupInterview:
    """Pass the tablet: choose who votes next on the shared device."""
    interview = _open_room(session, review_id)
    if participant_id is not None and participant_id not in {
        p["id"] for p in room_participants(session=session, interview=interview)
    }:
        raise InvalidInput(_("Choose someone who takes part in the group interview."))
    interview.tablet_participant_id = participant_id
    session.add(interview)
    live.emit(session, interview.id or 0, EventKind.tablet, {"participant_id": participant_id}, audience="members")
    return interview


# --- Proposals (step 1) -----------------------------------------------------------------------------------


def proposal_out(proposal: LifelineProposal) -> ProposalOut:
    """A proposal as the API shows it."""
    return from_row(ProposalOut, proposal, when=proposal.when_text)


def _check_event(session: Session, review_id: int, event_id: int | None) -> None:
    if event_id is None:
        return
    event = session.get(LifelineEvent, event_id)
    if event is None or event.review_id != review_id or event.deleted:
        raise InvalidInput(_("This life-line event does not exist."))


def propose(
    *, session: Session, interview: GroupInterview, data: ProposalCreate, participant_id: int | None
) -> LifelineProposal:
    """Record a proposed correction or addition; nothing is lost, the facilitator decides."""
    _require_open(interview)
    _check_event(session, interview.review_id, data.event_id)
    proposal = LifelineProposal(
        review_id=interview.review_id,
        group_interview_id=interview.id or 0,
        participant_id=participant_id,
        event_id=data.event_id,
        text=data.text,
        when_text=data.when,
    )
    session.add(proposal)
    session.flush()
    payload = proposal_out(proposal).model_dump(mode="json")
    live.emit(session, interview.id or 0, EventKind.proposal, payload, audience="members")
    if participant_id:
        live.emit(session, interview.id or 0, EventKind.proposal, payload, audience=f"participant:{participant_id}")
    return proposal


def decide(
    *, session: Session, review_id: int, proposal_id: int, data: ProposalDecision, user: User
) -> LifelineProposal:
    """Accept a proposal into the life-line (source: the group interview) or set it aside (kept)."""
    interview = get(session=session, review_id=review_id)
    live.lock(session, interview.id or 0)  # before the life-line change writes the audit log: one lock order
    proposal = of_review(session, LifelineProposal, proposal_id, review_id, missing=_("This proposal does not exist."))
    if proposal.status != ProposalStatus.pending:
        raise Conflict(_("This proposal was already decided."))
    source = Source(kind=SourceKind.group_interview, ref_id=interview.id, label=_("group interview"))
    actor = Actor.of(user, label=f"{user.name} ({_('group interview')})")
    if data.accept and proposal.event_id is not None:
        event = session.get(LifelineEvent, proposal.event_id)
        assert event is not None
        changes = EventUpdate(version=event.version, reason=proposal.text[:500])
        if data.when or proposal.when_text:
            changes.when = data.when or proposal.when_text
        if data.title:
            changes.title = data.title
        update_event(
            session=session, review_id=review_id, event_id=event.id or 0, actor=actor, data=changes, add_source=source
        )
        proposal.result_event_id = event.id
    elif data.accept:
        when = data.when or proposal.when_text
        if not when:
            raise InvalidInput(_("Give a date (it may be vague, like 'voorjaar 2014') to add this to the life-line."))
        created = create_event(
            session=session,
            review_id=review_id,
            actor=actor,
            data=EventCreate(
                title=data.title or proposal.text[:300], when=when, lane=data.lane or "family", sources=[source]
            ),
        )
        proposal.result_event_id = created.id
    proposal.status = ProposalStatus.accepted if data.accept else ProposalStatus.set_aside
    proposal.decided_by = user.id
    session.add(proposal)
    payload = proposal_out(proposal).model_dump(mode="json")
    live.emit(session, interview.id or 0, EventKind.proposal, payload, audience="members")
    if proposal.participant_id:
        live.emit(
            session, interview.id or 0, EventKind.proposal, payload, audience=f"participant:{proposal.participant_id}"
        )
    if data.accept:
        live.emit(session, interview.id or 0, EventKind.lifeline, {"event_id": proposal.result_event_id})
    return proposal


def proposals(*, session: Session, interview: GroupInterview, participant_id: int | None = None) -> list[ProposalOut]:
    """The proposals of a group interview (only one participant's own, when given)."""
    query = select(LifelineProposal).where(LifelineProposal.group_interview_id == interview.id)
    if participant_id is not None:
        query = query.where(LifelineProposal.participant_id == participant_id)
    return [proposal_out(p) for p in session.exec(query.order_by(col(LifelineProposal.id)))]


# --- Factors (steps 2 and 3) ------------------------------------------------------------------------------


def factor_out(factor: Factor) -> FactorOut:
    """A factor as the API shows it."""
    return FactorOut.model_validate(factor, from_attributes=True)


def emit_factor(session: Session, factor: Factor) -> None:
    """Tell the open room's screens that a factor changed."""
    interview = current(session=session, review_id=factor.review_id)
    if interview is not None and interview.status == GroupInterviewStatus.open:
        live.emit(session, interview.id or 0, EventKind.factor, factor_out(factor).model_dump(mode="json"))


def list_factors(*, session: Session, review_id: int, include_merged: bool = False) -> list[Factor]:
    """The review's factors, oldest first (merged duplicates left out unless asked for)."""
    query = select(Factor).where(Factor.review_id == review_id)
    if not include_merged:
        query = query.where(col(Factor.merged_into_id).is_(None))
    return list(session.exec(query.order_by(col(Factor.id))))


def get_factor(*, session: Session, review_id: int, factor_id: int) -> Factor:
    """One factor of this review."""
    return of_review(session, Factor, factor_id, review_id, missing=_("This factor does not exist."))


def add_factor(
    *, session: Session, review_id: int, data: FactorCreate, user: User | None = None, participant_id: int | None = None
) -> Factor:
    """Name a factor (by a researcher, or by a participant from their phone), pinned where it happened."""
    _check_event(session, review_id, data.event_id)
    interview = current(session=session, review_id=review_id)
    named_by = participant_id or data.participant_id
    named = session.get(Participant, named_by) if named_by is not None else None
    if named_by is not None and (named is None or named.review_id != review_id):
        raise InvalidInput(_("This participant does not exist."))
    factor = Factor(
        review_id=review_id,
        group_interview_id=interview.id if interview else None,
        kind=data.kind,
        title=data.title,
        description=data.description,
        event_id=data.event_id,
        moment_text=data.moment_text,
        participant_id=named_by,
        created_by=user.id if user else None,
    )
    session.add(factor)
    session.flush()
    emit_factor(session, factor)
    actor = Actor.of(user) if user else Actor.participant(participant_id)
    audit.record(session, actor=actor, action="factor.create", review_id=review_id, target=f"factor:{factor.id}")
    return factor


def edit_factor(*, session: Session, review_id: int, factor_id: int, data: FactorUpdate, user: User) -> Factor:
    """Rewrite a factor or pin it to another moment."""
    factor = get_factor(session=session, review_id=review_id, factor_id=factor_id)
    changes = data.model_dump(exclude_unset=True)
    if "event_id" in changes:
        _check_event(session, review_id, data.event_id)
        factor.event_id = data.event_id
    if data.unpin:
        factor.event_id, factor.moment_text = None, ""
    for field in ("title", "description", "moment_text"):
        if changes.get(field) is not None:
            setattr(factor, field, changes[field])
    session.add(factor)
    emit_factor(session, factor)
    audit.record(
        session, actor=Actor.of(user), action="factor.update", review_id=review_id, target=f"factor:{factor_id}"
    )
    return factor


def _pin_kind(factor: Factor) -> Literal["success", "hindering"]:
    return "success" if factor.kind == FactorKind.success else "hindering"


def pins(*, session: Session, review_id: int) -> list[lifeline.Pin]:
    """The factors as life-line pins: at their event, or at their moment when it reads as a date."""
    result: list[lifeline.Pin] = []
    for factor in list_factors(session=session, review_id=review_id):
        if factor.event_id is not None:
            result.append(lifeline.Pin(kind=_pin_kind(factor), label=factor.title, event_id=factor.event_id))
        elif factor.moment_text:
            try:
                at = lifeline.parse_when(factor.moment_text)
            except lifeline.DateParseError:
                continue  # a moment like "na het startgesprek" has no place on the time axis
            result.append(lifeline.Pin(kind=_pin_kind(factor), label=factor.title, at=at))
    return result


def room_figure(
    *, session: Session, review_id: int, lang: str, height: int | None = None, width: int | None = None
) -> str:
    """The life-line figure with the factors pinned to it, as plotly JSON; labels are packed for ``width``."""
    events = library_events(list_events(session=session, review_id=review_id))
    room_pins = pins(session=session, review_id=review_id)
    return lifeline.figure_json(events, room_pins, lang=lang, height=height, width=width)


def _people_changed(session: Session, review_id: int) -> None:
    """A birth date corrected (or a person removed) while the room is open: its screens redraw the life-line."""
    interview = current(session=session, review_id=review_id)
    if interview is not None and interview.status == GroupInterviewStatus.open:
        live.emit(session, interview.id or 0, EventKind.lifeline, {"event_id": None})


timeline.on_people_changed(_people_changed)
timeline.register_source_model(SourceKind.group_interview, GroupInterview)  # life-line sources may point at these
