"""HTTP routes of the group interview: running it, joining from a phone, proposals, factors, live streams."""

import io
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from sqlmodel import Session

from app import room
from app.db import SessionDep
from app.deps import FigureWidth, MemberDep, PathId, SettingsDep, WriterDep, participant_cookie_name
from app.errors import NotFound
from app.group_interview import service
from app.group_interview.deps import DeviceDep, RoomActorDep, RoomReaderDep, open_by_code
from app.group_interview.models import GroupInterview, GroupInterviewStatus, ParticipantDevice
from app.group_interview.schemas import (
    CodeCheck,
    FactorCreate,
    FactorMerge,
    FactorOut,
    FactorUpdate,
    GroupInterviewOut,
    JoinedOut,
    JoiningChange,
    JoinRequest,
    ProposalCreate,
    ProposalDecision,
    ProposalOut,
    StepChange,
    TabletChange,
)
from app.i18n import _, current_language
from app.live import stream
from app.security import csrf_token

api = APIRouter(tags=["group interview"])


# --- Running the group interview ----------------------------------------------------------------------------


@api.post("/reviews/{review_id}/group-interview", response_model=GroupInterviewOut, status_code=201)
def create_group_interview(session: SessionDep, settings: SettingsDep, access: WriterDep) -> GroupInterviewOut:
    """Prepare the group interview (only when every selected participant consented); answers its join code."""
    interview = service.create(session=session, settings=settings, review_id=access.review_id, user=access.viewer.user)
    return service.interview_out(interview, settings, with_code=True)


@api.get("/reviews/{review_id}/group-interview", response_model=GroupInterviewOut)
def read_group_interview(session: SessionDep, settings: SettingsDep, access: MemberDep) -> GroupInterviewOut:
    """The review's group interview (its join code only for owners and researchers)."""
    interview = service.get(session=session, review_id=access.review_id)
    return service.interview_out(interview, settings, with_code=access.can_write)


@api.post("/reviews/{review_id}/group-interview/open", response_model=GroupInterviewOut)
def open_group_interview(session: SessionDep, settings: SettingsDep, access: WriterDep) -> GroupInterviewOut:
    """Open it: phones can join with the code while it is open."""
    interview = service.open_interview(session=session, review_id=access.review_id, user=access.viewer.user)
    return service.interview_out(interview, settings, with_code=True)


@api.post("/reviews/{review_id}/group-interview/close", response_model=GroupInterviewOut)
def close_group_interview(session: SessionDep, settings: SettingsDep, access: WriterDep) -> GroupInterviewOut:
    """Close it: every phone's access ends."""
    interview = service.close_interview(session=session, review_id=access.review_id, user=access.viewer.user)
    return service.interview_out(interview, settings, with_code=True)


@api.post("/reviews/{review_id}/group-interview/step", response_model=GroupInterviewOut)
def change_step(session: SessionDep, settings: SettingsDep, access: WriterDep, data: StepChange) -> GroupInterviewOut:
    """Move the room to a step: 1 life-line, 2 success, 3 hindering, 4 stickers, 5 closing."""
    interview = service.set_step(session=session, review_id=access.review_id, step=data.step, user=access.viewer.user)
    return service.interview_out(interview, settings, with_code=True)


@api.post("/reviews/{review_id}/group-interview/joining", response_model=GroupInterviewOut)
def change_joining(
    session: SessionDep, settings: SettingsDep, access: WriterDep, data: JoiningChange
) -> GroupInterviewOut:
    """Open or close joining by code."""
    interview = service.set_joining(
        session=session, review_id=access.review_id, joining_open=data.joining_open, user=access.viewer.user
    )
    return service.interview_out(interview, settings, with_code=True)


@api.post("/reviews/{review_id}/group-interview/code", response_model=GroupInterviewOut)
def new_code(session: SessionDep, settings: SettingsDep, access: WriterDep) -> GroupInterviewOut:
    """Replace the join code (the old one stops working)."""
    interview = service.rotate_code(
        session=session, settings=settings, review_id=access.review_id, user=access.viewer.user
    )
    return service.interview_out(interview, settings, with_code=True)


@api.post("/reviews/{review_id}/group-interview/participants/{participant_id}/release", status_code=204)
def release_device(session: SessionDep, access: WriterDep, participant_id: PathId) -> Response:
    """Release a participant's phone so they can rejoin on another device."""
    service.release(session=session, review_id=access.review_id, participant_id=participant_id, user=access.viewer.user)
    return Response(status_code=204)


