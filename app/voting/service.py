"""Use cases of sticker rounds: allowances enforced by the server, anonymity enforced by the server.

Concurrency: on SQLite every write transaction starts with BEGIN IMMEDIATE, so checks and inserts of
concurrent stickers run one after another. On PostgreSQL, transaction-scoped advisory locks, taken before
anything is read: a sticker holds its round *shared* and its participant *exclusively* (one participant's
stickers one after another, so the allowance holds; different participants in parallel), while opening,
closing, revealing and paper counts hold the round exclusively (they wait for stickers in flight, and
stickers wait for them). The tally is counted under the group interview's event lock (``live.lock``), so
the last tally sent includes every sticker committed before it. Either way a participant can never exceed
their allowance, however many phones tap at once.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import String, and_, cast, delete, func, text, type_coerce, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from app import audit, live
from app.audit import Actor
from app.auth.models import User
from app.db import of_review
from app.db.base import SEPARATOR, Joined, OneOf, insert_many, utcnow
from app.db.batch import Entry, Step, at_end
from app.db.locks import LockKey
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.group_interview import service as rooms
from app.group_interview.models import Factor, GroupInterviewStatus
from app.i18n import _
from app.live.models import EventKind
from app.participants.models import Participant, RoleCategory
from app.voting.models import RoundStatus, Sticker, StickerRound, StickerSource
from app.voting.schemas import (
    NamedResultOut,
    PaperCounts,
    PerspectiveOut,
    ResultOut,
    RoundCreate,
    RoundOut,
    StickerCreate,
)

_ROUND_LOCK = text(f"SELECT pg_advisory_xact_lock({LockKey.sticker_round.value}, :r)")
_PARTICIPANT_LOCK = text(
    f"SELECT pg_advisory_xact_lock_shared({LockKey.sticker_round.value}, :r), "
    f"pg_advisory_xact_lock({LockKey.participant.value}, :p)"
)
# The same for every (round, participant) pair of a batch, in the order given (unnest yields the arrays in order).
_PARTICIPANT_LOCKS = text(
    f"SELECT pg_advisory_xact_lock_shared({LockKey.sticker_round.value}, r), "
    f"pg_advisory_xact_lock({LockKey.participant.value}, p) "
    "FROM unnest(CAST(:rounds AS integer[]), CAST(:participants AS integer[])) AS pairs(r, p)"
)
# The queries of every sticker placed, built once (building a statement costs more than SQLite running it).
_STICKERS = SQLModel.metadata.tables[Sticker.__tablename__]
# Stickers per factor of each round asked for (the round's kind, merged factors left out), in one query.
_TALLIES = (
    select(StickerRound.id, Factor.id, func.count(col(Sticker.id)))
    .join(
        Factor,
        and_(
            col(Factor.review_id) == col(StickerRound.review_id),
            col(Factor.kind) == col(StickerRound.kind),
            col(Factor.merged_into_id).is_(None),
        ),
    )
    .outerjoin(Sticker, and_(col(Sticker.factor_id) == col(Factor.id), col(Sticker.round_id) == col(StickerRound.id)))
    .where(OneOf(col(StickerRound.id), "round_ids"))
    .group_by(col(StickerRound.id), col(Factor.id))
)
# A batch's rounds and the factors its stickers go on, in one query (an unknown factor: no factor in the row).
_ROUNDS_AND_FACTORS = (
    select(StickerRound, Factor)
    .outerjoin(Factor, OneOf(col(Factor.id), "factor_ids"))
    .where(OneOf(col(StickerRound.id), "round_ids"))
)
# What the batch's participants have placed so far: one row per (round, participant), their stickers folded into
# one text by the database ("id:factor:source:client key", joined with db.base.SEPARATOR, which no stored text
# holds; the client key comes last, so even a ':' in it splits back right).
# A row per sticker cost the thread a release of the GIL per row fetched, and with the event loop busy each one
# waited for the loop's switch interval. Through the (round, participant, client key) index, never every sticker
# of the round (no ORDER BY: ordering by id made SQLite walk the whole round).
_PLACED = (
    sa_select(
        _STICKERS.c.round_id,
        _STICKERS.c.participant_id,
        Joined(
            cast(_STICKERS.c.id, String)
            + ":"
            + cast(_STICKERS.c.factor_id, String)
            + ":"
            + type_coerce(_STICKERS.c.source, String)
            + ":"
            + func.coalesce(_STICKERS.c.client_key, "")
        ),
    )
    .where(OneOf(_STICKERS.c.round_id, "round_ids"), OneOf(_STICKERS.c.participant_id, "participant_ids"))
    .group_by(_STICKERS.c.round_id, _STICKERS.c.participant_id)
)
# A batch's stickers are inserted with one statement (db.base.insert_many), RETURNING what tells the rows apart
# instead of asking for the rows' order: SQLite cannot promise an order (SQLAlchemy then inserts one row per
# statement). Two new stickers that cannot be told apart are the same participant's on the same factor through the
# same source without a client key, so which id goes to which request does not matter.
_RETURNED = ("id", "round_id", "participant_id", "factor_id", "client_key", "source")


@dataclass(frozen=True)
class Placed:
    """A sticker just placed (``created``), or the one already placed with the same client key."""

    id: int
    factor_id: int
    created: bool


def round_out(sticker_round: StickerRound) -> RoundOut:
    """A round as the API shows it."""
    return RoundOut.model_validate(sticker_round, from_attributes=True)


def _lock_round(session: Session, round_id: int) -> None:
    """PostgreSQL: the round exclusively (state changes, paper counts)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_ROUND_LOCK, {"r": round_id})


