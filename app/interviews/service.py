"""Use cases of phase 2's interviews: the topic guide, notes saved as the researcher types, and turning a
passage of the notes into a life-line event, a candidate factor or a quote.

Quotes of a participant without a current consent for ``quotes`` stay visible to the team (flagged) but never
leave the system: every export path takes its quotes from :func:`exportable_quotes`.
"""

import re
import secrets
from collections.abc import Sequence

from sqlmodel import Session, col, func, select

import lifeline
from app import audit
from app.audit import Actor
from app.auth.models import User
from app.auth.service import user_names
from app.db import apply_changes, of_review
from app.db.base import from_row, utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.i18n import N_, _, ngettext
from app.interviews.models import (
    CandidateFactor,
    GuideTopic,
    Interview,
    InterviewInterviewer,
    InterviewNote,
    InterviewParticipant,
    InterviewStatus,
    Quote,
)
from app.interviews.schemas import (
    CandidateFactorCreate,
    CandidateFactorOut,
    GuideTopicCreate,
    GuideTopicOut,
    InterviewCreate,
    InterviewOut,
    InterviewSummary,
    InterviewUpdate,
    MemberRef,
    NotesUpdate,
    PassageEvent,
    PersonRef,
    QuoteCreate,
    QuoteOut,
    TopicOut,
)
from app.labels import LABELS, label
from app.participants.models import ConsentScope, Participant
from app.participants.service import consents_for
from app.reviews.models import Membership, Role
from app.reviews.service import register_step_hint
from app.timeline import service as timeline
from app.timeline.models import LifelineEvent
from app.timeline.schemas import EventCreate, Source, SourceKind

# The method's topic guide (leidraad): key, title, what to ask about.
STANDARD_TOPICS: tuple[tuple[str, str, str], ...] = (
    (
        "life_course",
        N_("The family's life course"),
        N_("Births, moves, relationships and separations, illness and admissions, school: roughly when?"),
    ),
    (
        "care_history",
        N_("The history of care"),
        N_("Which help came when, from whom, for how long, and how did it end?"),
    ),
    (
        "professionals",
        N_("The professionals involved"),
        N_("Who was involved, from which organisation, in which role?"),
    ),
    (
        "collaboration",
        N_("How they collaborated"),
        N_("Information exchange, consultation, planned joint work: how did the professionals work together?"),
    ),
    (
        "successes",
        N_("Successes in the current care"),
        N_("What went well in the last one or two years, according to this person?"),
    ),
    (
        "success_factors",
        N_("Factors that contributed to the successes"),
        N_("What made it work: people, agreements, means, timing?"),
    ),
)
LABELS["interview_status"] = {"planned": N_("Planned"), "held": N_("Held"), "worked_out": N_("Worked out")}
LABELS["factor_kind"] = {"success": N_("Success factor"), "hindering": N_("Hindering factor")}
STANDARD_KEYS = frozenset(key for key, _title, _prompt in STANDARD_TOPICS)
INTERVIEWED = (InterviewStatus.held, InterviewStatus.worked_out)


# --- The topic guide -------------------------------------------------------------------------------------


def guide(*, session: Session, review_id: int) -> list[GuideTopicOut]:
    """The review's topic guide: the method's six topics, then the team's own, in order."""
    topics = [
        GuideTopicOut(key=key, title=_(title), prompt=_(prompt), custom=False) for key, title, prompt in STANDARD_TOPICS
    ]
    custom = session.exec(
        select(GuideTopic)
        .where(GuideTopic.review_id == review_id)
        .order_by(col(GuideTopic.position), col(GuideTopic.id))
    ).all()
    topics += [GuideTopicOut(key=t.key, title=t.title, prompt="", custom=True) for t in custom]
    return topics


