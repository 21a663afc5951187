"""HTTP routes of sticker rounds: create, open, close, reveal; stickers from phones, the tablet and paper."""

from collections.abc import Sequence

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.db import SessionDep
from app.db.batch import Entry, Step
from app.deps import MemberDep, PathId, WriterDep
from app.group_interview.deps import RoomActor, RoomReaderDep, RoomWrite, in_room_batch, in_room_bulk, room_writers
from app.lane import lean
from app.voting import service
from app.voting.schemas import (
    NamedResultOut,
    PaperCounts,
    PerspectiveOut,
    ResultOut,
    RoundCreate,
    RoundOut,
    StickerCreate,
    StickerOut,
)

api = APIRouter(tags=["sticker rounds"])


@api.get("/reviews/{review_id}/rounds", response_model=list[RoundOut])
def list_rounds(session: SessionDep, actor: RoomReaderDep) -> list[RoundOut]:
    """The sticker rounds of the review."""
    return [service.round_out(r) for r in service.list_rounds(session=session, review_id=actor.review_id)]


@api.post("/reviews/{review_id}/rounds", response_model=RoundOut, status_code=201)
def create_round(session: SessionDep, access: WriterDep, data: RoundCreate) -> RoundOut:
    """Prepare a round: kind, stickers per person (default 3), cap per factor (default 2), anonymous (default)."""
    return service.round_out(
        service.create_round(session=session, review_id=access.review_id, data=data, user=access.viewer.user)
    )


def _state_change(session: SessionDep, access: WriterDep, round_id: int, action: str) -> RoundOut:
    sticker_round = service.set_round_state(
        session=session, review_id=access.review_id, round_id=round_id, action=action, user=access.viewer.user
    )
    return service.round_out(sticker_round)


@api.post("/reviews/{review_id}/rounds/{round_id}/open", response_model=RoundOut)
def open_round(session: SessionDep, access: WriterDep, round_id: PathId) -> RoundOut:
    """Open the round: stickers can be placed, moved and taken back."""
    return _state_change(session, access, round_id, "open")


@api.post("/reviews/{review_id}/rounds/{round_id}/close", response_model=RoundOut)
def close_round(session: SessionDep, access: WriterDep, round_id: PathId) -> RoundOut:
    """Close the round: stickers are final."""
    return _state_change(session, access, round_id, "close")


@api.post("/reviews/{review_id}/rounds/{round_id}/reveal", response_model=RoundOut)
def reveal_round(session: SessionDep, access: WriterDep, round_id: PathId) -> RoundOut:
    """Reveal the results to everyone in the room."""
    return _state_change(session, access, round_id, "reveal")


@api.post("/reviews/{review_id}/rounds/{round_id}/stickers", response_model=StickerOut, status_code=201)
@lean  # the busiest route of a room: served by app.lane
async def place_sticker(request: Request, review_id: PathId, round_id: PathId, data: StickerCreate) -> Response:
    """Place a sticker: a phone for its participant; a researcher for the person holding the tablet."""
    # The busiest route of a room: stickers that arrive together are decided and stored together (_place_batch).
    placed: service.Placed = await in_room_bulk(request, review_id, _place_batch, (round_id, data))
    body = StickerOut(id=placed.id, round_id=round_id, factor_id=placed.factor_id).model_dump()
    return JSONResponse(body, status_code=201 if placed.created else 200)


def _place_batch(session: Session, entries: Sequence[Entry[RoomWrite[tuple[int, StickerCreate]]]]) -> None:
    """The stickers of one group commit: who asks (every phone with one query), for whom, then all of them at once."""
    wishes = []
    for entry, actor in zip(entries, room_writers(session, entries), strict=True):
        if actor is None:
            continue
        round_id, data = entry.request.payload
        wish = entry.attempt(
            service.sticker_wish,
            session=session,
            review_id=actor.review_id,
            round_id=round_id,
            phone_participant_id=actor.participant_id,
            data=data,
        )
        if wish is not None:
            wishes.append((wish, entry))
    service.place_stickers(session=session, wishes=wishes)


@api.delete("/reviews/{review_id}/rounds/{round_id}/stickers/{sticker_id}", status_code=204)
@lean
async def take_back(request: Request, review_id: PathId, round_id: PathId, sticker_id: PathId) -> Response:
    """Take one of your own stickers back while the round is open."""

    def take(session: Session, actor: RoomActor) -> Step[None]:
        return service.take_back_from_room(
            session=session,
            review_id=review_id,
            round_id=round_id,
            sticker_id=sticker_id,
            phone_participant_id=actor.participant_id,
        )

    await in_room_batch(request, review_id, take)
    return Response(status_code=204)


@api.get("/reviews/{review_id}/rounds/{round_id}/results", response_model=list[ResultOut])
def round_results(session: SessionDep, actor: RoomReaderDep, round_id: PathId) -> list[ResultOut]:
    """Stickers per factor: to members at any time, to participants after the reveal."""
    member = actor.access is not None
    return service.visible_results(session=session, review_id=actor.review_id, round_id=round_id, member=member)


@api.get("/reviews/{review_id}/rounds/{round_id}/perspectives", response_model=list[PerspectiveOut])
def round_perspectives(session: SessionDep, access: MemberDep, round_id: PathId) -> list[PerspectiveOut]:
    """Stickers per factor for each side (family, professionals); null for a side with fewer than 3 voters."""
    return service.perspectives(session=session, review_id=access.review_id, round_id=round_id)


@api.get("/reviews/{review_id}/rounds/{round_id}/named-results", response_model=list[NamedResultOut])
def named_results(session: SessionDep, access: MemberDep, round_id: PathId) -> list[NamedResultOut]:
    """Who placed how many stickers per factor: only for rounds that were named from the start."""
    service.get_round(session=session, review_id=access.review_id, round_id=round_id)
    return service.named_results(session=session, round_id=round_id)


@api.get("/reviews/{review_id}/rounds/{round_id}/tablet", response_model=list[StickerOut])
def tablet_stickers(session: SessionDep, access: WriterDep, round_id: PathId) -> list[StickerOut]:
    """The stickers of the person now holding the tablet (only theirs, only while they hold it)."""
    mine = service.tablet_stickers(session=session, review_id=access.review_id, round_id=round_id)
    return [StickerOut(id=s["id"], round_id=round_id, factor_id=s["factor_id"]) for s in mine]


@api.post("/reviews/{review_id}/rounds/{round_id}/paper", status_code=204)
def paper_stickers(session: SessionDep, access: WriterDep, round_id: PathId, data: PaperCounts) -> Response:
    """Type in stickers counted on paper (per participant, or per factor unnamed); each count replaces the last."""
    service.record_paper(
        session=session, review_id=access.review_id, round_id=round_id, data=data, user=access.viewer.user
    )
    return Response(status_code=204)