def _lock_own_stickers(session: Session, round_id: int, participant_id: int) -> None:
    """PostgreSQL: the round shared and one participant's stickers exclusively (placing, taking back)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_PARTICIPANT_LOCK, {"r": round_id, "p": participant_id})


def get_round(*, session: Session, review_id: int, round_id: int) -> StickerRound:
    """One round of this review."""
    return of_review(session, StickerRound, round_id, review_id, missing=_("This sticker round does not exist."))


def list_rounds(*, session: Session, review_id: int) -> list[StickerRound]:
    """The review's rounds, oldest first."""
    return list(
        session.exec(select(StickerRound).where(StickerRound.review_id == review_id).order_by(col(StickerRound.id)))
    )


def _emit_round(session: Session, sticker_round: StickerRound) -> None:
    live.emit(
        session, sticker_round.group_interview_id, EventKind.round, round_out(sticker_round).model_dump(mode="json")
    )


def create_round(*, session: Session, review_id: int, data: RoundCreate, user: User) -> StickerRound:
    """Prepare a round; anonymity and allowances are fixed before it opens."""
    interview = rooms.get(session=session, review_id=review_id)
    if interview.status != GroupInterviewStatus.open:
        raise Conflict(_("The group interview is not open."))
    sticker_round = StickerRound(review_id=review_id, group_interview_id=interview.id or 0, **data.model_dump())
    session.add(sticker_round)
    session.flush()
    _emit_round(session, sticker_round)
    audit.record(
        session, actor=Actor.of(user), action="round.create", review_id=review_id, target=f"round:{sticker_round.id}"
    )
    return sticker_round


def set_round_state(*, session: Session, review_id: int, round_id: int, action: str, user: User) -> StickerRound:
    """Open, close or reveal a round (reveal shows the results to everyone)."""
    _lock_round(session, round_id)  # before reading: the round as it is once stickers in flight are stored
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    if action == "open":
        if sticker_round.status != RoundStatus.draft:
            raise Conflict(_("Only a prepared round can be opened."))
        others = [r for r in list_rounds(session=session, review_id=review_id) if r.status == RoundStatus.open]
        if others:
            raise Conflict(_("Close the open round first."))
        sticker_round.status = RoundStatus.open
    elif action == "close":
        if sticker_round.status != RoundStatus.open:
            raise Conflict(_("Only an open round can be closed."))
        sticker_round.status = RoundStatus.closed
    elif action == "reveal":
        if sticker_round.status == RoundStatus.draft:
            raise Conflict(_("Open the round before revealing its results."))
        sticker_round.revealed = True
    else:
        raise NotFound(_("This action does not exist."))
    session.add(sticker_round)
    _emit_round(session, sticker_round)
    if sticker_round.revealed:
        live.emit(
            session,
            sticker_round.group_interview_id,
            EventKind.tally,
            {"round_id": round_id, "results": tally(session=session, round_id=round_id)},
        )
    audit.record(
        session, actor=Actor.of(user), action=f"round.{action}", review_id=review_id, target=f"round:{round_id}"
    )
    return sticker_round


