"""Exports that other tools read: the complete review as JSON (imported again by ``app.reports.imports``), factors and
stickers as CSV, everything about one participant (GDPR access request) and a REFI-QDA project.

What never leaves: quotes outside ``exportable_quotes`` (and evidence pointing at them), uploaded file contents
(their metadata only), the audit log, share links, join codes and phone sessions, and the live event log.
"""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from uuid import UUID, uuid4, uuid5

from sqlalchemy import Column, ForeignKey
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, col, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.config import Settings
from app.db.base import JSONText, utcnow
from app.documents.models import Document as CaseDocument
from app.documents.models import DocumentFinding
from app.findings.models import (
    FindingEvidence,
    FindingNode,
    FindingNodeVersion,
    Framework,
    FrameworkTheme,
    NodeTheme,
)
from app.findings.schemas import NodeOut
from app.findings.service import frameworks as findings_frameworks
from app.findings.service import tree as findings_tree
from app.group_interview.models import Factor, FactorKind, GroupInterview, LifelineProposal, ParticipantDevice
from app.i18n import _
from app.interviews.models import (
    CandidateFactor,
    GuideTopic,
    Interview,
    InterviewInterviewer,
    InterviewNote,
    InterviewParticipant,
    Quote,
)
from app.interviews.service import exportable_quotes
from app.participants.models import Consent, Participant
from app.reports.schemas import EXPORT_FORMAT, EXPORT_VERSION
from app.reviews.models import Review, ReviewStep
from app.share_back.models import ShareBackDecision, ShareBackMeeting
from app.timeline.models import LifelineAnchor, LifelineEvent, LifelineEventVersion, LifelinePerson
from app.timeline.service import list_events as timeline_events
from app.voting.models import Sticker, StickerRound
from lifeline.csvio import neutralise, write_rows
from lifeline.text import escape, printable, quoteattr

EXCLUDED = (
    "quotes of participants who do not (or no longer) consent to quotes, and evidence pointing at them",
    "the contents of uploaded case-file documents (their metadata is listed; the files stay in the service)",
    "the audit log, share links, join codes, phone sessions and the live event log of the group interview",
    "memberships: whoever imports the file becomes its only owner",
    "the reactions of a share-back meeting (anonymous: who reacted stays in the service; decisions go along)",
)
EVIDENCE_TARGETS = {
    "event": "lifeline_events",
    "quote": "quotes",
    "round": "sticker_rounds",
    "document": "documents",
    "interview": "interviews",
    "factor": "factors",
}
ANCHOR_TARGETS = {"person": "lifeline_people", "event": "lifeline_events"}
SOURCE_TARGETS = {"interview": "interviews", "document": "documents", "group_interview": "group_interviews"}


@dataclass(frozen=True)
class _Table:
    model: type[SQLModel]
    omit: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return str(self.model.__tablename__)

    @property
    def columns(self) -> list[Column[Any]]:
        return [c for c in self.model.__table__.columns if c.name not in self.omit]  # type: ignore[attr-defined]


# In the order of their dependencies: every table refers only to tables above it (or to itself).
TABLES: tuple[_Table, ...] = (
    _Table(ReviewStep),
    _Table(Participant),
    _Table(Consent),
    _Table(LifelinePerson),
    _Table(LifelineEvent),
    _Table(LifelineAnchor),  # no id of its own: one row per event, its target a person or event (by kind)
    _Table(LifelineEventVersion),
    _Table(GroupInterview, frozenset({"code_nonce", "code_hash"})),
    _Table(LifelineProposal),
    _Table(Factor),
    _Table(StickerRound),
    _Table(Sticker),
    _Table(GuideTopic),
    _Table(Interview),
    _Table(InterviewParticipant),
    _Table(InterviewInterviewer),
    _Table(InterviewNote),
    _Table(Quote),
    _Table(CandidateFactor),
    _Table(CaseDocument, frozenset({"stored_name"})),
    _Table(DocumentFinding),
    _Table(Framework),
    _Table(FrameworkTheme),
    _Table(FindingNode),
    _Table(FindingNodeVersion),
    _Table(FindingEvidence),
    _Table(NodeTheme),
    _Table(ShareBackMeeting),
    _Table(ShareBackDecision),
)
REVIEW_OMIT = frozenset({"id"})


