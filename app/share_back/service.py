"""Use cases of the share-back meeting (terugkoppelbijeenkomst): the member check of the findings tree.

A meeting runs in a room of the group-interview machinery (``group_interviews`` row with purpose
``share_back``): its join code, the phones that joined with it, its status and its live event log. Phones react
to each finding (one reaction per person per finding, a new one replaces the old, ``client_key`` makes retries
count once); everyone sees counts and comments, never who gave them. The researchers decide per finding: kept,
rephrased (the node edited in place, a new version named ``share-back``), removed, or a new finding added.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, col, select

from app import audit, live
from app.audit import Actor
from app.auth.models import User
from app.config import Settings
from app.db.base import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.findings import service as findings
from app.findings.models import FindingNode
from app.findings.schemas import NodeCreate, NodeOut, NodeUpdate
from app.group_interview import codes
from app.group_interview import service as rooms
from app.group_interview.deps import RoomActor
from app.group_interview.models import GroupInterview, GroupInterviewStatus, ParticipantDevice, RoomPurpose
from app.i18n import N_, _
from app.labels import label
from app.live.models import EventKind
from app.participants import service as participants
from app.participants.models import ConsentScope, Participant
from app.participants.service import consents_for
from app.reviews import service as reviews
from app.share_back.models import (
    Decision,
    Reaction,
    ShareBackDecision,
    ShareBackMeeting,
    ShareBackReaction,
    ShareBackStatus,
)
from app.share_back.schemas import (
    DecisionIn,
    DecisionOut,
    MeetingOut,
    MemberCheck,
    MemberCheckRow,
    NewFinding,
    ReactionIn,
    ReactionOut,
    TallyOut,
)

_STATUS = {
    GroupInterviewStatus.draft: ShareBackStatus.prepared,
    GroupInterviewStatus.open: ShareBackStatus.open,
    GroupInterviewStatus.closed: ShareBackStatus.closed,
}
_REACTIONS = SQLModel.metadata.tables[ShareBackReaction.__tablename__]


# --- The meeting ----------------------------------------------------------------------------------------------


def current(*, session: Session, review_id: int) -> tuple[ShareBackMeeting, GroupInterview] | None:
    """The review's newest share-back meeting and its room, if any."""
    row = session.exec(
        select(ShareBackMeeting, GroupInterview)
        .join(GroupInterview, col(GroupInterview.id) == col(ShareBackMeeting.room_id))
        .where(ShareBackMeeting.review_id == review_id)
        .order_by(col(ShareBackMeeting.id).desc())
    ).first()
    return (row[0], row[1]) if row else None


def get(*, session: Session, review_id: int) -> tuple[ShareBackMeeting, GroupInterview]:
    """The review's share-back meeting and its room; 404 when there is none yet."""
    found = current(session=session, review_id=review_id)
    if found is None:
        raise NotFound(_("This review has no share-back meeting yet."))
    return found


def status_of(room: GroupInterview) -> ShareBackStatus:
    """The meeting's status, read from its room."""
    return _STATUS[room.status]


def meeting_out(meeting: ShareBackMeeting, room: GroupInterview, settings: Settings, *, member: bool) -> MeetingOut:
    """The meeting as the API shows it; the join code only to members, only while the meeting is not closed."""
    show = member and room.status != GroupInterviewStatus.closed and room.joining_open
    code = codes.code_for(settings.resolved_secret_key(), room.code_nonce)
    return MeetingOut(
        id=meeting.id or 0,
        review_id=meeting.review_id,
        status=status_of(room),
        join_code=codes.display(code) if show else None,
        join_url=f"{settings.base_url.rstrip('/')}/j/{code}" if show else None,
        current_node_id=meeting.current_node_id,
        opened_at=room.opened_at,
        closed_at=room.closed_at,
    )


def _has_findings(session: Session, review_id: int) -> bool:
    tree = findings.tree(session=session, review_id=review_id)
    return bool(tree.root.children or tree.hindering or tree.what_works)