def tally(*, session: Session, round_id: int) -> list[dict[str, int]]:
    """Stickers per factor in a round, most first (factors without stickers included), as plain rows."""
    return _tallies(session, [round_id]).get(round_id, [])


def _tallies(session: Session, round_ids: Sequence[int]) -> dict[int, list[dict[str, int]]]:
    """:func:`tally` of several rounds with one query."""
    found: dict[int, list[dict[str, int]]] = {round_id: [] for round_id in round_ids}
    for round_id, factor_id, stickers in session.execute(_TALLIES, {"round_ids": list(round_ids)}):
        found.setdefault(round_id, []).append({"factor_id": factor_id, "stickers": int(stickers)})
    return {r: sorted(rows, key=lambda row: (-row["stickers"], row["factor_id"])) for r, rows in found.items()}


def sticker_total(*, session: Session, review_id: int) -> int:
    """How many stickers were placed in all of a review's rounds (the denominator of a sticker share)."""
    return int(session.exec(select(func.count()).select_from(Sticker).where(Sticker.review_id == review_id)).one())


def results(*, session: Session, round_id: int) -> list[ResultOut]:
    """Stickers per factor in a round, most first, as the API shows them."""
    return [ResultOut(**row) for row in tally(session=session, round_id=round_id)]


def visible_results(*, session: Session, review_id: int, round_id: int, member: bool) -> list[ResultOut]:
    """The results as someone in the room may see them: members at any time, participants after the reveal."""
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    if not member and not sticker_round.revealed:
        raise Forbidden(_("The results are shown once the facilitator reveals them."))
    return results(session=session, round_id=round_id)


def tablet_stickers(*, session: Session, review_id: int, round_id: int) -> list[dict[str, int]]:
    """The stickers of the person now holding the tablet (only theirs, only while they hold it)."""
    holder = rooms.get(session=session, review_id=review_id).tablet_participant_id
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    if holder is None:
        return []
    # In an anonymous round the facilitator sees only what was placed on the tablet, never a phone's stickers.
    source = StickerSource.tablet if sticker_round.anonymous else None
    return my_stickers(session=session, round_id=round_id, participant_id=holder, source=source)


MIN_VOTERS_PER_SIDE = 3
"""A side's count is shown only with at least this many voters, so no one's vote can be inferred."""
FAMILY = frozenset({RoleCategory.parent, RoleCategory.child, RoleCategory.family_network})


def perspectives(*, session: Session, review_id: int, round_id: int) -> list[PerspectiveOut]:
    """Per factor, the stickers of the family's side and of the professionals' side (rounds created with
    ``perspectives``); a side with fewer than 3 voters in the round is null ("too few to show"). Unnamed paper
    stickers belong to neither side."""
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    if not sticker_round.perspectives:
        raise Conflict(_("This round was not set up to count per side (family and professionals)."))
    rows = session.exec(
        select(Sticker.factor_id, Sticker.participant_id, Participant.role_category)
        .join(Participant, col(Participant.id) == col(Sticker.participant_id))
        .where(Sticker.round_id == round_id)
    ).all()
    counts: dict[int, Counter[str]] = {}
    voters: dict[str, set[int]] = {"family": set(), "professional": set()}
    for factor_id, participant_id, category in rows:
        side = "family" if category in FAMILY else "professional"
        voters[side].add(participant_id or 0)
        counts.setdefault(factor_id, Counter())[side] += 1
    shown = {side: len(ids) >= MIN_VOTERS_PER_SIDE for side, ids in voters.items()}
    return [
        PerspectiveOut(
            factor_id=r.factor_id,
            family=counts.get(r.factor_id, Counter())["family"] if shown["family"] else None,
            professional=counts.get(r.factor_id, Counter())["professional"] if shown["professional"] else None,
        )
        for r in results(session=session, round_id=round_id)
    ]


def named_results(*, session: Session, round_id: int) -> list[NamedResultOut]:
    """Per factor, who placed how many stickers; refused for anonymous rounds."""
    sticker_round = session.get(StickerRound, round_id)
    if sticker_round is None or sticker_round.anonymous:
        raise Forbidden(_("This round is anonymous: nobody can see who placed which sticker."))
    names = {
        p.id: p.pseudonym
        for p in session.exec(select(Participant).where(Participant.review_id == sticker_round.review_id))
    }
    by: dict[int, Counter[str]] = {}
    for factor_id, participant_id in session.exec(
        select(Sticker.factor_id, Sticker.participant_id).where(Sticker.round_id == round_id)
    ):
        by.setdefault(factor_id, Counter())[
            names.get(participant_id, _("paper")) if participant_id else _("paper")
        ] += 1
    return [
        NamedResultOut(factor_id=r.factor_id, stickers=r.stickers, by=dict(by.get(r.factor_id, Counter())))
        for r in results(session=session, round_id=round_id)
    ]


