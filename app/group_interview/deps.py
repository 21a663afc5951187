"""Who acts in the room: a review member, or a participant's phone (a cookie valid for one open group interview)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.db import SessionDep, run_transaction
from app.db.batch import Entry, Step, Work, writer
from app.deps import (
    PathId,
    ReviewAccess,
    SettingsDep,
    bearer_token,
    load_access,
    participant_cookie_name,
    resolve_viewer,
    session_cookie_name,
)
from app.errors import Forbidden, NotAuthenticated, NotFound
from app.group_interview import service
from app.group_interview.models import GroupInterview, RoomPurpose
from app.group_interview.service import Device
from app.i18n import _
from app.security import can_write

T = TypeVar("T")
P = TypeVar("P")


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
    phone: service.Phone | None = None  # instead of ``device`` on the hot writes (resolve_room_writer)

    @property
    def participant_id(self) -> int | None:
        """The participant acting, when a phone acts."""
        if self.phone is not None:
            return self.phone.participant_id
        return self.device.participant.id if self.device else None


@dataclass(frozen=True)
class RoomCredentials:
    """What a request into the room carries: a bearer token, a browser session, or a phone's cookie."""

    bearer: str | None
    web: str | None
    phone: str | None

    @classmethod
    def of(cls, request: Request) -> "RoomCredentials":
        settings: Settings = request.app.state.settings
        return cls(
            bearer=bearer_token(request),
            web=request.cookies.get(session_cookie_name(settings)),
            phone=request.cookies.get(participant_cookie_name(settings)),
        )


def _check_own_room(joined: tuple[int, RoomPurpose], review_id: int, room: RoomPurpose) -> None:
    """A phone acts only in the room it ``joined`` (review, purpose): another review's phone gets 404, a phone of
    the review's other room (the share-back meeting, or the group interview) is told to join this one (403)."""
    joined_review, joined_room = joined
    if joined_review != review_id:
        raise NotFound(_("This review does not exist or you have no access to it."))
    if joined_room != room:
        if room == RoomPurpose.share_back:
            raise Forbidden(_("Join the share-back meeting with the code on the screen."))
        raise Forbidden(_("Join the group interview with the code on the screen."))


def resolve_room_actor(
    session: Session,
    settings: Settings,
    credentials: RoomCredentials,
    review_id: int,
    *,
    write: bool,
    room: RoomPurpose = RoomPurpose.group_interview,
) -> RoomActor:
    """A member of the review (readers only when not ``write``: 403), else a phone joined to its ``room`` (the
    group interview, or the share-back meeting; a phone of the review's other room gets 403); 404/401 otherwise."""
    viewer = resolve_viewer(session, settings, credentials.bearer, credentials.web)
    if viewer is not None:
        access = load_access(session, viewer, review_id)
        if write and not can_write(access.role):
            raise Forbidden(_("Readers can look but not change anything in this review."))
        return RoomActor(review_id=review_id, access=access, device=None)
    device = service.resolve_device(session=session, token=credentials.phone) if credentials.phone else None
    if device is not None:
        _check_own_room((device.interview.review_id, device.interview.purpose), review_id, room)
        return RoomActor(review_id=review_id, access=None, device=device)
    raise NotAuthenticated(_("Please log in."))


def _room_writer(session: Session, write: "RoomWrite[Any]", phones: dict[str, service.Phone]) -> RoomActor:
    """:func:`resolve_room_actor` with ``write`` for one of the room's hot writes: a phone (a request with only
    a phone's cookie) is looked up in ``phones`` (read for the whole batch at once), and the actor carries its
    participant and no loaded rows."""
    credentials = write.credentials
    if credentials.bearer is None and credentials.web is None and credentials.phone:
        phone = phones.get(credentials.phone)
        if phone is None:
            raise NotAuthenticated(_("Please log in."))
        _check_own_room((phone.review_id, phone.purpose), write.review_id, RoomPurpose.group_interview)  # stickers
        return RoomActor(review_id=write.review_id, access=None, device=None, phone=phone)
    return resolve_room_actor(session, write.settings, credentials, write.review_id, write=True)


@dataclass(frozen=True)
class RoomWrite(Generic[P]):
    """One of the room's hot writes as its batch sees it: who asks, in which review, and what (``payload``)."""

    credentials: RoomCredentials
    settings: Settings
    review_id: int
    payload: P