def add_topic(*, session: Session, review_id: int, actor: Actor, data: GuideTopicCreate) -> GuideTopicOut:
    """Add a topic of the team's own to the review's guide (every interview gets it)."""
    existing = guide(session=session, review_id=review_id)
    if any(t.title.casefold() == data.title.casefold() for t in existing):
        raise Conflict(_("The guide already has the topic %(title)s.", title=data.title))
    position = len(existing)
    topic = GuideTopic(review_id=review_id, key=f"custom-{secrets.token_hex(4)}", title=data.title, position=position)
    session.add(topic)
    session.flush()
    audit.record(session, actor=actor, action="guide.topic.add", review_id=review_id, target=f"topic:{topic.key}")
    return GuideTopicOut(key=topic.key, title=topic.title, prompt="", custom=True)


def remove_topic(*, session: Session, review_id: int, key: str, actor: Actor) -> None:
    """Take a team's own topic off the guide; refused while any interview has notes on it."""
    if key in STANDARD_KEYS:
        raise Conflict(_("The topics of the method cannot be removed."))
    topic = session.exec(select(GuideTopic).where(GuideTopic.review_id == review_id, GuideTopic.key == key)).first()
    if topic is None:
        raise NotFound(_("This topic does not exist."))
    notes = session.exec(
        select(InterviewNote).where(InterviewNote.review_id == review_id, InterviewNote.topic_key == key)
    ).all()
    if any(note.text.strip() for note in notes):
        raise Conflict(_("Interviews have notes on this topic. Move or delete those notes first."))
    for note in notes:
        session.delete(note)
    session.delete(topic)
    audit.record(session, actor=actor, action="guide.topic.remove", review_id=review_id, target=f"topic:{key}")


# --- Interviews ------------------------------------------------------------------------------------------


def get_interview(*, session: Session, review_id: int, interview_id: int) -> Interview:
    """One interview of this review; 404 for another review's interview."""
    return of_review(session, Interview, interview_id, review_id, missing=_("This interview does not exist."))


def _people(session: Session, interview_id: int) -> list[Participant]:
    return list(
        session.exec(
            select(Participant)
            .join(InterviewParticipant, col(InterviewParticipant.participant_id) == col(Participant.id))
            .where(InterviewParticipant.interview_id == interview_id)
            .order_by(col(Participant.id))
        ).all()
    )


def _interviewers(session: Session, interview_id: int) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(InterviewInterviewer, col(InterviewInterviewer.user_id) == col(User.id))
            .where(InterviewInterviewer.interview_id == interview_id)
            .order_by(col(InterviewInterviewer.id))
        ).all()
    )


def speaker_of(participant: Participant) -> str:
    """How a quote names its speaker: the participant's role label ("Moeder"), else the role category."""
    return participant.role_label or label("role_category", participant.role_category)


def _person_refs(session: Session, review_id: int, people: Sequence[Participant]) -> list[PersonRef]:
    consents = consents_for(session=session, review_id=review_id)
    return [
        PersonRef(
            id=p.id or 0,
            pseudonym=p.pseudonym,
            role_label=speaker_of(p),
            quotes_consent=ConsentScope.quotes in consents.get(p.id or 0, set()),
        )
        for p in people
    ]


def label_of(interview: Interview, people: Sequence[Participant]) -> str:
    """How the interview is named as a source: "interview Moeder (Sandra), Vader (Erik), 12-03-2024"."""
    who = ", ".join(p.pseudonym for p in people) or "?"
    text = _("interview %(who)s", who=who)
    if interview.held_on:
        text += f", {interview.held_on.strftime('%d-%m-%Y')}"
    return text[:200]


def interview_label(*, session: Session, interview: Interview) -> str:
    """The interview's name as a source of life-line events, quotes and factors."""
    return label_of(interview, _people(session, interview.id or 0))


def _check_participants(session: Session, review_id: int, ids: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(ids))
    found = session.exec(
        select(Participant.id).where(Participant.review_id == review_id, col(Participant.id).in_(unique))
    ).all()
    if len(found) != len(unique):
        raise InvalidInput.at("participant_ids", _("Choose participants of this review."))
    return unique