def my_stickers(
    *, session: Session, round_id: int, participant_id: int, source: StickerSource | None = None
) -> list[dict[str, int]]:
    """One participant's own stickers in a round (only those placed through ``source``, when given)."""
    query = select(Sticker.id, Sticker.factor_id).where(
        Sticker.round_id == round_id, Sticker.participant_id == participant_id
    )
    if source is not None:
        query = query.where(Sticker.source == source)
    # Sorted here, not by the database: see _PLACED.
    return [{"id": i or 0, "factor_id": f} for i, f in sorted(session.exec(query).all(), key=lambda row: row[0] or 0)]


def _after_change(
    session: Session, sticker_round: StickerRound, participants: dict[int, list[dict[str, int]] | None]
) -> None:
    """Tell the room the round's new tally, and each of ``participants`` their own stickers (the list, where the
    caller knows it; None: read it).

    Once per batch of stickers (``app.db.batch``), just before the commit, for every round the batch changed
    together: the tallies counted after the last sticker with one query, the lists not known with another, all
    events appended with one statement; outside a batch, at once.
    """
    due: dict[int, tuple[StickerRound, dict[int, list[dict[str, int]] | None]]] = session.info.setdefault(
        _UPDATES_DUE, {}
    )
    due.setdefault(sticker_round.id or 0, (sticker_round, {}))[1].update(participants)
    at_end(session, (_UPDATES_DUE,), _send_updates)


_UPDATES_DUE = "sticker_updates_due"


def _send_updates(session: Session) -> None:
    """The tallies and the phones' own lists of every round registered by :func:`_after_change`."""
    due: dict[int, tuple[StickerRound, dict[int, list[dict[str, int]] | None]]] = session.info.pop(_UPDATES_DUE, {})
    if not due:
        return
    # First: the tallies then count every sticker committed before them (see live.lock).
    live.lock_all(session, {sticker_round.group_interview_id for sticker_round, _lists in due.values()})
    counts = _tallies(session, sorted(due))
    unknown = {(r, p) for r, (_round, lists) in due.items() for p, stickers in lists.items() if stickers is None}
    for (round_id, participant_id), theirs in (_placed_so_far(session, unknown) if unknown else {}).items():
        due[round_id][1][participant_id] = theirs.listed()
    events: list[live.Event] = []
    for round_id, (sticker_round, lists) in sorted(due.items()):
        interview_id = sticker_round.group_interview_id
        audience = "all" if sticker_round.revealed else "members"
        events.append(
            live.Event(interview_id, EventKind.tally, {"round_id": round_id, "results": counts[round_id]}, audience)
        )
        events += [
            live.Event(interview_id, EventKind.mine, {"round_id": round_id, "stickers": stickers}, f"participant:{p}")
            for p, stickers in sorted(lists.items())
        ]
    live.emit_many(session, events)


def tablet_voter(*, session: Session, review_id: int, participant_id: int | None = None) -> int:
    """Whom a researcher may vote for (pass the tablet): only the person now holding the tablet."""
    holder = rooms.get(session=session, review_id=review_id).tablet_participant_id
    if holder is None or (participant_id is not None and participant_id != holder):
        raise InvalidInput(_("Pass the tablet to this person first."))
    return holder


@dataclass(frozen=True)
class StickerWish:
    """A sticker someone in the room asks for, once it is known for whom and through what it is placed."""

    review_id: int
    round_id: int
    participant_id: int
    factor_id: int
    source: StickerSource
    client_key: str | None = None


def sticker_wish(
    *, session: Session, review_id: int, round_id: int, phone_participant_id: int | None, data: StickerCreate
) -> StickerWish:
    """A phone places a sticker for its own participant; a member at the tablet only for the person holding it."""
    if phone_participant_id is not None:
        participant_id, source = phone_participant_id, StickerSource.phone
    elif data.participant_id is None:
        raise InvalidInput(_("Pass the tablet to this person first."))
    else:
        participant_id = tablet_voter(session=session, review_id=review_id, participant_id=data.participant_id)
        source = StickerSource.tablet
    return StickerWish(review_id, round_id, participant_id, data.factor_id, source, data.client_key)