def create(*, session: Session, settings: Settings, review_id: int, user: User) -> ShareBackMeeting:
    """Prepare a share-back meeting with its own join code; at most one that is not closed, and only once the
    findings tree has findings to share."""
    found = current(session=session, review_id=review_id)
    if found is not None and found[1].status != GroupInterviewStatus.closed:
        raise Conflict(_("This review already has a share-back meeting that is not closed."))
    if not _has_findings(session, review_id):
        raise Conflict(_("Work out the findings tree first: there is nothing to share back yet."))
    room = rooms.new_room(session=session, settings=settings, review_id=review_id, purpose=RoomPurpose.share_back)
    meeting = ShareBackMeeting(review_id=review_id, room_id=room.id or 0, created_by=user.id)
    return audit.record_added(
        session, meeting, actor=Actor.of(user), action="share_back.create", review_id=review_id, kind="meeting"
    )


def _meeting_event(session: Session, meeting: ShareBackMeeting, room: GroupInterview) -> None:
    live.emit(
        session,
        room.id or 0,
        EventKind.share_back,
        {"status": status_of(room), "current_node_id": meeting.current_node_id},
    )


def open_meeting(*, session: Session, review_id: int, user: User) -> tuple[ShareBackMeeting, GroupInterview]:
    """Open the meeting: phones of consented participants can join with its code."""
    meeting, room = get(session=session, review_id=review_id)
    if room.status != GroupInterviewStatus.draft:
        raise Conflict(_("Only a prepared share-back meeting can be opened."))
    room.status, room.opened_at = GroupInterviewStatus.open, utcnow()
    session.add(room)
    _meeting_event(session, meeting, room)
    audit.record(session, actor=Actor.of(user), action="share_back.open", review_id=review_id)
    return meeting, room


def close_meeting(*, session: Session, review_id: int, user: User) -> tuple[ShareBackMeeting, GroupInterview]:
    """Close the meeting: every phone's access ends, and the guide's step is ticked."""
    meeting, room = get(session=session, review_id=review_id)
    if room.status != GroupInterviewStatus.open:
        raise Conflict(_("Only an open share-back meeting can be closed."))
    live.lock(session, room.id or 0)
    rooms.end_room(session=session, room=room)
    reviews.complete_step(session=session, review_id=review_id, key="share_back_held", user=user)
    _meeting_event(session, meeting, room)
    live.emit(
        session, room.id or 0, EventKind.interview, {"status": room.status}
    )  # phones' streams re-check access on it
    audit.record(session, actor=Actor.of(user), action="share_back.close", review_id=review_id)
    return meeting, room


def _require_open(room: GroupInterview) -> None:
    if room.status != GroupInterviewStatus.open:
        raise Conflict(_("The share-back meeting is not open."))


def show(*, session: Session, review_id: int, node_id: int | None, user: User) -> ShareBackMeeting:
    """Put a finding on the shared screen and the phones (``None``: the success itself)."""
    meeting, room = get(session=session, review_id=review_id)
    _require_open(room)
    if node_id is not None and node_id not in {s["node_id"] for s in slides(session=session, review_id=review_id)}:
        raise NotFound(_("This finding is not in the findings tree."))
    meeting.current_node_id = node_id
    session.add(meeting)
    _meeting_event(session, meeting, room)
    return meeting


def set_tablet(*, session: Session, review_id: int, participant_id: int | None) -> GroupInterview:
    """Pass the tablet: choose who reacts next on the room's one device."""
    _meeting, room = get(session=session, review_id=review_id)
    _require_open(room)
    if participant_id is not None and participant_id not in {
        p["id"] for p in rooms.room_participants(session=session, interview=room)
    }:
        raise InvalidInput(_("Choose someone who takes part in the share-back meeting."))
    room.tablet_participant_id = participant_id
    session.add(room)
    live.emit(session, room.id or 0, EventKind.tablet, {"participant_id": participant_id}, audience="members")
    return room


# --- What is shown: the success, then the findings node by node ------------------------------------------------


def _slide(node: NodeOut, section: str) -> dict[str, Any]:
    return {
        "node_id": node.id or None,
        "section": section,
        "kind": node.kind,
        "title": node.title,
        "explanation": node.explanation,
        "version": node.version,
        "children": [{"id": c.id, "kind": c.kind, "title": c.title} for c in node.children],
    }


def slides(*, session: Session, review_id: int) -> list[dict[str, Any]]:
    """What the screen steps through: the success, the main success factors with what supports them, the hindering
    factors with their recommendations, and what works. Every slide but the first is a finding to react to."""
    tree = findings.tree(session=session, review_id=review_id)
    return [
        _slide(tree.root, "success"),
        *(_slide(n, "success_factors") for n in tree.root.children),
        *(_slide(n, "hindering") for n in tree.hindering),
        *(_slide(n, "what_works") for n in tree.what_works),
    ]