@api.post("/reviews/{review_id}/group-interview/tablet", status_code=204)
def pass_tablet(session: SessionDep, access: WriterDep, data: TabletChange) -> Response:
    """Pass the tablet: choose who votes next on the room's one device."""
    service.set_tablet(session=session, review_id=access.review_id, participant_id=data.participant_id)
    return Response(status_code=204)


@api.get("/reviews/{review_id}/group-interview/state")
def member_state(session: SessionDep, settings: SettingsDep, access: MemberDep) -> dict[str, Any]:
    """Everything the console and the shared screen show, now."""
    interview = service.get(session=session, review_id=access.review_id)
    return room.room_snapshot(
        session=session, settings=settings, interview=interview, member=True, with_code=access.can_write
    )


@api.get("/reviews/{review_id}/group-interview/qr.svg")
def join_qr(session: SessionDep, settings: SettingsDep, access: WriterDep) -> Response:
    """A QR code of the join URL (with the code), for the shared screen (owners and researchers: it holds the
    join code)."""
    interview = service.get(session=session, review_id=access.review_id)
    out = service.interview_out(interview, settings, with_code=True)
    if out.join_url is None:
        raise NotFound(_("Joining is closed."))
    buffer = io.BytesIO()  # a standalone image needs the SVG namespace (svg_inline leaves it out)
    segno.make(out.join_url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=8, dark="#10242b", light="#ffffff", border=2
    )
    return Response(buffer.getvalue(), media_type="image/svg+xml", headers={"cache-control": "no-store"})


@api.get("/reviews/{review_id}/group-interview/figure")
def room_figure(
    session: SessionDep,
    access: MemberDep,
    height: Annotated[int | None, Query(ge=300, le=3000)] = None,
    width: FigureWidth = None,
) -> Response:
    """The life-line as a plotly figure with the room's factors pinned to it, laid out for ``width`` pixels."""
    text = service.room_figure(
        session=session, review_id=access.review_id, lang=current_language(), height=height, width=width
    )
    return Response(text, media_type="application/json", headers={"cache-control": "no-store"})


# --- Proposals (step 1) -------------------------------------------------------------------------------------


@api.post("/reviews/{review_id}/group-interview/proposals", response_model=ProposalOut, status_code=201)
def propose(session: SessionDep, actor: RoomActorDep, data: ProposalCreate) -> ProposalOut:
    """Propose a correction or addition to the life-line (from a phone, or typed by the facilitator)."""
    interview = service.get(session=session, review_id=actor.review_id)
    proposal = service.propose(session=session, interview=interview, data=data, participant_id=actor.participant_id)
    return service.proposal_out(proposal)


@api.post("/reviews/{review_id}/group-interview/proposals/{proposal_id}/decide", response_model=ProposalOut)
def decide(session: SessionDep, access: WriterDep, proposal_id: PathId, data: ProposalDecision) -> ProposalOut:
    """Accept a proposal into the life-line (a new version, source: group interview) or set it aside."""
    proposal = service.decide(
        session=session, review_id=access.review_id, proposal_id=proposal_id, data=data, user=access.viewer.user
    )
    return service.proposal_out(proposal)


# --- Factors (steps 2 and 3) --------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/factors", response_model=list[FactorOut])
def list_factors(session: SessionDep, actor: RoomReaderDep, include_merged: bool = False) -> list[FactorOut]:
    """The success and hindering factors named so far."""
    factors = service.list_factors(session=session, review_id=actor.review_id, include_merged=include_merged)
    return [service.factor_out(f) for f in factors]


@api.post("/reviews/{review_id}/factors", response_model=FactorOut, status_code=201)
def add_factor(session: SessionDep, actor: RoomActorDep, data: FactorCreate) -> FactorOut:
    """Name a success or hindering factor, optionally pinned to a life-line event or moment."""
    if actor.access is not None:
        factor = service.add_factor(
            session=session, review_id=actor.review_id, data=data, user=actor.access.viewer.user
        )
    else:
        assert actor.device is not None
        data.participant_id = None
        factor = service.add_factor(
            session=session, review_id=actor.review_id, data=data, participant_id=actor.participant_id
        )
    return service.factor_out(factor)


@api.patch("/reviews/{review_id}/factors/{factor_id}", response_model=FactorOut)
def edit_factor(session: SessionDep, access: WriterDep, factor_id: PathId, data: FactorUpdate) -> FactorOut:
    """Rewrite a factor or pin it to another moment."""
    factor = service.edit_factor(
        session=session, review_id=access.review_id, factor_id=factor_id, data=data, user=access.viewer.user
    )
    return service.factor_out(factor)