def fk_target(column: Column[Any]) -> str | None:
    """The table a column refers to, if it is a foreign key."""
    keys: set[ForeignKey] = set(column.foreign_keys)
    return next(iter(keys)).column.table.name if keys else None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _attribute(model: type[SQLModel], column: Column[Any]) -> str:
    """The model attribute that holds a column (``sources`` for ``sources_json``)."""
    return str(sa_inspect(model).get_property_by_column(column).key)


def _row(item: SQLModel, columns: Iterable[Column[Any]]) -> dict[str, Any]:
    """A row as the export writes it: keyed by column name, JSON columns as their JSON text."""
    out: dict[str, Any] = {}
    for c in columns:
        value = getattr(item, _attribute(type(item), c))
        out[c.name] = json.dumps(value, ensure_ascii=False) if isinstance(c.type, JSONText) else _plain(value)
    return out


# --- JSON export -----------------------------------------------------------------------------------------------


def _rows(session: Session, review_id: int, table: _Table, kept: dict[str, set[int]]) -> list[SQLModel]:
    model: Any = table.model
    if table.model is FrameworkTheme:
        query = select(model).where(col(model.framework_id).in_(kept.get("frameworks", set()) or {-1}))
    else:
        query = select(model).where(model.review_id == review_id)
    order = model.event_id if table.model is LifelineAnchor else model.id
    rows: list[Any] = list(session.exec(query.order_by(col(order))))
    if table.model is Quote:
        allowed = {q.id for q in exportable_quotes(session=session, review_id=review_id)}
        rows = [q for q in rows if q.id in allowed]
    if table.model is FindingEvidence:
        rows = [
            e
            for e in rows
            if e.ref_id in kept.get(EVIDENCE_TARGETS.get(e.kind, ""), set())
            and (e.from_node_id is None or e.from_node_id in kept["finding_nodes"])
        ]
    return list(rows)


def export_review(*, session: Session, review: Review) -> dict[str, Any]:
    """The complete review as a JSON-ready dict with a format version (see ``EXCLUDED`` for what is left out)."""
    review_id = review.id or 0
    tables: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, set[int]] = {}
    user_ids: set[int] = set()
    for table in TABLES:
        rows = _rows(session, review_id, table, kept)
        kept[table.name] = {i for r in rows if (i := getattr(r, "id", None)) is not None}
        out = [_row(r, table.columns) for r in rows]
        if table.model is NodeTheme:
            for item in out:
                item["theme_ref"] = _theme_ref(session, item["theme_id"])
        for column in table.columns:
            if fk_target(column) == "users":
                user_ids |= {r[column.name] for r in out if r[column.name] is not None}
        tables[table.name] = out
    review_columns = [c for c in Review.__table__.columns if c.name not in REVIEW_OMIT]  # type: ignore[attr-defined]
    if review.created_by is not None:
        user_ids.add(review.created_by)
    users = session.exec(select(User).where(col(User.id).in_(user_ids or {-1})).order_by(col(User.id))).all()
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "exported_at": utcnow().isoformat(),
        "excluded": list(EXCLUDED),
        "review": _row(review, review_columns),
        "users": [{"id": u.id, "name": u.name, "email": u.email} for u in users],
        "tables": tables,
    }


def _theme_ref(session: Session, theme_id: int) -> dict[str, str] | None:
    theme = session.get(FrameworkTheme, theme_id)
    framework = session.get(Framework, theme.framework_id) if theme else None
    if theme is None or framework is None or framework.review_id is not None:
        return None  # the team's own framework travels in the export itself
    return {"framework": framework.key, "theme": theme.key}


# --- CSV -------------------------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet never runs as a formula (see ``lifeline.csvio.neutralise``)."""
    return neutralise(value)


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]], sep: str) -> str:
    """CSV with a BOM (Excel reads it as UTF-8), every cell quoted and neutralised, ``sep`` between fields."""
    return "\ufeff" + write_rows(list(header), [list(row) for row in rows], delimiter=sep)


def _rounds(session: Session, review_id: int) -> list[StickerRound]:
    return list(
        session.exec(select(StickerRound).where(StickerRound.review_id == review_id).order_by(col(StickerRound.id)))
    )