# --- Reactions --------------------------------------------------------------------------------------------------


def _reacting(session: Session, actor: RoomActor) -> tuple[ShareBackMeeting, GroupInterview, int]:
    """The meeting a reaction goes to and whose it is: a joined phone's own, or the tablet holder's."""
    if actor.device is not None:
        room = actor.device.interview
        meeting = session.exec(select(ShareBackMeeting).where(ShareBackMeeting.room_id == room.id)).first()
        if room.purpose != RoomPurpose.share_back or meeting is None:
            raise Forbidden(_("Join the share-back meeting with the code on the screen."))
        return meeting, room, actor.device.participant.id or 0
    meeting, room = get(session=session, review_id=actor.review_id)
    _require_open(room)
    if room.tablet_participant_id is None:
        raise Conflict(_("Pass the tablet to someone first."))
    return meeting, room, room.tablet_participant_id


def _upsert(session: Session, values: dict[str, Any]) -> None:
    """Insert the reaction, or replace that person's earlier one (one statement: safe under concurrency)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(_REACTIONS).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["meeting_id", "node_id", "participant_id"],
        set_={k: statement.excluded[k] for k in ("reaction", "comment", "client_key", "updated_at")},
    )
    session.execute(statement)


def react(*, session: Session, actor: RoomActor, data: ReactionIn) -> ReactionOut:
    """Record a reaction to a finding; it replaces the person's earlier one, and a retry with the same
    ``client_key`` changes nothing. Everyone else gets the new counts, the phone its own reaction back."""
    meeting, room, participant_id = _reacting(session, actor)
    _require_open(room)
    node = findings.get_node(session=session, review_id=meeting.review_id, node_id=data.node_id)
    if node.deleted or node.merged_into_id is not None:
        raise Conflict(_("This finding is no longer in the findings tree."))
    live.lock(session, room.id or 0)  # before reading: the last tally event counts every reaction before it
    mine = session.exec(
        select(ShareBackReaction).where(
            ShareBackReaction.meeting_id == meeting.id,
            ShareBackReaction.node_id == data.node_id,
            ShareBackReaction.participant_id == participant_id,
        )
    ).first()
    out = ReactionOut(node_id=data.node_id, reaction=data.reaction, comment=data.comment, client_key=data.client_key)
    if mine is not None and mine.client_key == data.client_key:  # a retry of what is stored: counted once
        return ReactionOut(
            node_id=mine.node_id, reaction=mine.reaction, comment=mine.comment, client_key=mine.client_key
        )
    _upsert(
        session,
        {
            "review_id": meeting.review_id,
            "meeting_id": meeting.id,
            "node_id": data.node_id,
            "participant_id": participant_id,
            "reaction": data.reaction.value,
            "comment": data.comment,
            "client_key": data.client_key,
            "updated_at": utcnow(),
        },
    )
    room_id = room.id or 0
    live.emit(
        session,
        room_id,
        EventKind.reactions,
        tally(session=session, meeting_id=meeting.id or 0, node_id=data.node_id).model_dump(mode="json"),
        audience="members",
    )
    live.emit(session, room_id, EventKind.mine, out.model_dump(mode="json"), audience=f"participant:{participant_id}")
    return out


def _tallies(session: Session, meeting_id: int, node_ids: list[int] | None = None) -> dict[int, TallyOut]:
    query = select(ShareBackReaction.node_id, ShareBackReaction.reaction, ShareBackReaction.comment).where(
        ShareBackReaction.meeting_id == meeting_id
    )
    if node_ids is not None:
        query = query.where(col(ShareBackReaction.node_id).in_(node_ids))
    found: dict[int, TallyOut] = {}
    comments: dict[int, list[str]] = defaultdict(list)
    for node_id, reaction, comment in session.exec(query):
        row = found.setdefault(node_id, TallyOut(node_id=node_id))
        field = Reaction(reaction).value
        setattr(row, field, getattr(row, field) + 1)
        if comment:
            comments[node_id].append(comment)
    for node_id, texts in comments.items():
        found[node_id].comments = sorted(texts, key=str.casefold)  # sorted: the order never tells who said what
    return found


def tally(*, session: Session, meeting_id: int, node_id: int) -> TallyOut:
    """The reactions to one finding: counts and comments, no one's name or id."""
    return _tallies(session, meeting_id, [node_id]).get(node_id, TallyOut(node_id=node_id))