def take_back_from_room(
    *, session: Session, review_id: int, round_id: int, sticker_id: int, phone_participant_id: int | None
) -> Step[None]:
    """A phone takes back one of its own stickers; the tablet only one placed on the tablet by its holder (a
    facilitator never touches a phone's stickers). Returns the write as a batch step (``app.db.batch``): it locks
    the round and the participant."""
    if phone_participant_id is not None:
        participant_id, source = phone_participant_id, None
    else:
        participant_id, source = tablet_voter(session=session, review_id=review_id), StickerSource.tablet
    return Step(
        (round_id, participant_id),
        lambda s: take_back(
            session=s,
            review_id=review_id,
            round_id=round_id,
            sticker_id=sticker_id,
            participant_id=participant_id,
            source=source,
        ),
    )


@dataclass
class _Placed:
    """What one participant has placed in one round so far, as the rules of their next sticker need it: each
    sticker as (id, factor, client key, source), the id None until it is inserted."""

    stickers: list[list[Any]] = field(default_factory=list)

    def count(self, factor_id: int | None = None) -> int:
        """How many stickers (on ``factor_id``, when given)."""
        if factor_id is None:
            return len(self.stickers)
        return sum(1 for sticker in self.stickers if sticker[1] == factor_id)

    def through(self, source: str) -> bool:
        """Whether any was placed through ``source``."""
        return any(sticker[3] == source for sticker in self.stickers)

    def keyed(self, client_key: str) -> list[Any] | None:
        """The sticker placed with ``client_key``, if any (a key is unique per round and person, whatever the
        source)."""
        return next((s for s in self.stickers if s[2] == client_key), None)

    def listed(self) -> list[dict[str, int]]:
        """The participant's stickers as their phone shows them, oldest first."""
        return [{"id": s[0], "factor_id": s[1]} for s in sorted(self.stickers, key=itemgetter(0))]


def _decide(
    wish: StickerWish, sticker_round: StickerRound | None, factor: Factor | None, theirs: _Placed
) -> list[Any] | None:
    """The rules of one sticker, given what it is placed in and on and what the participant placed so far: the
    sticker already placed with the same client key, None when a new one may be placed, or a refusal (raised)."""
    if sticker_round is None or sticker_round.review_id != wish.review_id:
        raise NotFound(_("This sticker round does not exist."))
    if wish.client_key is not None and (same := theirs.keyed(wish.client_key)) is not None:
        if same[3] == wish.source:
            return same  # the same tap again (a retry after a lost answer)
        # Placed through another source (phone vs tablet): not the same sticker, and the key is unique per person
        # and round, so inserting it would break the unique constraint.
        raise Conflict(_("This sticker key is already in use. Send the sticker again with a new key."))
    if wish.source == StickerSource.tablet and sticker_round.anonymous and theirs.through(StickerSource.phone):
        # Else the allowance checks below would tell whoever holds the tablet where the phone's stickers are.
        raise Conflict(_("In this anonymous round this person votes on their own phone."))
    if sticker_round.status != RoundStatus.open:
        raise Conflict(_("This sticker round is not open."))
    if factor is None or factor.review_id != wish.review_id or factor.merged_into_id is not None:
        raise NotFound(_("This factor does not exist."))
    if factor.kind != sticker_round.kind:
        raise InvalidInput(_("This round is about other factors."))
    if theirs.count() >= sticker_round.stickers_per_person:
        raise Conflict(
            _(
                "You have used all %(n)s of your stickers. Take one back to move it.",
                n=sticker_round.stickers_per_person,
            )
        )
    if theirs.count(wish.factor_id) >= sticker_round.max_per_factor:
        raise Conflict(_("At most %(n)s of your stickers can go on one factor.", n=sticker_round.max_per_factor))
    return None


