"""Exports that other tools read: the complete review as JSON (and its import into a new review), factors and
stickers as CSV, everything about one participant (GDPR access request) and a REFI-QDA project.

What never leaves: quotes outside ``exportable_quotes`` (and evidence pointing at them), uploaded file contents
(their metadata only), the audit log, share links, join codes and phone sessions, and the live event log.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel, ValidationError
from sqlalchemy import Column, ForeignKey
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import Session, SQLModel, col, select

from app import audit
from app.audit.models import AuditEntry
from app.auth.models import User
from app.config import Settings
from app.db.base import JSONText, utcnow
from app.documents.models import Document as CaseDocument
from app.documents.models import DocumentFinding
from app.errors import InvalidInput
from app.findings.models import (
    FindingEvidence,
    FindingNode,
    FindingNodeVersion,
    Framework,
    FrameworkTheme,
    NodeTheme,
)
from app.findings.service import ensure_frameworks
from app.group_interview import codes
from app.group_interview.models import Factor, GroupInterview, LifelineProposal, ParticipantDevice
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
from app.reviews.models import Membership, Review, ReviewStep, Role
from app.reviews.schemas import ReviewCreate
from app.timeline.models import LifelineEvent, LifelineEventVersion
from app.voting.models import Sticker, StickerRound

EXCLUDED = (
    "quotes of participants who do not (or no longer) consent to quotes, and evidence pointing at them",
    "the contents of uploaded case-file documents (their metadata is listed; the files stay in the service)",
    "the audit log, share links, join codes, phone sessions and the live event log of the group interview",
    "memberships: whoever imports the file becomes its only owner",
)
EVIDENCE_TARGETS = {
    "event": "lifeline_events",
    "quote": "quotes",
    "round": "sticker_rounds",
    "document": "documents",
    "interview": "interviews",
    "factor": "factors",
}
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
    _Table(LifelineEvent),
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
    rows: list[Any] = list(session.exec(query.order_by(col(model.id))))
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
        kept[table.name] = {r.id for r in rows if r.id is not None}  # type: ignore[attr-defined]
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


# --- JSON import -----------------------------------------------------------------------------------------------


class _Importer:
    """Creates the rows of an export in a new review, remapping every reference to the new ids."""

    def __init__(self, session: Session, settings: Settings, user: User, data: dict[str, Any]) -> None:
        self.session = session
        self.settings = settings
        self.user = user
        self.data = data
        self.ids: dict[str, dict[int, int]] = {}
        self.users = self._user_map(data.get("users", []))

    def _user_map(self, users: Any) -> dict[int, int]:
        mapped: dict[int, int] = {}
        for item in _list(users, "users"):
            email = str(item.get("email", "")).strip().lower()
            local = self.session.exec(select(User).where(User.email == email)).first() if email else None
            if local is not None and isinstance(item.get("id"), int):
                mapped[item["id"]] = local.id or 0
        return mapped

    def ref(self, target: str, value: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int):
            raise InvalidInput(_("The file refers to something that is not in it."))
        if target == "users":
            return self.users.get(value)
        if target == "reviews":
            return self.ids["reviews"][0]
        if target == "framework_themes" and value not in self.ids.get(target, {}):
            return value  # a shipped theme, resolved by its keys (see _node_theme)
        return self.ids.get(target, {}).get(value)

    def review(self) -> Review:
        raw = dict(_dict(self.data.get("review"), "review"))
        raw.pop("id", None)
        raw["created_by"] = self.user.id
        # the fields a person types go through the same rules as a new review's form
        _validate(ReviewCreate, {k: raw[k] for k in ReviewCreate.model_fields if k in raw}, "review")
        review: Review = _validate(Review, raw, "review")
        self.session.add(review)
        self.session.flush()
        self.session.add(Membership(review_id=review.id or 0, user_id=self.user.id or 0, role=Role.owner))
        self.ids["reviews"] = {0: review.id or 0}
        return review

    def table(self, table: _Table, rows: list[dict[str, Any]]) -> int:
        name = table.name
        self.ids[name] = {}
        deferred: list[tuple[SQLModel, dict[str, Any]]] = []
        count = 0
        for raw in rows:
            values = {k: v for k, v in raw.items() if k in {c.name for c in table.columns}}
            old_id = values.pop("id", None)
            later: dict[str, Any] = {}
            skip = False
            for column in table.columns:
                target = fk_target(column)
                if target is None or column.name not in values:
                    continue
                if target == name:
                    later[column.name] = values.pop(column.name)
                    continue
                new = self.ref(target, values[column.name])
                if new is None and values[column.name] is not None and not column.nullable:
                    skip = True  # e.g. an interviewer without an account here
                values[column.name] = new
            if skip or not self._polymorphic(table, _decode_json(table, values)):
                continue
            if table.model is NodeTheme and not self._node_theme(values, raw):
                continue
            if table.model is GroupInterview:
                values["code_nonce"], values["code_hash"] = self._code()
            item = _validate(table.model, values, name)
            self.session.add(item)
            self.session.flush()
            if isinstance(old_id, int):
                self.ids[name][old_id] = item.id
            if later:
                deferred.append((item, later))
            count += 1
        for item, later in deferred:
            for field, value in later.items():
                setattr(item, field, self.ids[name].get(value) if isinstance(value, int) else None)
            self.session.add(item)
        self.session.flush()
        return count

    def _polymorphic(self, table: _Table, values: dict[str, Any]) -> bool:
        """Remap references kept as (kind, id) pairs or inside JSON text; False drops a row that points at
        nothing that was imported."""
        if table.model is FindingEvidence:
            target = EVIDENCE_TARGETS.get(str(values.get("kind")))
            new = self.ids.get(target, {}).get(values.get("ref_id")) if target else None  # type: ignore[arg-type]
            if new is None:
                return False
            values["ref_id"] = new
        if table.model is LifelineEvent and "sources" in values:
            values["sources"] = self._sources(values["sources"])
        if table.model is LifelineEventVersion and "snapshot" in values:
            snapshot = dict(_dict(values["snapshot"], "snapshot_json"))
            snapshot["sources"] = self._sources(snapshot.get("sources", []))
            values["snapshot"] = snapshot
        if table.model is FindingNodeVersion and "snapshot" in values:
            snapshot = dict(_dict(values["snapshot"], "snapshot_json"))
            for field in ("parent_id", "merged_into_id"):
                if snapshot.get(field) is not None:
                    snapshot[field] = self.ids["finding_nodes"].get(snapshot[field])
            values["snapshot"] = snapshot
        return True

    def _sources(self, sources: Any) -> list[dict[str, Any]]:
        out = []
        for source in _list(sources, "sources"):
            source = dict(source)
            target = SOURCE_TARGETS.get(str(source.get("kind")))
            if target and source.get("ref_id") is not None:
                source["ref_id"] = self.ids.get(target, {}).get(source["ref_id"])
            out.append(source)
        return out

    def _node_theme(self, values: dict[str, Any], raw: dict[str, Any]) -> bool:
        old = raw.get("theme_id")
        if isinstance(old, int) and old in self.ids.get("framework_themes", {}):
            values["theme_id"] = self.ids["framework_themes"][old]
            return True
        ref = raw.get("theme_ref")
        if not isinstance(ref, dict):
            return False
        ensure_frameworks(self.session)
        found = self.session.exec(
            select(FrameworkTheme.id)
            .join(Framework, col(Framework.id) == col(FrameworkTheme.framework_id))
            .where(
                col(Framework.review_id).is_(None),
                Framework.key == str(ref.get("framework")),
                FrameworkTheme.key == str(ref.get("theme")),
            )
        ).first()
        values["theme_id"] = found
        return found is not None

    def _code(self) -> tuple[str, str]:
        key = self.settings.resolved_secret_key()
        while True:
            nonce = codes.new_nonce()
            hashed = codes.code_hash(key, codes.code_for(key, nonce))
            if self.session.exec(select(GroupInterview.id).where(GroupInterview.code_hash == hashed)).first() is None:
                return nonce, hashed


def _decode_json(table: _Table, values: dict[str, Any]) -> dict[str, Any]:
    """Turn the JSON text of the file's JSON columns into values under their attribute names (in place)."""
    for column in table.columns:
        if isinstance(column.type, JSONText) and column.name in values:
            raw = values.pop(column.name)
            values[_attribute(table.model, column)] = _loads(raw) if isinstance(raw, str) else raw
    return values


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInput(_("The file holds a damaged JSON field.")) from exc


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(_("The file is not a leerreview export: %(where)s is missing.", where=where))
    return value