@api.delete("/reviews/{review_id}/factors/{factor_id}", status_code=204)
def delete_factor(session: SessionDep, access: WriterDep, factor_id: PathId) -> Response:
    """Remove a factor named by mistake (only while it has no stickers)."""
    room.delete_factor(session=session, review_id=access.review_id, factor_id=factor_id, user=access.viewer.user)
    return Response(status_code=204)


@api.post("/reviews/{review_id}/factors/merge", response_model=FactorOut)
def merge_factors(session: SessionDep, access: WriterDep, data: FactorMerge) -> FactorOut:
    """Merge duplicate factors into one; their stickers move along."""
    factor = room.merge_factors(session=session, review_id=access.review_id, data=data, user=access.viewer.user)
    return service.factor_out(factor)


# --- Joining from a phone -----------------------------------------------------------------------------------


@api.post("/join/check")
def check_code(request: Request, session: SessionDep, settings: SettingsDep, data: CodeCheck) -> dict[str, Any]:
    """Check a join code; answers who can still join (pseudonyms only). Wrong codes are rate-limited."""
    interview = open_by_code(request, session, settings, data.code)
    people = service.room_participants(session=session, interview=interview)
    return {"participants": [{"id": p["id"], "pseudonym": p["pseudonym"]} for p in people if not p["joined"]]}


@api.post("/join", response_model=JoinedOut)
def join(request: Request, session: SessionDep, settings: SettingsDep, data: JoinRequest) -> Response:
    """Join a group interview with the code and your name; sets the phone's cookie (no account needed)."""
    interview = open_by_code(request, session, settings, data.code)
    token, participant = service.join(session=session, interview=interview, participant_id=data.participant_id)
    body = JoinedOut(
        participant_id=participant.id or 0,
        pseudonym=participant.pseudonym,
        review_id=interview.review_id,
        group_interview_id=interview.id or 0,
        csrf_token=csrf_token(settings.resolved_secret_key(), token),
    )
    response = JSONResponse(body.model_dump())
    set_device_cookie(response, settings.secure_cookies, participant_cookie_name(settings), token)
    return response


def set_device_cookie(response: Response, secure: bool, name: str, token: str) -> None:
    """The phone's cookie: HttpOnly, SameSite=Lax, Secure over https; ends with the browser session."""
    response.set_cookie(name, token, httponly=True, samesite="lax", secure=secure, path="/")


@api.get("/participant/state")
def participant_state(session: SessionDep, settings: SettingsDep, device: DeviceDep) -> dict[str, Any]:
    """What this phone may see now: the step, factors, rounds, its own stickers, revealed results."""
    return room.room_snapshot(
        session=session,
        settings=settings,
        interview=device.interview,
        member=False,
        participant_id=device.participant.id,
    )


# --- Live streams -------------------------------------------------------------------------------------------


@api.get("/reviews/{review_id}/group-interview/stream")
def member_stream(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    access: MemberDep,
    resume: stream.ResumeFrom,
) -> StreamingResponse:
    """Server-Sent Events for the console and the shared screen (resume with Last-Event-ID)."""
    interview = service.get(session=session, review_id=access.review_id)
    interview_id, with_code = interview.id or 0, access.can_write

    def snapshot(db: Session) -> dict[str, Any]:
        found = db.get(type(interview), interview_id)
        assert found is not None
        return room.room_snapshot(session=db, settings=settings, interview=found, member=True, with_code=with_code)

    return stream.members_response(request, interview_id=interview_id, last_id=resume, snapshot=snapshot)


@api.get("/participant/stream")
def participant_stream(
    request: Request,
    settings: SettingsDep,
    device: DeviceDep,
    resume: stream.ResumeFrom,
) -> StreamingResponse:
    """Server-Sent Events for a phone: only what this participant may see; ends when access ends."""
    interview_id, participant_id = device.interview.id or 0, device.participant.id or 0
    token_hash = device.device.token_hash

    def allowed(db: Session) -> bool:
        row = db.get(ParticipantDevice, device.device.id)
        found = db.get(GroupInterview, interview_id)
        return (
            row is not None
            and row.token_hash == token_hash
            and row.revoked_at is None
            and found is not None
            and found.status == GroupInterviewStatus.open
        )

    def snapshot(db: Session) -> dict[str, Any]:
        found = db.get(GroupInterview, interview_id)
        assert found is not None
        return room.room_snapshot(
            session=db, settings=settings, interview=found, member=False, participant_id=participant_id
        )

    return stream.response(
        request,
        interview_id=interview_id,
        audiences=["all", f"participant:{participant_id}"],
        last_id=resume,
        snapshot=snapshot,
        still_allowed=allowed,
    )