def _check_interviewers(session: Session, review_id: int, ids: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(ids))
    found = session.exec(
        select(Membership.user_id).where(
            Membership.review_id == review_id,
            col(Membership.user_id).in_(unique),
            col(Membership.role).in_([Role.owner, Role.researcher]),
        )
    ).all()
    if len(found) != len(unique):
        raise InvalidInput.at("interviewer_ids", _("Interviewers must be owners or researchers of this review."))
    return unique


def _set_links(
    session: Session, interview: Interview, participant_ids: list[int] | None, user_ids: list[int] | None
) -> None:
    interview_id = interview.id or 0
    if participant_ids is not None:
        for link in session.exec(select(InterviewParticipant).where(InterviewParticipant.interview_id == interview_id)):
            session.delete(link)
        session.flush()
        for pid in participant_ids:
            session.add(
                InterviewParticipant(review_id=interview.review_id, interview_id=interview_id, participant_id=pid)
            )
    if user_ids is not None:
        for interviewer in session.exec(
            select(InterviewInterviewer).where(InterviewInterviewer.interview_id == interview_id)
        ):
            session.delete(interviewer)
        session.flush()
        for uid in user_ids:
            session.add(InterviewInterviewer(review_id=interview.review_id, interview_id=interview_id, user_id=uid))
    session.flush()


def create_interview(*, session: Session, review_id: int, user: User, data: InterviewCreate) -> Interview:
    """Plan or record an interview with one or several participants; dated today or earlier means held."""
    participant_ids = _check_participants(session, review_id, data.participant_ids)
    interviewer_ids = _check_interviewers(session, review_id, data.interviewer_ids or [user.id or 0])
    status = data.status
    if status is None:
        held = data.held_on is not None and data.held_on <= utcnow().date()
        status = InterviewStatus.held if held else InterviewStatus.planned
    interview = Interview(
        review_id=review_id, held_on=data.held_on, place=data.place, status=status, created_by=user.id
    )
    session.add(interview)
    session.flush()
    _set_links(session, interview, participant_ids, interviewer_ids)
    audit.record(
        session,
        actor=Actor.of(user),
        action="interview.create",
        review_id=review_id,
        target=f"interview:{interview.id}",
    )
    return interview


def update_interview(
    *, session: Session, review_id: int, interview_id: int, actor: Actor, data: InterviewUpdate
) -> Interview:
    """Change the date, place, status, participants or interviewers of an interview."""
    interview = get_interview(session=session, review_id=review_id, interview_id=interview_id)
    changes = data.model_dump(exclude_unset=True)
    participant_ids = (
        _check_participants(session, review_id, data.participant_ids) if data.participant_ids is not None else None
    )
    interviewer_ids = (
        _check_interviewers(session, review_id, data.interviewer_ids) if data.interviewer_ids is not None else None
    )
    links = {"participant_ids", "interviewer_ids"}  # not columns: _set_links writes them
    apply_changes(interview, data.model_dump(exclude_unset=True, exclude=links), clearable={"held_on"})
    interview.updated_at = utcnow()
    _set_links(session, interview, participant_ids, interviewer_ids)
    return audit.record_changed(
        session,
        interview,
        actor=actor,
        action="interview.update",
        review_id=review_id,
        kind="interview",
        changes=changes,
    )


def delete_interview(*, session: Session, review_id: int, interview_id: int, actor: Actor) -> None:
    """Delete an interview and its notes; its quotes, factors and life-line events stay (without the link)."""
    interview = get_interview(session=session, review_id=review_id, interview_id=interview_id)
    for model in (InterviewNote, InterviewParticipant, InterviewInterviewer):
        for row in session.exec(select(model).where(model.interview_id == interview_id)):
            session.delete(row)
    for quote in session.exec(select(Quote).where(Quote.interview_id == interview_id)):
        quote.interview_id = None
        session.add(quote)
    for factor in session.exec(select(CandidateFactor).where(CandidateFactor.interview_id == interview_id)):
        factor.interview_id = None
        session.add(factor)
    session.flush()
    session.delete(interview)
    audit.record(
        session, actor=actor, action="interview.delete", review_id=review_id, target=f"interview:{interview_id}"
    )