def summary(*, session: Session, review_id: int) -> list[TallyOut]:
    """Per finding of the tree (and per finding reacted to, removed ones too) the reactions of the meeting."""
    meeting, _room = get(session=session, review_id=review_id)
    found = _tallies(session, meeting.id or 0)
    order = [s["node_id"] for s in slides(session=session, review_id=review_id) if s["node_id"]]
    order += sorted(set(found) - set(order))
    return [found.get(node_id, TallyOut(node_id=node_id)) for node_id in order]


def my_reactions(*, session: Session, meeting_id: int, participant_id: int) -> dict[str, dict[str, str]]:
    """One participant's own reactions (for their phone only)."""
    rows = session.exec(
        select(ShareBackReaction).where(
            ShareBackReaction.meeting_id == meeting_id, ShareBackReaction.participant_id == participant_id
        )
    )
    return {
        str(r.node_id): {"reaction": r.reaction.value, "comment": r.comment, "client_key": r.client_key} for r in rows
    }


def forget_participant(*, session: Session, review_id: int, participant_id: int) -> int:
    """Remove every reaction and comment of a participant (consent withdrawn); open meetings get new counts."""
    rows = session.exec(
        select(ShareBackReaction.meeting_id, ShareBackReaction.node_id).where(
            ShareBackReaction.review_id == review_id, ShareBackReaction.participant_id == participant_id
        )
    ).all()
    if not rows:
        return 0
    session.exec(
        delete(ShareBackReaction).where(
            col(ShareBackReaction.review_id) == review_id, col(ShareBackReaction.participant_id) == participant_id
        )
    )
    touched: dict[int, set[int]] = defaultdict(set)
    for meeting_id, node_id in rows:
        touched[meeting_id].add(node_id)
    for meeting_id, node_ids in touched.items():
        meeting = session.get(ShareBackMeeting, meeting_id)
        room = session.get(GroupInterview, meeting.room_id) if meeting else None
        if room is not None and room.status == GroupInterviewStatus.open:
            for node_id in sorted(node_ids):
                payload = tally(session=session, meeting_id=meeting_id, node_id=node_id).model_dump(mode="json")
                live.emit(session, room.id or 0, EventKind.reactions, payload, audience="members")
    return len(rows)


# --- Decisions --------------------------------------------------------------------------------------------------


def decision_out(row: ShareBackDecision) -> DecisionOut:
    """A decision as the API shows it."""
    return DecisionOut.model_validate(row, from_attributes=True)


def decisions(*, session: Session, meeting_id: int) -> list[DecisionOut]:
    """The decisions of a meeting, in the order they were first made."""
    rows = session.exec(
        select(ShareBackDecision).where(ShareBackDecision.meeting_id == meeting_id).order_by(col(ShareBackDecision.id))
    )
    return [decision_out(r) for r in rows]


def _record(
    session: Session,
    meeting: ShareBackMeeting,
    room: GroupInterview,
    node: FindingNode,
    *,
    decision: Decision,
    note: str,
    title_before: str,
    user: User,
) -> ShareBackDecision:
    row = session.exec(
        select(ShareBackDecision).where(
            ShareBackDecision.meeting_id == meeting.id, ShareBackDecision.node_id == node.id
        )
    ).first()
    if row is None:
        row = ShareBackDecision(
            review_id=meeting.review_id,
            meeting_id=meeting.id or 0,
            node_id=node.id or 0,
            decision=decision,
            title_before=title_before,
        )
    row.decision, row.note, row.title_after, row.node_version = decision, note, node.title, node.version
    row.decided_by, row.decided_at = user.id, utcnow()
    session.add(row)
    session.flush()
    room_id = room.id or 0
    live.emit(session, room_id, EventKind.decision, decision_out(row).model_dump(mode="json"), audience="members")
    if room.status == GroupInterviewStatus.open:
        live.emit(session, room_id, EventKind.slides, {"slides": slides(session=session, review_id=meeting.review_id)})
    audit.record(
        session,
        actor=Actor.of(user),
        action="share_back.decision",
        review_id=meeting.review_id,
        target=f"node:{node.id}",
        detail=decision.value,
    )
    return row