def factors_csv(*, session: Session, review_id: int, sep: str = ";") -> str:
    """Every factor of the group interview with its stickers in total and per round."""
    factors = session.exec(select(Factor).where(Factor.review_id == review_id).order_by(col(Factor.id))).all()
    rounds = _rounds(session, review_id)
    stickers = session.exec(select(Sticker).where(Sticker.review_id == review_id)).all()
    count: dict[tuple[int, int], int] = {}
    for sticker in stickers:
        count[(sticker.factor_id, sticker.round_id)] = count.get((sticker.factor_id, sticker.round_id), 0) + 1
    events = {e.id: e for e in session.exec(select(LifelineEvent).where(LifelineEvent.review_id == review_id))}
    header = [
        "factor_id",
        "kind",
        "title",
        "description",
        "moment",
        "lifeline_event",
        "merged_into",
        "stickers",
        *[f"round_{r.id}_{r.kind}" for r in rounds],
    ]
    rows = []
    for factor in factors:
        per_round = [count.get((factor.id or 0, r.id or 0), 0) for r in rounds]
        event = events.get(factor.event_id)
        rows.append(
            [
                factor.id,
                factor.kind.value,
                factor.title,
                factor.description,
                factor.moment_text,
                f"{event.when_text} — {event.title}" if event else "",
                factor.merged_into_id or "",
                sum(per_round),
                *per_round,
            ]
        )
    return csv_document(header, rows, sep)


def stickers_csv(*, session: Session, review_id: int, sep: str = ";") -> str:
    """One line per sticker; in anonymous rounds without who placed it or when (the order could tell)."""
    rounds = {r.id: r for r in _rounds(session, review_id)}
    factors = {f.id: f for f in session.exec(select(Factor).where(Factor.review_id == review_id))}
    people = {p.id: p for p in session.exec(select(Participant).where(Participant.review_id == review_id))}
    stickers = session.exec(select(Sticker).where(Sticker.review_id == review_id)).all()
    rows = []
    for sticker in sorted(stickers, key=lambda s: (s.round_id, s.factor_id, s.id or 0)):
        sticker_round = rounds.get(sticker.round_id)
        factor = factors.get(sticker.factor_id)
        anonymous = sticker_round is None or sticker_round.anonymous
        person = people.get(sticker.participant_id) if not anonymous else None
        rows.append(
            [
                sticker.round_id,
                sticker_round.kind.value if sticker_round else "",
                "yes" if anonymous else "no",
                sticker.factor_id,
                factor.title if factor else "",
                person.pseudonym if person else "",
                sticker.source,
                "" if anonymous else sticker.created_at.isoformat(),
            ]
        )
    header = ["round_id", "round_kind", "anonymous", "factor_id", "factor", "participant", "source", "placed_at"]
    return csv_document(header, rows, sep)


# --- GDPR access request ---------------------------------------------------------------------------------------


def _names_of(pseudonym: str) -> set[str]:
    """The names a participant goes by on the life-line: the pseudonym, and without an added note ("Noor (15)")."""
    name = pseudonym.strip().lower()
    return {name, name.split(" (")[0].strip()} - {""}


