"""Who acts in the room: a review member, or a participant's phone (a cookie valid for one open group interview)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.db import SessionDep
from app.deps import OptionalViewerDep, PathId, ReviewAccess, SettingsDep, load_access, participant_cookie_name
from app.errors import Forbidden, NotAuthenticated, NotFound
from app.group_interview import service
from app.group_interview.service import Device
from app.i18n import _
from app.security import can_write


async def optional_device(request: Request, session: SessionDep, settings: SettingsDep) -> Device | None:
    """The joined participant behind this phone, if its cookie is valid and the group interview open."""
    token = request.cookies.get(participant_cookie_name(settings))
    if not token:
        return None
    return await run_in_threadpool(lambda: service.resolve_device(session=session, token=token))


OptionalDeviceDep = Annotated[Device | None, Depends(optional_device)]


async def current_device(device: OptionalDeviceDep) -> Device:
    """A joined participant; 401 otherwise (the group interview closed, or the device was released)."""
    if device is None:
        raise NotAuthenticated(_("Join the group interview with the code on the screen."))
    return device


DeviceDep = Annotated[Device, Depends(current_device)]


@dataclass
class RoomActor:
    """A member who may write, or a participant of this review's open group interview."""

    review_id: int
    access: ReviewAccess | None
    device: Device | None

    @property
    def participant_id(self) -> int | None:
        """The participant acting, when a phone acts."""
        return self.device.participant.id if self.device else None


async def room_reader(
    session: SessionDep, viewer: OptionalViewerDep, device: OptionalDeviceDep, review_id: PathId
) -> RoomActor:
    """Any member (readers too) or a joined phone of this review; others get 404/401."""
    if viewer is not None:
        access = await run_in_threadpool(load_access, session, viewer, review_id)
        return RoomActor(review_id=review_id, access=access, device=None)
    if device is not None:
        if device.interview.review_id != review_id:
            raise NotFound(_("This review does not exist or you have no access to it."))
        return RoomActor(review_id=review_id, access=None, device=device)
    raise NotAuthenticated(_("Please log in."))


async def room_actor(actor: Annotated[RoomActor, Depends(room_reader)]) -> RoomActor:
    """Members who may write (owner, researcher) and the joined phones of this review; readers get 403."""
    if actor.access is not None and not can_write(actor.access.role):
        raise Forbidden(_("Readers can look but not change anything in this review."))
    return actor


RoomActorDep = Annotated[RoomActor, Depends(room_actor)]
RoomReaderDep = Annotated[RoomActor, Depends(room_reader)]