def decide(*, session: Session, review_id: int, node_id: int, data: DecisionIn, user: User) -> DecisionOut:
    """Decide on a finding after hearing the room: keep it, rephrase it (a new version of the node, named
    ``share-back``), or remove it (restorable from the tree's history). Deciding again replaces the decision."""
    meeting, room = get(session=session, review_id=review_id)
    if room.status == GroupInterviewStatus.draft:
        raise Conflict(_("Open the share-back meeting first."))
    if data.decision == Decision.added:
        raise InvalidInput(_("Add a new finding with its own form."))
    live.lock(session, room.id or 0)  # before the tree change writes the audit log: one lock order
    node = findings.get_node(session=session, review_id=review_id, node_id=node_id)
    if node.merged_into_id is not None:
        raise Conflict(_("This finding is no longer in the findings tree."))
    earlier = session.exec(
        select(ShareBackDecision).where(
            ShareBackDecision.meeting_id == meeting.id, ShareBackDecision.node_id == node_id
        )
    ).first()
    title_before = earlier.title_before if earlier else node.title
    if data.decision == Decision.rephrased:
        if not data.title and data.explanation is None:
            raise InvalidInput(_("Give the new wording of the finding."))
        if node.deleted:
            findings.set_deleted(session=session, review_id=review_id, node_id=node_id, deleted=False, user=user)
        changes = NodeUpdate(version=node.version, title=data.title, explanation=data.explanation)
        findings.update_node(
            session=session, review_id=review_id, node_id=node_id, data=changes, user=user, change="share-back"
        )
    elif data.decision == Decision.removed:
        if not node.deleted:
            findings.set_deleted(
                session=session,
                review_id=review_id,
                node_id=node_id,
                deleted=True,
                user=user,
                change="share-back-remove",
            )
    elif node.deleted:  # kept after all: what an earlier decision removed comes back
        findings.set_deleted(session=session, review_id=review_id, node_id=node_id, deleted=False, user=user)
    row = _record(
        session, meeting, room, node, decision=data.decision, note=data.note, title_before=title_before, user=user
    )
    return decision_out(row)


def add_finding(*, session: Session, review_id: int, data: NewFinding, user: User) -> DecisionOut:
    """A finding the room missed: a new node of the tree (its first version named ``share-back-add``)."""
    meeting, room = get(session=session, review_id=review_id)
    if room.status == GroupInterviewStatus.draft:
        raise Conflict(_("Open the share-back meeting first."))
    live.lock(session, room.id or 0)
    node = findings.create_node(
        session=session,
        review_id=review_id,
        data=NodeCreate(title=data.title, explanation=data.explanation, branch=data.branch, parent_id=data.parent_id),
        user=user,
        change="share-back-add",
    )
    row = _record(session, meeting, room, node, decision=Decision.added, note=data.note, title_before="", user=user)
    return decision_out(row)


# --- What each screen gets ----------------------------------------------------------------------------------------


def taking_part(*, session: Session, room: GroupInterview) -> list[Participant]:
    """Who joined the meeting on a device and still consents to the group interview (oldest join first)."""
    consents = consents_for(session=session, review_id=room.review_id)
    joined = session.exec(
        select(Participant)
        .join(ParticipantDevice, col(ParticipantDevice.participant_id) == col(Participant.id))
        .where(ParticipantDevice.group_interview_id == room.id)
        .group_by(col(Participant.id))
        .order_by(func.min(ParticipantDevice.joined_at))
    ).all()
    return [p for p in joined if ConsentScope.group_interview in consents.get(p.id or 0, set())]


def role_of(participant: Participant) -> str:
    """A participant as the report names them: their role, never their pseudonym."""
    role = participant.role_label or label("role_category", participant.role_category)
    return f"{role} ({participant.organisation})" if participant.organisation else role