def participant_export(*, session: Session, review: Review, participant: Participant) -> dict[str, Any]:
    """Everything stored about one participant (GDPR access request), as JSON-ready data."""
    review_id, pid = review.id or 0, participant.id or 0

    def rows(model: Any, *conditions: Any) -> list[dict[str, Any]]:
        found = session.exec(select(model).where(*conditions).order_by(col(model.id))).all()
        return [_row(r, model.__table__.columns) for r in found]

    interview_ids = [
        link.interview_id
        for link in session.exec(
            select(InterviewParticipant).where(
                InterviewParticipant.review_id == review_id, InterviewParticipant.participant_id == pid
            )
        )
    ]
    interviews = rows(Interview, Interview.review_id == review_id, col(Interview.id).in_(interview_ids or [-1]))
    notes = rows(
        InterviewNote, InterviewNote.review_id == review_id, col(InterviewNote.interview_id).in_(interview_ids or [-1])
    )
    own_quotes = [q for q in exportable_quotes(session=session, review_id=review_id) if q.participant_id == pid]
    all_quotes = session.exec(select(Quote.id).where(Quote.review_id == review_id, Quote.participant_id == pid)).all()
    stickers = session.exec(
        select(Sticker).where(Sticker.review_id == review_id, Sticker.participant_id == pid).order_by(col(Sticker.id))
    ).all()
    rounds = {r.id: r for r in _rounds(session, review_id)}
    named: list[dict[str, Any]] = []
    anonymous_counts: dict[int, int] = {}
    for sticker in stickers:
        sticker_round = rounds.get(sticker.round_id)
        if sticker_round is None or sticker_round.anonymous:
            anonymous_counts[sticker.round_id] = anonymous_counts.get(sticker.round_id, 0) + 1
        else:
            named.append(_row(sticker, Sticker.__table__.columns))  # type: ignore[attr-defined]
    names = _names_of(participant.pseudonym)
    events = [
        {"id": e.id, "when": e.when_text, "title": e.title, "lane": e.lane}
        for e in session.exec(
            select(LifelineEvent).where(LifelineEvent.review_id == review_id).order_by(col(LifelineEvent.id))
        )
        if names & {p.lower() for p in e.people}
    ]
    life_line_people = [
        _row(p, LifelinePerson.__table__.columns)  # type: ignore[attr-defined]
        for p in session.exec(
            select(LifelinePerson).where(LifelinePerson.review_id == review_id).order_by(col(LifelinePerson.id))
        )
        if p.name.lower() in names
    ]
    devices = session.exec(
        select(ParticipantDevice)
        .join(GroupInterview, col(GroupInterview.id) == col(ParticipantDevice.group_interview_id))
        .where(GroupInterview.review_id == review_id, ParticipantDevice.participant_id == pid)
    ).all()
    logged = session.exec(
        select(AuditEntry)
        .where(AuditEntry.review_id == review_id, AuditEntry.target == f"participant:{pid}")
        .order_by(col(AuditEntry.id))
    ).all()
    return {
        "format": "leerreview.participant",
        "format_version": 1,
        "exported_at": utcnow().isoformat(),
        "review": {"id": review_id, "title": review.title, "case_pseudonym": review.case_pseudonym},
        "participant": _row(participant, Participant.__table__.columns),  # type: ignore[attr-defined]
        "consents": rows(Consent, Consent.review_id == review_id, Consent.participant_id == pid),
        "interviews": interviews,
        "interview_notes": notes,
        "quotes": [_row(q, Quote.__table__.columns) for q in own_quotes],  # type: ignore[attr-defined]
        "quotes_not_exported": len(all_quotes) - len(own_quotes),
        "stickers_in_named_rounds": named,
        "stickers_in_anonymous_rounds": [{"round_id": k, "stickers": v} for k, v in sorted(anonymous_counts.items())],
        "factors_named": rows(Factor, Factor.review_id == review_id, Factor.participant_id == pid),
        "lifeline_proposals": rows(
            LifelineProposal, LifelineProposal.review_id == review_id, LifelineProposal.participant_id == pid
        ),
        "lifeline_events_naming_them": events,
        "lifeline_people_named_as_them": life_line_people,
        "devices": [
            {
                "group_interview_id": d.group_interview_id,
                "joined_at": _plain(d.joined_at),
                "left_at": _plain(d.revoked_at),
            }
            for d in devices
        ],
        "audit_log": [{"at": _plain(a.at), "action": a.action, "actor": a.actor} for a in logged],
        "notes": [
            "Quotes are included only while the participant consents to quotes; the count of others is given.",
            "In anonymous sticker rounds only the number of stickers is given, not on which factors.",
        ],
    }


# --- REFI-QDA ---------------------------------------------------------------------------------------------------

QDA_NS = "urn:QDA-XML:project:1.0"
INSTALLATION_FILE = "installation_id"
SUCCESS_COLOUR, HINDERING_COLOUR, NEUTRAL_COLOUR, QUOTE_COLOUR = "#009E73", "#D55E00", "#0072B2", "#E0A43A"