def _notes(session: Session, interview_id: int) -> dict[str, InterviewNote]:
    rows = session.exec(select(InterviewNote).where(InterviewNote.interview_id == interview_id)).all()
    return {note.topic_key: note for note in rows}


def _topic_out(topic: GuideTopicOut, note: InterviewNote | None, names: dict[int, str]) -> TopicOut:
    return TopicOut(
        key=topic.key,
        title=topic.title,
        prompt=topic.prompt,
        custom=topic.custom,
        notes=note.text if note else "",
        version=note.version if note else 0,
        updated_at=note.updated_at if note else None,
        updated_by=names.get(note.updated_by or 0) if note else None,
    )


def topics_of(*, session: Session, interview: Interview) -> list[TopicOut]:
    """The review's guide with this interview's notes on each topic."""
    notes = _notes(session, interview.id or 0)
    names = user_names(session=session, user_ids=(n.updated_by for n in notes.values()))
    return [_topic_out(t, notes.get(t.key), names) for t in guide(session=session, review_id=interview.review_id)]


def interview_out(*, session: Session, interview: Interview) -> InterviewOut:
    """An interview as the API shows it, with its topics and notes."""
    people = _people(session, interview.id or 0)
    return from_row(
        InterviewOut,
        interview,
        label=label_of(interview, people),
        participants=_person_refs(session, interview.review_id, people),
        interviewers=[MemberRef(id=u.id or 0, name=u.name) for u in _interviewers(session, interview.id or 0)],
        topics=topics_of(session=session, interview=interview),
    )


def list_interviews(*, session: Session, review_id: int) -> list[InterviewSummary]:
    """The review's interviews, oldest date first (planned ones without a date last)."""
    interviews = session.exec(select(Interview).where(Interview.review_id == review_id)).all()
    interviews = sorted(interviews, key=lambda i: (i.held_on is None, i.held_on or utcnow().date(), i.id or 0))
    quote_counts = dict(
        session.exec(
            select(Quote.interview_id, func.count())
            .where(Quote.review_id == review_id)
            .group_by(col(Quote.interview_id))
        ).all()
    )
    event_counts: dict[int, int] = {}
    for event in timeline.list_events(session=session, review_id=review_id):
        for ref in {s["ref_id"] for s in event.sources if s.get("kind") == SourceKind.interview}:
            event_counts[ref] = event_counts.get(ref, 0) + 1
    out = []
    for interview in interviews:
        interview_id = interview.id or 0
        people = _people(session, interview_id)
        notes = _notes(session, interview_id)
        out.append(
            InterviewSummary(
                id=interview_id,
                label=label_of(interview, people),
                held_on=interview.held_on,
                place=interview.place,
                status=interview.status,
                participants=_person_refs(session, review_id, people),
                interviewers=[MemberRef(id=u.id or 0, name=u.name) for u in _interviewers(session, interview_id)],
                topics_with_notes=sum(1 for n in notes.values() if n.text.strip()),
                quotes=int(quote_counts.get(interview_id, 0)),
                events=event_counts.get(interview_id, 0),
            )
        )
    return out