def place_stickers(*, session: Session, wishes: Sequence[tuple[StickerWish, Entry[Any]]]) -> None:
    """Place the stickers of one batch (``app.db.batch``), each within its participant's allowance and the cap
    (the same sticker again for a known ``client_key``), and answer each entry with a :class:`Placed` or its
    refusal (in that request's language).

    Whatever the batch's size, few round trips to the database: the locks in one statement (PostgreSQL, before
    anything is read, in the global order (round, participant)), the rounds with the factors in one query and what
    the participants placed so far in another; every decision in memory in that order (a sticker counts against
    the ones accepted before it in the batch); one INSERT … RETURNING for all accepted stickers; then, just before
    the commit, per round the tally and every phone's own list (known here) appended with one statement.
    """
    ordered = sorted(wishes, key=lambda pair: (pair[0].round_id, pair[0].participant_id))
    if not ordered:
        return
    pairs = sorted({(wish.round_id, wish.participant_id) for wish, _entry in ordered})
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_PARTICIPANT_LOCKS, {"rounds": [r for r, _p in pairs], "participants": [p for _r, p in pairs]})
    round_ids = sorted({r for r, _p in pairs})
    factor_ids = sorted({wish.factor_id for wish, _entry in ordered})
    rounds: dict[int | None, StickerRound] = {}
    factors: dict[int | None, Factor] = {}
    for sticker_round, factor in session.execute(
        _ROUNDS_AND_FACTORS, {"round_ids": round_ids, "factor_ids": factor_ids}
    ):
        rounds[sticker_round.id] = sticker_round
        if factor is not None:
            factors[factor.id] = factor
    placed = _placed_so_far(session, pairs)
    answers: list[tuple[Entry[Any], list[Any], bool]] = []
    new: list[tuple[StickerWish, list[Any]]] = []
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for wish, entry in ordered:
        theirs = placed[(wish.round_id, wish.participant_id)]
        found = entry.attempt(_decide, wish, rounds.get(wish.round_id), factors.get(wish.factor_id), theirs)
        if entry.refused:
            continue
        if found is not None:
            answers.append((entry, found, False))
            continue
        sticker: list[Any] = [None, wish.factor_id, wish.client_key, wish.source]
        theirs.stickers.append(sticker)
        answers.append((entry, sticker, True))
        new.append((wish, sticker))
        rows.append(_sticker_row(wish, now))
    if rows:
        waiting: dict[tuple[Any, ...], list[list[Any]]] = {}
        for wish, sticker in new:
            waiting.setdefault((wish.round_id, wish.participant_id, *sticker[1:]), []).append(sticker)
        for stored in insert_many(session, _STICKERS, rows, *_RETURNED):
            waiting[tuple(stored[1:])].pop()[0] = stored[0]
    for entry, sticker, created in answers:
        entry.done(Placed(id=sticker[0], factor_id=sticker[1], created=created))
    for round_id in round_ids:
        accepted = {w.participant_id for w, entry in ordered if w.round_id == round_id and not entry.refused}
        if accepted:
            _after_change(session, rounds[round_id], {p: placed[(round_id, p)].listed() for p in sorted(accepted)})


def _placed_so_far(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], _Placed]:
    """What each (round, participant) pair has placed so far, read with one query (one row per pair)."""
    placed = {pair: _Placed() for pair in pairs}
    ids = {"round_ids": sorted({r for r, _p in placed}), "participant_ids": sorted({p for _r, p in placed})}
    for round_id, participant_id, folded in session.execute(_PLACED, ids).all():
        theirs = placed.get((round_id, participant_id))
        if theirs is not None:
            for sticker in folded.split(SEPARATOR):
                sticker_id, factor_id, source, client_key = sticker.split(":", 3)
                theirs.stickers.append([int(sticker_id), int(factor_id), client_key or None, source])
    return placed


def _sticker_row(wish: StickerWish, now: dt.datetime) -> dict[str, Any]:
    """The stickers table's row for a sticker placed ``now``."""
    return {
        "review_id": wish.review_id,
        "round_id": wish.round_id,
        "factor_id": wish.factor_id,
        "participant_id": wish.participant_id,
        "source": wish.source,
        "client_key": wish.client_key,
        "created_at": now,
    }


def take_back(
    *,
    session: Session,
    review_id: int,
    round_id: int,
    sticker_id: int,
    participant_id: int,
    source: StickerSource | None = None,
) -> None:
    """Take one's own sticker back while the round is open (only one placed through ``source``, when given)."""
    _lock_own_stickers(session, round_id, participant_id)
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    sticker = session.get(Sticker, sticker_id)
    if (
        sticker is None
        or sticker.round_id != round_id
        or sticker.participant_id != participant_id
        or (source is not None and sticker.source != source)
    ):
        raise NotFound(_("This sticker does not exist."))
    if sticker_round.status != RoundStatus.open:
        raise Conflict(_("This sticker round is not open."))
    session.delete(sticker)
    session.flush()
    _after_change(session, sticker_round, {participant_id: None})