def _list(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(_("The file is not a leerreview export: %(where)s is missing.", where=where))
    return value


def _validate(model: type[BaseModel], values: dict[str, Any], where: str) -> Any:
    try:
        item = model.model_validate(values)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise InvalidInput(
            _("The file has an invalid value in %(where)s (%(field)s).", where=where, field=field)
        ) from exc
    for name, value in item.__dict__.items():
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            setattr(item, name, value.replace(tzinfo=dt.UTC))
    return item


def import_review(
    *, session: Session, settings: Settings, user: User, data: dict[str, Any]
) -> tuple[Review, dict[str, int]]:
    """Create a NEW review from an export: new ids everywhere, every reference remapped, the importer owner.
    All or nothing: a file with a bad row leaves nothing behind."""
    if data.get("format") != EXPORT_FORMAT:
        raise InvalidInput(_("This is not a leerreview export (the format field is missing or wrong)."))
    if data.get("format_version") != EXPORT_VERSION:
        raise InvalidInput(_("This export has a format version this service cannot read."))
    tables = _dict(data.get("tables", {}), "tables")
    savepoint = session.begin_nested()
    try:
        importer = _Importer(session, settings, user, data)
        review = importer.review()
        counts = {t.name: importer.table(t, _list(tables.get(t.name), t.name)) for t in TABLES}
    except (InvalidInput, StatementError, DBAPIError, TypeError, ValueError) as exc:
        savepoint.rollback()
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput(_("The file could not be imported: it is damaged or not a leerreview export.")) from exc
    savepoint.commit()
    audit.record(
        session, actor=f"user:{user.id}", action="review.import", review_id=review.id, detail=f"v{EXPORT_VERSION}"
    )
    return review, counts


# --- CSV -------------------------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet never runs as a formula: a leading = + - @ (or tab, CR) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return "\ufeff" + buffer.getvalue()


def _rounds(session: Session, review_id: int) -> list[StickerRound]:
    return list(
        session.exec(select(StickerRound).where(StickerRound.review_id == review_id).order_by(col(StickerRound.id)))
    )


def factors_csv(*, session: Session, review_id: int) -> str:
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
    return _csv(header, rows)


def stickers_csv(*, session: Session, review_id: int) -> str:
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
    return _csv(header, rows)


# --- GDPR access request ---------------------------------------------------------------------------------------


def participant_export(*, session: Session, review: Review, participant: Participant) -> dict[str, Any]:
    """Everything stored about one participant (GDPR access request), as JSON-ready data."""
    review_id, pid = review.id or 0, participant.id or 0

    def rows(model: Any, *conditions: Any) -> list[dict[str, Any]]:
        found = session.exec(select(model).where(*conditions).order_by(col(model.id))).all()
        return [_row(r, model.__table__.columns) for r in found]

    interview_ids = [
        link.interview_id
        for link in session.exec(select(InterviewParticipant).where(InterviewParticipant.participant_id == pid))
    ]
    interviews = rows(Interview, col(Interview.id).in_(interview_ids or [-1]))
    notes = rows(InterviewNote, col(InterviewNote.interview_id).in_(interview_ids or [-1]))
    own_quotes = [q for q in exportable_quotes(session=session, review_id=review_id) if q.participant_id == pid]
    all_quotes = session.exec(select(Quote.id).where(Quote.participant_id == pid)).all()
    stickers = session.exec(select(Sticker).where(Sticker.participant_id == pid).order_by(col(Sticker.id))).all()
    rounds = {r.id: r for r in _rounds(session, review_id)}
    named: list[dict[str, Any]] = []
    anonymous_counts: dict[int, int] = {}
    for sticker in stickers:
        sticker_round = rounds.get(sticker.round_id)
        if sticker_round is None or sticker_round.anonymous:
            anonymous_counts[sticker.round_id] = anonymous_counts.get(sticker.round_id, 0) + 1
        else:
            named.append(_row(sticker, Sticker.__table__.columns))  # type: ignore[attr-defined]
    events = [
        {"id": e.id, "when": e.when_text, "title": e.title, "lane": e.lane}
        for e in session.exec(
            select(LifelineEvent).where(LifelineEvent.review_id == review_id).order_by(col(LifelineEvent.id))
        )
        if participant.pseudonym in e.people
    ]
    devices = session.exec(select(ParticipantDevice).where(ParticipantDevice.participant_id == pid)).all()
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
        "consents": rows(Consent, Consent.participant_id == pid),
        "interviews": interviews,
        "interview_notes": notes,
        "quotes": [_row(q, Quote.__table__.columns) for q in own_quotes],  # type: ignore[attr-defined]
        "quotes_not_exported": len(all_quotes) - len(own_quotes),
        "stickers_in_named_rounds": named,
        "stickers_in_anonymous_rounds": [{"round_id": k, "stickers": v} for k, v in sorted(anonymous_counts.items())],
        "factors_named": rows(Factor, Factor.participant_id == pid),
        "lifeline_proposals": rows(LifelineProposal, LifelineProposal.participant_id == pid),
        "lifeline_events_naming_them": events,
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


def _guid(*parts: object) -> str:
    return str(uuid5(NAMESPACE_URL, "leerreview:" + ":".join(map(str, parts)))).upper()


def qdpx(*, session: Session, review: Review) -> bytes:
    """A REFI-QDA project (.qdpx): the interview notes as text sources, the factors as codes, the consented
    quotes as coded selections where their text is found in the notes."""
    review_id = review.id or 0
    factors = session.exec(
        select(Factor)
        .where(Factor.review_id == review_id, col(Factor.merged_into_id).is_(None))
        .order_by(col(Factor.id))
    ).all()
    interviews = session.exec(
        select(Interview).where(Interview.review_id == review_id).order_by(col(Interview.id))
    ).all()
    quotes = exportable_quotes(session=session, review_id=review_id)
    sources: list[tuple[str, str, str]] = []
    for interview in interviews:
        notes = session.exec(
            select(InterviewNote).where(InterviewNote.interview_id == interview.id).order_by(col(InterviewNote.id))
        ).all()
        text = "\n\n".join(f"[{n.topic_key}]\n{n.text}" for n in notes if n.text.strip())
        if text:
            held = interview.held_on.isoformat() if interview.held_on else "?"
            sources.append((_guid(review_id, "interview", interview.id), f"Interview {interview.id} ({held})", text))
    codes_xml = "".join(
        f'<Code guid={quoteattr(_guid(review_id, "factor", f.id))} name={quoteattr(f.title)} isCodable="true" '
        f"color={quoteattr('#009E73' if f.kind.value == 'success' else '#D55E00')}>"
        f"<Description>{escape(f.description)}</Description></Code>"
        for f in factors
    )
    quote_code = _guid(review_id, "quotes")
    codes_xml += f'<Code guid="{quote_code}" name="Quote" isCodable="true" color="#E0A43A"/>'
    files: dict[str, bytes] = {}
    sources_xml = []
    for guid, name, text in sources:
        files[f"sources/{guid}.txt"] = text.encode("utf-8")
        selections = []
        for quote in quotes:
            start = text.find(quote.text)
            if quote.text and start >= 0:
                selections.append(
                    f'<PlainTextSelection guid="{_guid(review_id, "quote", quote.id, guid)}" '
                    f'name={quoteattr(quote.speaker)} startPosition="{start}" '
                    f'endPosition="{start + len(quote.text)}">'
                    f'<Coding guid="{_guid(review_id, "coding", quote.id, guid)}">'
                    f'<CodeRef targetGUID="{quote_code}"/></Coding></PlainTextSelection>'
                )
        sources_xml.append(
            f"<TextSource guid={quoteattr(guid)} name={quoteattr(name)} "
            f'plainTextPath="internal://{guid}.txt">{"".join(selections)}</TextSource>'
        )
    project = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" '
        f'name={quoteattr(review.case_pseudonym or review.title)} origin="leerreview" '
        f'creationDateTime="{utcnow().replace(microsecond=0).isoformat().replace("+00:00", "Z")}">'
        f"<CodeBook><Codes>{codes_xml}</Codes></CodeBook>"
        f"<Sources>{''.join(sources_xml)}</Sources>"
        "</Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()