def room_writers(session: Session, entries: Sequence[Entry[RoomWrite[Any]]]) -> list[RoomActor | None]:
    """Who asks, for every write of a batch (as :func:`room_actor` checks it, members who may write and joined
    phones): every phone with one query, members one by one. A refusal (401/403/404) is its entry's answer, and
    None its actor here."""
    tokens = {
        entry.request.credentials.phone
        for entry in entries
        if entry.request.credentials.phone and not (entry.request.credentials.bearer or entry.request.credentials.web)
    }
    phones = service.resolve_phones(session=session, tokens=tokens) if tokens else {}
    return [entry.attempt(_room_writer, session, entry.request, phones) for entry in entries]


async def _in_room(request: Request, session: Session, review_id: int, *, write: bool) -> RoomActor:
    credentials = RoomCredentials.of(request)
    settings: Settings = request.app.state.settings
    return await run_in_threadpool(partial(resolve_room_actor, write=write), session, settings, credentials, review_id)


async def room_reader(request: Request, session: SessionDep, review_id: PathId) -> RoomActor:
    """Any member (readers too) or a joined phone of this review; others get 404/401."""
    return await _in_room(request, session, review_id, write=False)


async def room_actor(request: Request, session: SessionDep, review_id: PathId) -> RoomActor:
    """Members who may write (owner, researcher) and the joined phones of this review; readers get 403."""
    return await _in_room(request, session, review_id, write=True)


RoomActorDep = Annotated[RoomActor, Depends(room_actor)]
RoomReaderDep = Annotated[RoomActor, Depends(room_reader)]


async def in_room(
    request: Request,
    review_id: int,
    work: Callable[[Session, RoomActor], T],
    room: RoomPurpose = RoomPurpose.group_interview,
) -> T:
    """Run ``work`` for a member who may write or a phone joined to ``room``, with its access check, as one
    transaction.

    The hot routes of the room (stickers) use this instead of ``RoomActorDep``: the same check, but the whole
    request does its database work in one trip to the thread pool (see ``app.db.run_transaction``).
    """
    credentials = RoomCredentials.of(request)
    settings: Settings = request.app.state.settings

    def transaction(session: Session) -> T:
        actor = resolve_room_actor(session, settings, credentials, review_id, write=True, room=room)
        return work(session, actor)

    return await run_transaction(request.app, transaction)


async def in_room_batch(request: Request, review_id: int, work: Callable[[Session, RoomActor], Step[T]]) -> T:
    """Like :func:`in_room`, but the write joins the process's next group commit (``app.db.batch``): requests
    that arrive together share one thread hop and one transaction, each in its own savepoint, and each is
    answered after that commit. ``work`` checks what it needs and returns the write as a :class:`Step`."""
    credentials = RoomCredentials.of(request)
    settings: Settings = request.app.state.settings

    def job(session: Session) -> Step[T]:
        phones = service.resolve_phones(session=session, tokens={credentials.phone}) if credentials.phone else {}
        return work(session, _room_writer(session, RoomWrite(credentials, settings, review_id, None), phones))

    return await writer(request.app).run_job(job)


async def in_room_bulk(request: Request, review_id: int, work: Work, payload: object) -> Any:
    """Hand one of the room's hot writes to the process's next group commit (``app.db.batch``) as a
    :class:`RoomWrite` for ``work``, which checks who asks for the whole batch at once (:func:`room_writers`) and
    decides every request of it together; answered once that batch is committed."""
    write = RoomWrite(RoomCredentials.of(request), request.app.state.settings, review_id, payload)
    return await writer(request.app).submit(work, write)


def open_by_code(request: Request, session: Session, settings: Settings, code: str) -> GroupInterview:
    """The open group interview a join code names; 404 for a wrong code (counted by the join rate limits)."""
    interview = service.check_code(
        session=session,
        settings=settings,
        code=code,
        client=request.client.host if request.client else "unknown",
        limiter=request.app.state.join_limiter,
        global_limiter=request.app.state.join_global_limiter,
    )
    if interview is None:
        raise NotFound(_("This code is not valid, or the group interview is not open."))
    return interview