def record_paper(*, session: Session, review_id: int, round_id: int, data: PaperCounts, user: User) -> None:
    """Type in stickers counted on paper; they count exactly like stickers placed on phones."""
    _lock_round(session, round_id)
    sticker_round = get_round(session=session, review_id=review_id, round_id=round_id)
    if sticker_round.status == RoundStatus.draft:
        raise Conflict(_("Open the round before entering paper stickers."))
    participants = {p.id for p in session.exec(select(Participant).where(Participant.review_id == review_id))}
    touched: set[int | None] = set()
    for cell in data.counts:
        factor = session.get(Factor, cell.factor_id)
        if (
            factor is None
            or factor.review_id != review_id
            or factor.kind != sticker_round.kind
            or factor.merged_into_id is not None
        ):
            raise InvalidInput(_("Factor %(id)s is not part of this round.", id=cell.factor_id))
        if cell.participant_id is not None and cell.participant_id not in participants:
            raise InvalidInput(_("This participant does not exist."))
        session.exec(
            delete(Sticker).where(
                col(Sticker.round_id) == round_id,
                col(Sticker.factor_id) == cell.factor_id,
                col(Sticker.source) == StickerSource.paper,
                col(Sticker.participant_id).is_(None)
                if cell.participant_id is None
                else col(Sticker.participant_id) == cell.participant_id,
            )
        )
        for _n in range(cell.stickers):
            session.add(
                Sticker(
                    review_id=review_id,
                    round_id=round_id,
                    factor_id=cell.factor_id,
                    participant_id=cell.participant_id,
                    source=StickerSource.paper,
                )
            )
        touched.add(cell.participant_id)
    session.flush()
    # Paper counts with the stickers placed on phones and the tablet: the same allowance and cap for all.
    for participant_id in touched:
        if participant_id is None:
            continue
        per_factor = Counter(
            session.exec(
                select(Sticker.factor_id).where(Sticker.round_id == round_id, Sticker.participant_id == participant_id)
            ).all()
        )
        if sum(per_factor.values()) > sticker_round.stickers_per_person:
            raise InvalidInput(
                _("Someone would have more than %(n)s stickers in this round.", n=sticker_round.stickers_per_person)
            )
        if per_factor and max(per_factor.values()) > sticker_round.max_per_factor:
            raise InvalidInput(
                _("At most %(n)s of your stickers can go on one factor.", n=sticker_round.max_per_factor)
            )
    _after_change(session, sticker_round, {p: None for p in touched if p is not None})
    audit.record(session, actor=Actor.of(user), action="round.paper", review_id=review_id, target=f"round:{round_id}")


def move_stickers(*, session: Session, from_factor_id: int, to_factor_id: int) -> None:
    """Move every sticker on one factor to another (a merge of duplicate factors)."""
    session.exec(update(Sticker).where(col(Sticker.factor_id) == from_factor_id).values(factor_id=to_factor_id))


def factor_has_stickers(*, session: Session, factor_id: int) -> bool:
    """Whether any sticker, in any round, is on the factor."""
    return session.exec(select(Sticker.id).where(Sticker.factor_id == factor_id)).first() is not None


def sticker_counts(*, session: Session, review_id: int) -> dict[int, int]:
    """Stickers per factor over every round of the review; a merged factor's count goes to the one it joined."""
    rows = session.exec(
        select(Sticker.factor_id, func.count()).where(Sticker.review_id == review_id).group_by(col(Sticker.factor_id))
    ).all()
    counts = {factor_id: int(n) for factor_id, n in rows}
    for factor in session.exec(
        select(Factor).where(Factor.review_id == review_id, col(Factor.merged_into_id).is_not(None))
    ):
        if factor.merged_into_id is not None:
            counts[factor.merged_into_id] = counts.get(factor.merged_into_id, 0) + counts.pop(factor.id or 0, 0)
    return counts


def rounds_per_factor(*, session: Session, review_id: int) -> set[tuple[int, int]]:
    """Which (factor, round) pairs have at least one sticker."""
    return set(session.exec(select(Sticker.factor_id, Sticker.round_id).where(Sticker.review_id == review_id)).all())