def save_notes(
    *, session: Session, review_id: int, interview_id: int, topic_key: str, user: User, data: NotesUpdate
) -> TopicOut:
    """Store the notes of one topic (autosave). A save based on an older version is refused with the current
    text (409), so two researchers never overwrite each other; repeating a save that already arrived is fine."""
    interview = get_interview(session=session, review_id=review_id, interview_id=interview_id)
    topic = next((t for t in guide(session=session, review_id=review_id) if t.key == topic_key), None)
    if topic is None:
        raise NotFound(_("This topic is not in the guide of this review."))
    note = session.exec(
        select(InterviewNote).where(InterviewNote.interview_id == interview_id, InterviewNote.topic_key == topic_key)
    ).first()
    current = note.version if note else 0
    if note is not None and note.text == data.text:
        return _topic_out(topic, note, user_names(session=session, user_ids=[note.updated_by]))
    if data.version != current:
        names = user_names(session=session, user_ids=[note.updated_by]) if note else {}
        raise Conflict(
            _("Someone else saved notes on this topic in the meantime. Nothing was overwritten."),
            detail={
                "current": _topic_out(topic, note, names).model_dump(mode="json"),
                "yours": {"text": data.text, "version": data.version},
            },
        )
    if note is None:
        note = InterviewNote(review_id=review_id, interview_id=interview.id or 0, topic_key=topic_key)
    note.text = data.text
    note.version = current + 1
    note.updated_by = user.id
    note.updated_at = utcnow()
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=Actor.of(user),
        action="interview.notes",
        review_id=review_id,
        target=f"interview:{interview_id}",
        detail=topic_key,
    )
    return _topic_out(topic, note, {user.id or 0: user.name})


# --- From a passage: life-line event, date text ----------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’()[]{},;:!?"
_LEADING_IN = re.compile(r"^(?:in|tijdens|during)\s+(?:(?:de|het|the)\s+)?", re.IGNORECASE)
MAX_WINDOW = 6
"""The most words a date text found in a passage spans ("in het voorjaar van 2014")."""
SEARCHED_CHARS = 2000
"""A date text is looked for in the first this many characters of a passage."""
DATE_YEARS = range(1900, 2101)
"""Only years in this range count as dates in a passage (so ages and amounts are not taken for dates)."""


def _as_date_text(candidate: str) -> str | None:
    text = candidate.strip(_EDGE + " ")
    for option in dict.fromkeys((text, text.rstrip("."))):
        if not option or not any(ch.isdigit() for ch in option):
            continue
        try:
            parsed = lifeline.parse_when(option)
        except lifeline.DateParseError:
            continue
        if parsed.earliest().year in DATE_YEARS and parsed.latest().year in DATE_YEARS:
            return option
    return None


def find_date_text(passage: str) -> str | None:
    """The first date text in a passage of notes, as it was written ("voorjaar 2014", "sept. 2020",
    "2014–2017", "sinds 2022"), for pre-filling a life-line event; None when it holds no date.

    Tries word windows from the left, the longest first, with the life-line's own date parser; only years
    from 1900 to 2100 count, so ages and amounts are not taken for dates.
    """
    tokens = list(_TOKEN.finditer(passage[:SEARCHED_CHARS]))
    for start in range(len(tokens)):
        for length in range(min(MAX_WINDOW, len(tokens) - start), 0, -1):
            candidate = passage[tokens[start].start() : tokens[start + length - 1].end()]
            found = _as_date_text(candidate)
            if found is None:
                continue
            shorter = _LEADING_IN.sub("", found)
            if shorter != found and _as_date_text(shorter) is not None:
                return shorter
            return found
    return None


def interview_source(*, session: Session, interview: Interview) -> Source:
    """This interview as the source of a life-line event."""
    return Source(
        kind=SourceKind.interview, ref_id=interview.id, label=interview_label(session=session, interview=interview)
    )


def event_from_passage(
    *, session: Session, review_id: int, interview_id: int, user: User, data: PassageEvent
) -> LifelineEvent:
    """Add a life-line event from a passage of the notes, with this interview as its source."""
    interview = get_interview(session=session, review_id=review_id, interview_id=interview_id)
    return timeline.create_event(
        session=session,
        review_id=review_id,
        actor=Actor.of(user),
        data=EventCreate(
            title=data.title,
            when=data.when,
            until=data.until or None,
            lane=data.lane,
            description=data.description,
            sources=[interview_source(session=session, interview=interview)],
            reference_date=interview.held_on,  # "vorige zomer" is counted from the day of the interview
        ),
    )