def installation_id(settings: Settings) -> UUID:
    """This installation's own random id, made once and kept in the data directory: the namespace of every
    REFI-QDA GUID, so two installations never give two different things the same GUID."""
    path = settings.data_dir / INSTALLATION_FILE
    try:
        return UUID(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x") as handle:  # exclusive: two workers making it at once keep one
            handle.write(str(uuid4()))
    except FileExistsError:
        pass
    return UUID(path.read_text().strip())


def plain_text(text: str) -> str:
    """Text as the sources hold it: CRLF and CR made LF, so positions count the same characters everywhere."""
    return printable(text.replace("\r\n", "\n").replace("\r", "\n"))


def qda_time(value: dt.datetime | None) -> str:
    """A REFI-QDA ``creationDateTime``: UTC to the second (now, when ``value`` is None)."""
    moment = (value or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class _Source:
    """One plain-text source being written, with the span of every piece that codings may point at."""

    guid: str
    name: str
    text: str = ""
    spans: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)

    def add(self, piece: str, key: tuple[str, int] | None = None) -> None:
        """Append ``piece`` (as plain text: LF lines, no control characters), marked as ``key`` when given."""
        if self.text:
            self.text += "\n\n"
        start = len(self.text)
        self.text += plain_text(piece)
        if key is not None:
            self.spans[key] = (start, len(self.text))

    def find(self, key: tuple[str, int], piece: str) -> bool:
        """Mark ``piece`` where it occurs in the text already written; False if it does not occur."""
        piece = plain_text(piece)
        start = self.text.find(piece) if piece else -1
        if start < 0:
            return False
        self.spans[key] = (start, start + len(piece))
        return True


@dataclass(frozen=True)
class _Coding:
    code: str
    user: str
    at: str


class QdaUsers:
    """A REFI-QDA project's users: the exporter, and anyone a source or coding names (looked up once each)."""

    def __init__(self, session: Session, guid: Callable[..., str], exporter: User) -> None:
        self.session, self.guid = session, guid
        self.exporter = guid("user", exporter.id)
        self.names: dict[str, str] = {self.exporter: exporter.name or exporter.email}

    def of(self, user_id: int | None) -> str:
        """The GUID of ``user_id`` (the exporter when nobody is known)."""
        if user_id is None:
            return self.exporter
        guid = self.guid("user", user_id)
        if guid not in self.names:
            found = self.session.get(User, user_id)
            self.names[guid] = (found.name or found.email) if found else f"user {user_id}"
        return guid

    def xml(self) -> str:
        """The project's ``User`` elements: everyone a GUID was handed out for."""
        return "".join(f"<User guid={quoteattr(g)} name={quoteattr(n)}/>" for g, n in self.names.items())


class _Qdpx:
    """Builds a REFI-QDA project from a review: sources, a codebook, and codings with users and dates."""

    def __init__(self, session: Session, settings: Settings, review: Review, user: User) -> None:
        self.session, self.review, self.review_id = session, review, review.id or 0
        self.namespace = installation_id(settings)
        self.users = QdaUsers(session, self.guid, user)
        self.sources: list[_Source] = []
        self.codings: dict[str, dict[tuple[str, int] | None, list[_Coding]]] = {}
        self.notes: list[str] = []

    def guid(self, *parts: object) -> str:
        return str(uuid5(self.namespace, ":".join(map(str, (self.review_id, *parts))))).upper()

    def code(self, source: _Source, key: tuple[str, int] | None, coding: _Coding) -> None:
        """Code a piece of a source (``key``) or, with ``key`` None, the whole source (once per code)."""
        codings = self.codings.setdefault(source.guid, {}).setdefault(key, [])
        if all(c.code != coding.code for c in codings):
            codings.append(coding)


def qdpx_archive(project: str, files: dict[str, bytes] | None = None) -> bytes:
    """A REFI-QDA project file (``.qdpx``): the project XML as ``project.qde`` and its sources beside it (CPU
    work: made without the database, after the request's turn, ``app.downloads.LateFile``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for path, content in (files or {}).items():
            archive.writestr(path, content)
    return buffer.getvalue()


def code_xml(guid: str, name: str, colour: str, description: str = "", children: str = "", codable: bool = True) -> str:
    """A REFI-QDA ``Code`` element (name and description as plain text, escaped)."""
    about = f"<Description>{escape(plain_text(description))}</Description>" if description else ""
    return (
        f"<Code guid={quoteattr(guid)} name={quoteattr(name or '—')} isCodable={quoteattr(str(codable).lower())} "
        f"color={quoteattr(colour)}>{about}{children}</Code>"
    )


def qdpx(*, session: Session, settings: Settings, review: Review, user: User) -> bytes:
    """The REFI-QDA project of ``qdpx_maker`` as bytes, made right away."""
    return qdpx_maker(session=session, settings=settings, review=review, user=user)()


def qdpx_maker(*, session: Session, settings: Settings, review: Review, user: User) -> Callable[[], bytes]:
    """Read what the REFI-QDA project holds; the returned function writes it (XML and zip) without the
    database, so a route can make the bytes after its database turn.

    A REFI-QDA project (.qdpx) that carries the analysis: the interview notes, the group interview, the
    life-line, the case-file documents and the sticker rounds as text sources; the findings tree (its
    hierarchy kept), the framework themes, the factors and the candidate factors as codes; and a coding,
    with its user and date, for every evidence link, theme, quote and candidate-factor passage. What is left
    out, or could not be placed where it belongs, is said in the project's description."""
    build = _Qdpx(session, settings, review, user)
    review_id = build.review_id
    quotes = exportable_quotes(session=session, review_id=review_id)
    held_back = len(session.exec(select(Quote.id).where(Quote.review_id == review_id)).all()) - len(quotes)
    sources: dict[tuple[str, int], _Source] = {}  # where each piece (quote, event, …) was written
    by_interview: dict[int, _Source] = {}

    def place(source: _Source, key: tuple[str, int]) -> None:
        sources[key] = source

    # Interview notes
    for interview in session.exec(
        select(Interview).where(Interview.review_id == review_id).order_by(col(Interview.id))
    ).all():
        notes = session.exec(
            select(InterviewNote).where(InterviewNote.interview_id == interview.id).order_by(col(InterviewNote.id))
        ).all()
        held = interview.held_on.isoformat() if interview.held_on else "?"
        source = _Source(
            build.guid("interview", interview.id), _("Interview %(id)s (%(date)s)", id=interview.id, date=held)
        )
        for note in notes:
            if note.text.strip():
                source.add(f"[{note.topic_key}]\n{plain_text(note.text)}")
        build.sources.append(source)
        by_interview[interview.id or 0] = source
        place(source, ("interview", interview.id or 0))

    # The group interview: its factors, and the quotes said there (or not found in the notes)
    group = _Source(build.guid("group_interview"), _("Group interview"))
    factors = session.exec(
        select(Factor)
        .where(Factor.review_id == review_id, col(Factor.merged_into_id).is_(None))
        .order_by(col(Factor.id))
    ).all()
    for factor in factors:
        text = factor.title + (f" — {plain_text(factor.description)}" if factor.description.strip() else "")
        group.add(text, ("factor", factor.id or 0))
        place(group, ("factor", factor.id or 0))
    unplaced = _Source(build.guid("unplaced"), _("Quotes and passages not found in the interview notes"))
    for quote in quotes:
        key, text = ("quote", quote.id or 0), plain_text(quote.text)
        home = by_interview.get(quote.interview_id or -1)
        if home is not None and home.find(key, text):
            place(home, key)
        elif quote.interview_id is None:
            group.add(f"{quote.speaker}: “{text}”", None)
            group.find(key, text)
            place(group, key)
        else:
            unplaced.add(f"{quote.speaker}: “{text}”")
            unplaced.find(key, text)
            place(unplaced, key)
    build.sources.append(group)

    # Candidate factors: their passages in the notes
    candidates = session.exec(
        select(CandidateFactor).where(CandidateFactor.review_id == review_id).order_by(col(CandidateFactor.id))
    ).all()
    for candidate in candidates:
        key, passage = ("candidate", candidate.id or 0), plain_text(candidate.passage).strip()
        home = by_interview.get(candidate.interview_id or -1)
        if not passage:
            if home is not None:  # no passage marked: the candidate codes the interview it came from
                sources[key] = home
            continue
        if home is not None and home.find(key, passage):
            place(home, key)
        else:
            unplaced.add(passage)
            unplaced.find(key, passage)
            place(unplaced, key)
    if unplaced.text:
        build.sources.append(unplaced)
        build.notes.append(
            _(
                "%(n)s quotes or passages were not found in their interview's notes; they are in the source "
                "“%(source)s”.",
                n=len(unplaced.spans),
                source=unplaced.name,
            )
        )

    # The life-line
    life_line = _Source(build.guid("lifeline"), _("Life-line"))
    for event in timeline_events(session=session, review_id=review_id):
        line = f"{event.when_text}{' – ' + event.until_text if event.until_text else ''}: {event.title}"
        if event.description.strip():
            line += "\n" + plain_text(event.description)
        life_line.add(line, ("event", event.id or 0))
        place(life_line, ("event", event.id or 0))
    if life_line.text:
        build.sources.append(life_line)

    # Case-file documents (their notes; the files stay in the service)
    for document in session.exec(
        select(CaseDocument).where(CaseDocument.review_id == review_id).order_by(col(CaseDocument.id))
    ).all():
        source = _Source(build.guid("document", document.id), document.title)
        dated = document.dated.isoformat() if document.dated else ""
        source.add(" · ".join(p for p in (document.title, dated, document.author_organisation) if p))
        if document.notes.strip():
            source.add(plain_text(document.notes))
        build.sources.append(source)
        place(source, ("document", document.id or 0))

    # Sticker rounds
    rounds_source = _Source(build.guid("rounds"), _("Sticker rounds"))
    titles = {f.id: f.title for f in factors}
    for number, sticker_round in enumerate(_rounds(session, review_id), start=1):
        counts: dict[int, int] = {}
        for sticker in session.exec(select(Sticker).where(Sticker.round_id == sticker_round.id)).all():
            counts[sticker.factor_id] = counts.get(sticker.factor_id, 0) + 1
        lines = [f"{titles.get(fid, fid)}: {n}" for fid, n in sorted(counts.items(), key=lambda item: -item[1])]
        heading = _("Sticker round %(n)s: %(kind)s", n=number, kind=sticker_round.kind.value)
        rounds_source.add("\n".join([heading, *lines]), ("round", sticker_round.id or 0))
        place(rounds_source, ("round", sticker_round.id or 0))
    if rounds_source.text:
        build.sources.append(rounds_source)

    def code_at(key: tuple[str, int], coding: _Coding) -> bool:
        source = sources.get(key)
        if source is None:
            return False
        whole = key not in source.spans
        build.code(source, None if whole else key, coding)
        return True

    # Codes: quotes, factors, candidate factors
    quote_code = build.guid("code", "quote")
    for quote in quotes:
        code_at(
            ("quote", quote.id or 0), _Coding(quote_code, build.users.of(quote.created_by), qda_time(quote.created_at))
        )

    def factor_code(key: str, factor: Factor | CandidateFactor, description: str = "") -> str:
        """A (candidate) factor's code, coded where its source names it."""
        guid = build.guid("code", key, factor.id)
        code_at((key, factor.id or 0), _Coding(guid, build.users.of(factor.created_by), qda_time(factor.created_at)))
        colour = SUCCESS_COLOUR if factor.kind == FactorKind.success else HINDERING_COLOUR
        return code_xml(guid, factor.title, colour, description)

    factor_codes = [factor_code("factor", f, f.description) for f in factors]
    candidate_codes = [factor_code("candidate", c) for c in candidates]

    # Codes: the findings tree, with its hierarchy, and the themes its nodes are coded with
    tree = findings_tree(session=session, review_id=review_id)
    theme_codes: dict[int, str] = {}
    dropped_evidence = 0

    def node_codes(nodes: list[NodeOut]) -> str:
        nonlocal dropped_evidence
        out = []
        for node in nodes:
            guid = build.guid("code", "node", node.id)
            coding = _Coding(
                guid, build.users.of(node_author(session, node.id)), qda_time(node_changed(session, node.id))
            )
            keys = [(e.kind, e.ref_id) for e in node.evidence if e.exportable]
            if node.factor_id is not None:
                keys.append(("factor", node.factor_id))
            for key in keys:
                if not code_at(key, coding):
                    dropped_evidence += 1
                    continue
                for theme in node.themes:
                    theme_codes.setdefault(theme.id, build.guid("code", "theme", theme.id))
                    code_at(key, _Coding(theme_codes[theme.id], coding.user, coding.at))
            for theme in node.themes:
                theme_codes.setdefault(theme.id, build.guid("code", "theme", theme.id))
            colour = HINDERING_COLOUR if node.branch == "hindering" else SUCCESS_COLOUR
            out.append(code_xml(guid, node.title, colour, node.explanation, node_codes(node.children)))
        return "".join(out)

    branches = [
        (_("Success factors"), tree.root.children, SUCCESS_COLOUR),
        (_("Hindering factors and recommendations"), tree.hindering, HINDERING_COLOUR),
        (_("What works"), tree.what_works, NEUTRAL_COLOUR),
    ]
    tree_children = "".join(
        code_xml(build.guid("code", "branch", index), name, colour, children=node_codes(nodes), codable=False)
        for index, (name, nodes, colour) in enumerate(branches)
        if nodes
    )
    codebook = [
        code_xml(build.guid("code", "tree"), _("Findings tree"), SUCCESS_COLOUR, tree.root.title, tree_children, False)
    ]
    framework_codes = []
    for framework in findings_frameworks(session=session, review_id=review_id):
        themes = [t for t in framework.themes if t.id in theme_codes]
        if themes:
            children = "".join(code_xml(theme_codes[t.id], t.title, NEUTRAL_COLOUR) for t in themes)
            framework_codes.append(
                code_xml(
                    build.guid("code", "framework", framework.id),
                    framework.title,
                    NEUTRAL_COLOUR,
                    children=children,
                    codable=False,
                )
            )
    for group_key, group_title, group_codes in (
        ("frameworks", _("Framework themes"), framework_codes),
        ("factors", _("Factors from the group interview"), factor_codes),
        ("candidates", _("Candidate factors from the interviews"), candidate_codes),
    ):
        if group_codes:
            codebook.append(
                code_xml(
                    build.guid("code", group_key),
                    group_title,
                    NEUTRAL_COLOUR,
                    children="".join(group_codes),
                    codable=False,
                )
            )
    codebook.append(code_xml(quote_code, _("Quote"), QUOTE_COLOUR))

    if held_back:
        build.notes.append(
            _("%(n)s quotes are left out: their speakers do not (or no longer) consent to quotes.", n=held_back)
        )
    if dropped_evidence:
        build.notes.append(_("%(n)s evidence links point at something that is not exported.", n=dropped_evidence))
    for source in build.sources:
        if not source.text:
            source.add(_("(no text)"))
    build.notes.append(_("Exported from leerreview: pseudonyms only."))
    return lambda: _qdpx_zip(build, codebook)


def node_author(session: Session, node_id: int) -> int | None:
    """Who last changed a findings-tree node (from its history), if known."""
    return session.exec(
        select(FindingNodeVersion.changed_by)
        .where(FindingNodeVersion.node_id == node_id)
        .order_by(col(FindingNodeVersion.version).desc())
    ).first()


def node_changed(session: Session, node_id: int) -> dt.datetime | None:
    """When a findings-tree node was last changed."""
    node = session.get(FindingNode, node_id)
    return node.updated_at if node else None


def coding_xml(guid: str, code: str, user: str, at: str) -> str:
    """A REFI-QDA ``Coding`` element: ``code`` applied by ``user`` at ``at`` (a :func:`qda_time`)."""
    return (
        f'<Coding guid="{guid}" creatingUser="{user}" creationDateTime="{at}"><CodeRef targetGUID="{code}"/></Coding>'
    )


def _coding_xml(build: _Qdpx, key: object, coding: _Coding) -> str:
    return coding_xml(build.guid("coding", key, coding.code), coding.code, coding.user, coding.at)


def _qdpx_zip(build: _Qdpx, codebook: list[str]) -> bytes:
    files: dict[str, bytes] = {}
    sources_xml = []
    now = qda_time(None)
    for source in build.sources:
        files[f"sources/{source.guid}.txt"] = source.text.encode("utf-8")
        codings = build.codings.get(source.guid, {})
        selections = []
        for key, (start, end) in sorted(source.spans.items(), key=lambda item: item[1]):
            coded = codings.get(key, [])
            if not coded:
                continue
            selections.append(
                f'<PlainTextSelection guid="{build.guid("selection", source.guid, *key)}" '
                f'name={quoteattr(source.text[start:end][:60])} startPosition="{start}" endPosition="{end}" '
                f'creatingUser="{coded[0].user}" creationDateTime="{coded[0].at}">'
                + "".join(_coding_xml(build, (source.guid, *key), c) for c in coded)
                + "</PlainTextSelection>"
            )
        whole = "".join(_coding_xml(build, (source.guid, "whole"), c) for c in codings.get(None, []))
        sources_xml.append(
            f"<TextSource guid={quoteattr(source.guid)} name={quoteattr(source.name)} "
            f'plainTextPath="internal://{source.guid}.txt" creatingUser="{build.users.exporter}" '
            f'creationDateTime="{now}">'
            f"{''.join(selections)}{whole}</TextSource>"
        )
    users = build.users.xml()
    description = " ".join(build.notes)
    project = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="{QDA_NS}" name={quoteattr(build.review.case_pseudonym or build.review.title)} '
        f'origin="leerreview" creatingUserGUID="{build.users.exporter}" creationDateTime="{now}">'
        f"<Users>{users}</Users>"
        f"<CodeBook><Codes>{''.join(codebook)}</Codes></CodeBook>"
        f"<Sources>{''.join(sources_xml)}</Sources>"
        f"<Description>{escape(description)}</Description>"
        "</Project>"
    )
    return qdpx_archive(project, files)
