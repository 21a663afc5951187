"""The room: what every screen of a group interview renders from, and the changes that span its two areas.

``app.group_interview`` (the session, joining, proposals, factors) and ``app.voting`` (sticker rounds, built on
the first) import one way; what needs both lives here, above them: the snapshot (``RoomState``) and the factor
changes that move or check stickers.
"""

from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from app import audit, live
from app.audit import Actor
from app.auth.models import User
from app.config import Settings
from app.errors import Conflict, InvalidInput
from app.group_interview import service as rooms
from app.group_interview.models import Factor, GroupInterview, GroupInterviewStatus, RoomPurpose
from app.group_interview.schemas import FactorMerge, FactorOut, GroupInterviewOut, ProposalOut
from app.i18n import _
from app.live.models import EventKind
from app.participants.models import Participant
from app.share_back import service as share_back
from app.voting import service as voting
from app.voting.schemas import RoundOut


class RoomPerson(BaseModel):
    """Someone who may take part, and whether a phone joined for them (members only)."""

    id: int
    pseudonym: str
    role_category: str
    joined: bool


class RoomMe(BaseModel):
    """The participant a phone speaks for."""

    id: int
    pseudonym: str


class RoomState(BaseModel):
    """Everything a screen needs right now, for its audience (``to_json`` leaves out the other audiences' parts)."""

    interview: GroupInterviewOut
    factors: list[FactorOut]
    rounds: list[RoundOut]
    tallies: dict[str, list[dict[str, int]]]
    last_event_id: int
    participants: list[RoomPerson] | None = None  # members
    tablet_participant_id: int | None = None  # members
    proposals: list[ProposalOut] | None = None  # members: all; a phone: its own
    me: RoomMe | None = None  # a phone
    mine: dict[str, list[dict[str, int]]] | None = None  # a phone: its own stickers per round

    def to_json(self) -> dict[str, Any]:
        """The snapshot as the screens read it: only the parts for this audience (not the others' as null)."""
        return self.model_dump(mode="json", include=self.model_fields_set)


def room_snapshot(
    *,
    session: Session,
    settings: Settings,
    interview: GroupInterview,
    member: bool,
    with_code: bool = False,
    participant_id: int | None = None,
) -> dict[str, Any]:
    """The snapshot a screen of this room reads, as JSON: a room held for a share-back meeting answers that
    meeting's state, any other the group interview's (:func:`room_state`)."""
    if interview.purpose == RoomPurpose.share_back:
        return share_back.room_state(
            session=session, settings=settings, room=interview, member=member, participant_id=participant_id
        )
    return room_state(
        session=session,
        settings=settings,
        interview=interview,
        member=member,
        with_code=with_code,
        participant_id=participant_id,
    ).to_json()


def room_state(
    *,
    session: Session,
    settings: Settings,
    interview: GroupInterview,
    member: bool,
    with_code: bool = False,
    participant_id: int | None = None,
) -> RoomState:
    """Everything a screen needs right now, for its audience: members see more than phones, and the join code
    only ``with_code`` (owners and researchers: the console and the shared screen they put on the projector).

    Phones never get other people's stickers or, before the reveal, any tallies; anonymous rounds never
    tell anyone who placed which sticker.
    """
    review_id = interview.review_id
    sticker_rounds = voting.list_rounds(session=session, review_id=review_id)
    parts: dict[str, Any] = {
        "interview": rooms.interview_out(interview, settings, with_code=member and with_code),
        "factors": [rooms.factor_out(f) for f in rooms.list_factors(session=session, review_id=review_id)],
        "rounds": [voting.round_out(r) for r in sticker_rounds],
        "tallies": {
            str(r.id): voting.tally(session=session, round_id=r.id or 0) for r in sticker_rounds if member or r.revealed
        },
        "last_event_id": live.last_event_id(session, interview.id or 0),
    }
    if member:
        parts["participants"] = rooms.room_participants(session=session, interview=interview)
        parts["proposals"] = rooms.proposals(session=session, interview=interview)
        parts["tablet_participant_id"] = interview.tablet_participant_id
    if participant_id is not None:
        participant = session.get(Participant, participant_id)
        parts["me"] = RoomMe(id=participant_id, pseudonym=participant.pseudonym if participant else "")
        parts["mine"] = {
            str(r.id): voting.my_stickers(session=session, round_id=r.id or 0, participant_id=participant_id)
            for r in sticker_rounds
        }
        parts["proposals"] = rooms.proposals(session=session, interview=interview, participant_id=participant_id)
    return RoomState(**parts)


def merge_factors(*, session: Session, review_id: int, data: FactorMerge, user: User) -> Factor:
    """Merge duplicates into one factor; their stickers move to it (allowances are not re-checked)."""
    target = rooms.get_factor(session=session, review_id=review_id, factor_id=data.into_id)
    if target.merged_into_id is not None:
        raise Conflict(_("Merge into a factor that is not merged itself."))
    for factor_id in data.factor_ids:
        if factor_id == target.id:
            continue
        duplicate = rooms.get_factor(session=session, review_id=review_id, factor_id=factor_id)
        if duplicate.kind != target.kind:
            raise InvalidInput(_("Only factors of the same kind can be merged."))
        duplicate.merged_into_id = target.id
        session.add(duplicate)
        voting.move_stickers(session=session, from_factor_id=factor_id, to_factor_id=target.id or 0)
        rooms.emit_factor(session, duplicate)
    rooms.emit_factor(session, target)
    audit.record(
        session,
        actor=Actor.of(user),
        action="factor.merge",
        review_id=review_id,
        target=f"factor:{target.id}",
        detail=",".join(str(i) for i in data.factor_ids),
    )
    return target


def delete_factor(*, session: Session, review_id: int, factor_id: int, user: User) -> None:
    """Remove a factor named by mistake (only while no sticker is on it)."""
    factor = rooms.get_factor(session=session, review_id=review_id, factor_id=factor_id)
    if voting.factor_has_stickers(session=session, factor_id=factor_id):
        raise Conflict(_("This factor has stickers; merge it into another factor instead."))
    interview = rooms.current(session=session, review_id=review_id)
    session.delete(factor)
    if interview is not None and interview.status == GroupInterviewStatus.open:
        live.emit(session, interview.id or 0, EventKind.factor_removed, {"id": factor_id})
    audit.record(
        session, actor=Actor.of(user), action="factor.delete", review_id=review_id, target=f"factor:{factor_id}"
    )