def events_of(*, session: Session, review_id: int, interview_id: int) -> list[LifelineEvent]:
    """The life-line events (not deleted) that have this interview as a source."""
    return [
        event
        for event in timeline.list_events(session=session, review_id=review_id)
        if any(s.get("kind") == SourceKind.interview and s.get("ref_id") == interview_id for s in event.sources)
    ]


# --- Quotes ----------------------------------------------------------------------------------------------


def _source_labels(session: Session, review_id: int) -> dict[int, str]:
    interviews = session.exec(select(Interview).where(Interview.review_id == review_id)).all()
    return {i.id or 0: interview_label(session=session, interview=i) for i in interviews}


def _quote_rows(session: Session, review_id: int, interview_id: int | None = None) -> Sequence[Quote]:
    query = select(Quote).where(Quote.review_id == review_id)
    if interview_id is not None:
        query = query.where(Quote.interview_id == interview_id)
    return session.exec(query.order_by(col(Quote.id))).all()


def list_quotes(*, session: Session, review_id: int, interview_id: int | None = None) -> list[QuoteOut]:
    """The review's quotes (or one interview's), each flagged when its speaker lacks consent for quotes."""
    consents = consents_for(session=session, review_id=review_id)
    people = {p.id: p for p in session.exec(select(Participant).where(Participant.review_id == review_id))}
    sources = _source_labels(session, review_id)
    out = []
    for quote in _quote_rows(session, review_id, interview_id):
        consent = ConsentScope.quotes in consents.get(quote.participant_id, set())
        participant = people.get(quote.participant_id)
        out.append(
            from_row(
                QuoteOut,
                quote,
                participant_pseudonym=participant.pseudonym if participant else "",
                source=sources.get(quote.interview_id or 0, ""),
                quotes_consent=consent,
                exportable=consent,
            )
        )
    return out


def exportable_quotes(*, session: Session, review_id: int) -> list[Quote]:
    """The quotes that may leave the system: only those whose speaker consents to quotes *right now*.

    Every path that takes quotes out of the service (report PDF/Word, exports such as JSON, CSV and
    REFI-QDA, share links) must take them from here and nowhere else: a quote of a participant who never gave
    or later withdrew consent for ``quotes`` is left out from the moment of withdrawal, whatever the
    withdrawal's effect. The team keeps seeing such quotes in the service, flagged.
    """
    consents = consents_for(session=session, review_id=review_id)
    return [q for q in _quote_rows(session, review_id) if ConsentScope.quotes in consents.get(q.participant_id, set())]


def create_quote(*, session: Session, review_id: int, user: User, data: QuoteCreate) -> Quote:
    """Mark a quote; the speaker is named by the participant's role label ("Moeder", "Hulpverlener")."""
    participant = session.get(Participant, data.participant_id)
    if participant is None or participant.review_id != review_id:
        raise InvalidInput.at("participant_id", _("Choose a participant of this review."))
    if data.interview_id is not None:
        interview = get_interview(session=session, review_id=review_id, interview_id=data.interview_id)
        if participant.id not in {p.id for p in _people(session, interview.id or 0)}:
            raise InvalidInput.at(
                "participant_id", _("%(name)s was not interviewed in this interview.", name=participant.pseudonym)
            )
    quote = Quote(
        review_id=review_id,
        participant_id=participant.id or 0,
        interview_id=data.interview_id,
        text=data.text,
        speaker=speaker_of(participant),
        created_by=user.id,
    )
    return audit.record_added(
        session, quote, actor=Actor.of(user), action="quote.create", review_id=review_id, kind="quote"
    )


def quote_out(*, session: Session, quote: Quote) -> QuoteOut:
    """One quote as the API shows it."""
    return next(q for q in list_quotes(session=session, review_id=quote.review_id) if q.id == quote.id)