def member_state(
    *, session: Session, settings: Settings, meeting: ShareBackMeeting, room: GroupInterview
) -> dict[str, Any]:
    """Everything the console and the shared screen show now: the slides, counts and comments, decisions."""
    return {
        "room": RoomPurpose.share_back.value,
        "meeting": meeting_out(meeting, room, settings, member=True).model_dump(mode="json"),
        "slides": slides(session=session, review_id=meeting.review_id),
        "tallies": [t.model_dump(mode="json") for t in summary(session=session, review_id=meeting.review_id)],
        "decisions": [d.model_dump(mode="json") for d in decisions(session=session, meeting_id=meeting.id or 0)],
        "participants": rooms.room_participants(session=session, interview=room),
        "took_part": [p.id for p in taking_part(session=session, room=room)],
        "tablet_participant_id": room.tablet_participant_id,
        "last_event_id": live.last_event_id(session, room.id or 0),
    }


def room_state(
    *,
    session: Session,
    settings: Settings,
    room: GroupInterview,
    member: bool = False,
    participant_id: int | None = None,
) -> dict[str, Any]:
    """The state of a share-back room: a phone gets the findings, the one on screen and its own reactions."""
    meeting = session.exec(select(ShareBackMeeting).where(ShareBackMeeting.room_id == room.id)).first()
    if meeting is None:
        raise NotFound(_("This review has no share-back meeting yet."))
    if member:
        return member_state(session=session, settings=settings, meeting=meeting, room=room)
    snapshot: dict[str, Any] = {
        "room": RoomPurpose.share_back.value,
        "meeting": meeting_out(meeting, room, settings, member=False).model_dump(mode="json"),
        "slides": slides(session=session, review_id=meeting.review_id),
        "last_event_id": live.last_event_id(session, room.id or 0),
    }
    if participant_id is not None:
        participant = session.get(Participant, participant_id)
        snapshot["me"] = {"id": participant_id, "pseudonym": participant.pseudonym if participant else ""}
        snapshot["mine"] = my_reactions(session=session, meeting_id=meeting.id or 0, participant_id=participant_id)
    return snapshot


# --- The report ---------------------------------------------------------------------------------------------------

_SECTIONS = {
    "success": N_("Main success factor"),
    "hindering": N_("Hindering factor"),
    "what_works": N_("What works"),
}
_DECISIONS = {
    Decision.kept: N_("Kept"),
    Decision.rephrased: N_("Rephrased"),
    Decision.removed: N_("Removed"),
    Decision.added: N_("Added"),
}


def member_check(*, session: Session, review_id: int) -> MemberCheck | None:
    """The share-back meeting for the report: the newest closed one (else the one under way), when, which roles
    took part, and per finding the reactions and the decision. ``None`` when no meeting was opened yet."""
    opened = session.exec(
        select(ShareBackMeeting, GroupInterview)
        .join(GroupInterview, col(GroupInterview.id) == col(ShareBackMeeting.room_id))
        .where(ShareBackMeeting.review_id == review_id, col(GroupInterview.opened_at).is_not(None))
        .order_by(col(ShareBackMeeting.id).desc())
    ).all()
    held = next((row for row in opened if row[1].status == GroupInterviewStatus.closed), opened[0] if opened else None)
    if held is None:
        return None
    meeting, room = held
    tallies = _tallies(session, meeting.id or 0)
    decided = {d.node_id: d for d in decisions(session=session, meeting_id=meeting.id or 0)}
    order = [s["node_id"] for s in slides(session=session, review_id=review_id) if s["node_id"]]
    order += [n for n in [*decided, *tallies] if n not in order]
    nodes = {n.id: n for n in session.exec(select(FindingNode).where(col(FindingNode.id).in_(order)))}
    rows = []
    for node_id in dict.fromkeys(order):
        node = nodes.get(node_id)
        if node is None:
            continue
        tally, decision = tallies.get(node_id, TallyOut(node_id=node_id)), decided.get(node_id)
        rephrased = decision is not None and decision.decision == Decision.rephrased
        rows.append(
            MemberCheckRow(
                title=node.title,
                title_before=decision.title_before if rephrased and decision else "",
                section=_(_SECTIONS.get(node.branch, _SECTIONS["success"])),
                agree=tally.agree,
                partly=tally.partly,
                disagree=tally.disagree,
                decision=_(_DECISIONS[decision.decision]) if decision else "—",
                note=decision.note if decision else "",
            )
        )
    roles = [role_of(p) for p in taking_part(session=session, room=room)]
    return MemberCheck(held_on=room.opened_at.date() if room.opened_at else None, roles=roles, rows=rows)


# withdrawing the group-interview consent removes that person's reactions and comments
participants.on_withdrawal(ConsentScope.group_interview, forget_participant)
