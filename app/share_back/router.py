"""HTTP routes of the share-back meeting: running it, reactions from phones, decisions, its live stream."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.db import SessionDep
from app.deps import MemberDep, PathId, SettingsDep, WriterDep
from app.errors import NotFound
from app.group_interview import codes
from app.group_interview.deps import RoomActor, in_room
from app.group_interview.models import GroupInterview, RoomPurpose
from app.i18n import _
from app.live import stream
from app.share_back import service
from app.share_back.models import ShareBackMeeting
from app.share_back.schemas import (
    DecisionIn,
    DecisionOut,
    MeetingOut,
    NewFinding,
    ReactionIn,
    ReactionOut,
    StepTo,
    TabletIn,
    TallyOut,
)

api = APIRouter(tags=["share-back meeting"])
S = "/reviews/{review_id}/share-back"


@api.post(S, response_model=MeetingOut, status_code=201)
def create_meeting(session: SessionDep, settings: SettingsDep, access: WriterDep) -> MeetingOut:
    """Prepare the share-back meeting (once the findings tree has findings); answers its own join code."""
    meeting = service.create(session=session, settings=settings, review_id=access.review_id, user=access.viewer.user)
    _meeting, room = service.get(session=session, review_id=access.review_id)
    return service.meeting_out(meeting, room, settings, member=True)


@api.get(S, response_model=MeetingOut)
def read_meeting(session: SessionDep, settings: SettingsDep, access: MemberDep) -> MeetingOut:
    """The review's share-back meeting."""
    meeting, room = service.get(session=session, review_id=access.review_id)
    return service.meeting_out(meeting, room, settings, member=True)


@api.post(S + "/open", response_model=MeetingOut)
def open_meeting(session: SessionDep, settings: SettingsDep, access: WriterDep) -> MeetingOut:
    """Open it: consented participants join from their phone with its code."""
    meeting, room = service.open_meeting(session=session, review_id=access.review_id, user=access.viewer.user)
    return service.meeting_out(meeting, room, settings, member=True)


@api.post(S + "/close", response_model=MeetingOut)
def close_meeting(session: SessionDep, settings: SettingsDep, access: WriterDep) -> MeetingOut:
    """Close it: every phone's access ends; reactions and decisions stay."""
    meeting, room = service.close_meeting(session=session, review_id=access.review_id, user=access.viewer.user)
    return service.meeting_out(meeting, room, settings, member=True)


@api.post(S + "/show", response_model=MeetingOut)
def show_finding(session: SessionDep, settings: SettingsDep, access: WriterDep, data: StepTo) -> MeetingOut:
    """Step to a finding on the shared screen and the phones (``node_id`` null: the success)."""
    review_id = access.review_id
    meeting = service.show(session=session, review_id=review_id, node_id=data.node_id, user=access.viewer.user)
    _meeting, room = service.get(session=session, review_id=review_id)
    return service.meeting_out(meeting, room, settings, member=True)


@api.post(S + "/tablet", status_code=204)
def pass_tablet(session: SessionDep, access: WriterDep, data: TabletIn) -> Response:
    """Pass the tablet: choose who reacts next on the room's one device."""
    service.set_tablet(session=session, review_id=access.review_id, participant_id=data.participant_id)
    return Response(status_code=204)


@api.post(S + "/reactions", response_model=ReactionOut, status_code=201)
async def react(request: Request, review_id: PathId, data: ReactionIn) -> ReactionOut:
    """React to a finding from a phone (or the tablet, for its holder): agree, partly or disagree, with an optional
    short comment. One per person per finding; a retry with the same ``client_key`` counts once."""

    def work(session: Session, actor: RoomActor) -> ReactionOut:
        return service.react(session=session, actor=actor, data=data)

    return await in_room(request, review_id, work, RoomPurpose.share_back)


@api.get(S + "/summary", response_model=list[TallyOut])
def summary(session: SessionDep, access: MemberDep) -> list[TallyOut]:
    """Per finding the counts and the comments; never who reacted."""
    return service.summary(session=session, review_id=access.review_id)


@api.post(S + "/nodes/{node_id}/decision", response_model=DecisionOut)
def decide(session: SessionDep, access: WriterDep, node_id: PathId, data: DecisionIn) -> DecisionOut:
    """Decide on a finding: kept, rephrased (the node edited in place, versioned ``share-back``) or removed."""
    return service.decide(
        session=session, review_id=access.review_id, node_id=node_id, data=data, user=access.viewer.user
    )


@api.post(S + "/findings", response_model=DecisionOut, status_code=201)
def add_finding(session: SessionDep, access: WriterDep, data: NewFinding) -> DecisionOut:
    """Add a finding the room missed to the tree, recorded as decided at this meeting."""
    return service.add_finding(session=session, review_id=access.review_id, data=data, user=access.viewer.user)


@api.get(S + "/state")
def member_state(session: SessionDep, settings: SettingsDep, access: MemberDep) -> dict[str, Any]:
    """Everything the console and the shared screen show now."""
    meeting, room = service.get(session=session, review_id=access.review_id)
    return service.member_state(session=session, settings=settings, meeting=meeting, room=room)


@api.get(S + "/qr.svg")
def join_qr(session: SessionDep, settings: SettingsDep, access: MemberDep) -> Response:
    """A QR code of the meeting's join URL, for the shared screen."""
    meeting, room = service.get(session=session, review_id=access.review_id)
    out = service.meeting_out(meeting, room, settings, member=True)
    if out.join_url is None:
        raise NotFound(_("Joining is closed."))
    return Response(codes.qr_svg(out.join_url), media_type="image/svg+xml", headers={"cache-control": "no-store"})


@api.get(S + "/stream")
def member_stream(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    access: MemberDep,
    resume: stream.ResumeFrom,
) -> StreamingResponse:
    """Server-Sent Events for the console and the shared screen: live reaction tallies, decisions, steps."""
    meeting, room = service.get(session=session, review_id=access.review_id)
    meeting_id, room_id = meeting.id or 0, room.id or 0

    def snapshot(db: Session) -> dict[str, Any]:
        found, found_room = db.get(ShareBackMeeting, meeting_id), db.get(GroupInterview, room_id)
        assert found is not None and found_room is not None
        return service.member_state(session=db, settings=settings, meeting=found, room=found_room)

    return stream.members_response(request, interview_id=room_id, last_id=resume, snapshot=snapshot)