def delete_quote(*, session: Session, review_id: int, quote_id: int, actor: Actor) -> None:
    """Delete a quote."""
    quote = of_review(session, Quote, quote_id, review_id, missing=_("This quote does not exist."))
    session.delete(quote)
    audit.record(session, actor=actor, action="quote.delete", review_id=review_id, target=f"quote:{quote_id}")


# --- Candidate factors -----------------------------------------------------------------------------------


def list_candidate_factors(
    *, session: Session, review_id: int, interview_id: int | None = None
) -> list[CandidateFactorOut]:
    """The candidate factors noted from interviews, success factors first."""
    query = select(CandidateFactor).where(CandidateFactor.review_id == review_id)
    if interview_id is not None:
        query = query.where(CandidateFactor.interview_id == interview_id)
    rows = session.exec(query.order_by(col(CandidateFactor.kind).desc(), col(CandidateFactor.id))).all()
    sources = _source_labels(session, review_id)
    return [from_row(CandidateFactorOut, f, source=sources.get(f.interview_id or 0, "")) for f in rows]


def create_candidate_factor(
    *, session: Session, review_id: int, user: User, data: CandidateFactorCreate
) -> CandidateFactor:
    """Note a possible success or hindering factor; the group interview takes these up as factors."""
    if data.interview_id is not None:
        get_interview(session=session, review_id=review_id, interview_id=data.interview_id)
    factor = CandidateFactor(
        review_id=review_id,
        kind=data.kind,
        title=data.title,
        passage=data.passage,
        interview_id=data.interview_id,
        created_by=user.id,
    )
    return audit.record_added(
        session,
        factor,
        actor=Actor.of(user),
        action="candidate_factor.create",
        review_id=review_id,
        kind="candidate_factor",
    )


def candidate_factor_out(*, session: Session, factor: CandidateFactor) -> CandidateFactorOut:
    """One candidate factor as the API shows it."""
    return next(f for f in list_candidate_factors(session=session, review_id=factor.review_id) if f.id == factor.id)


def delete_candidate_factor(*, session: Session, review_id: int, factor_id: int, actor: Actor) -> None:
    """Delete a candidate factor."""
    factor = of_review(
        session, CandidateFactor, factor_id, review_id, missing=_("This candidate factor does not exist.")
    )
    session.delete(factor)
    audit.record(
        session,
        actor=actor,
        action="candidate_factor.delete",
        review_id=review_id,
        target=f"candidate_factor:{factor_id}",
    )


def interviewer_choices(*, session: Session, review_id: int) -> list[User]:
    """The members who can interview: owners and researchers, by name."""
    return list(
        session.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == col(User.id))
            .where(Membership.review_id == review_id, col(Membership.role).in_([Role.owner, Role.researcher]))
            .order_by(col(User.name))
        ).all()
    )


# --- Live counts on the guide's steps ---------------------------------------------------------------------


@register_step_hint("interviews_held")
def interviews_hint(session: Session, review_id: int) -> str:
    """ "5 of 7 participants interviewed": selected participants in an interview that was held."""
    selected = set(
        session.exec(
            select(Participant.id).where(Participant.review_id == review_id, col(Participant.selected).is_(True))
        ).all()
    )
    interviewed = set(
        session.exec(
            select(InterviewParticipant.participant_id)
            .join(Interview, col(Interview.id) == col(InterviewParticipant.interview_id))
            .where(Interview.review_id == review_id, col(Interview.status).in_(INTERVIEWED))
        ).all()
    )
    return _("%(done)s of %(total)s participants interviewed", done=len(selected & interviewed), total=len(selected))


@register_step_hint("lifeline_constructed")
def _lifeline_hint(session: Session, review_id: int) -> str:
    counts = timeline.counts(session=session, review_id=review_id)
    text = ngettext("%(num)s event on the life-line", "%(num)s events on the life-line", counts["total"])
    if counts.get("confirmed"):
        text += " · " + _("%(n)s confirmed", n=counts["confirmed"])
    return text


timeline.register_source_model(SourceKind.interview, Interview)  # life-line sources may point at these
