"""Importing an export (``export.json``) as a NEW review: a trust boundary, since anyone with an account can
send any file.

In two steps, so that the work that takes time never holds the shared database turn:

1. ``read_export`` + ``check_export`` (no database, in a worker thread): the file is bounded in bytes, nesting
   depth (before it is parsed) and rows; every row is validated with the table's model, every JSON column with
   the pydantic models the app itself uses (sources, people, snapshots), vocabularies (branch, kind, status…)
   and dates are checked, control characters are removed, parent/merge cycles are refused, and so are share-back
   rows that point outside the file (a meeting needs a share-back room of the file, a decision its meeting and
   finding).
2. ``import_review`` (one transaction): the checked rows are written with new ids, every reference remapped.
   Every row belongs to the new review (whatever ``review_id`` the file names); only the importer's own account
   is recognised (by the file's ``users``), everyone else becomes "unknown"; rows that point at nothing that was
   imported are left out, and missing steps of the method are created. All or nothing.
"""

import dataclasses
import datetime as dt
import json
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, get_args

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import DBAPIError, StatementError
from sqlmodel import Session, SQLModel, col, select

import lifeline
from app import audit
from app.audit import Actor
from app.auth.models import User
from app.config import Settings
from app.db.base import JSONText
from app.errors import InvalidInput
from app.findings.models import (
    FindingEvidence,
    FindingNodeVersion,
    Framework,
    FrameworkTheme,
    NodeBranch,
    NodeKind,
    NodeTheme,
)
from app.findings.schemas import EvidenceKind, NodeVersionOut
from app.findings.service import MAX_DEPTH as MAX_TREE_DEPTH
from app.findings.service import SNAPSHOT as NODE_SNAPSHOT
from app.findings.service import ensure_frameworks
from app.group_interview import codes
from app.group_interview.models import GroupInterview, RoomPurpose
from app.i18n import N_, _
from app.participants.models import WithdrawalEffect
from app.reports.exports import (
    ANCHOR_TARGETS,
    EVIDENCE_TARGETS,
    REVIEW_OMIT,
    SOURCE_TARGETS,
    TABLES,
    _attribute,
    _Table,
    fk_target,
)
from app.reports.schemas import EXPORT_FORMAT, EXPORT_VERSION
from app.reviews.models import Membership, Review, ReviewStep, Role
from app.reviews.schemas import ReviewCreate
from app.reviews.steps import STEPS
from app.timeline import service as timeline_service
from app.timeline.models import LifelineAnchor, LifelineEvent, LifelineEventVersion, LifelinePerson
from app.timeline.schemas import EventCreate, PersonCreate, Source, VersionOut
from app.timeline.service import SNAPSHOT_FIELDS as EVENT_SNAPSHOT
from app.timeline.service import date_columns, parse_dates
from app.voting.models import Sticker
from app.voting.schemas import StickerCreate
from lifeline.text import printable

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""The largest export accepted (a real review with every table filled is well under 5 MB)."""
MAX_IMPORT_ROWS = 10_000
"""The most rows an export may hold, all tables together."""
MAX_LISTED = 30
"""The most people or sources one life-line event names (as in its own schema)."""
MAX_IMPORT_PHRASES = 500
"""The most life-line dates an export may hold that are read against its people and events ("toen Sem 7 was",
"een jaar na de verhuizing"): each is matched against every event's title."""
MAX_IMPORT_MATCHES = 1_000_000
"""The most such dates times events (a real review: a few dozen times a few hundred): about a second of CPU."""
MAX_JSON_DEPTH = 12
"""How deeply an export's JSON may nest (it uses five levels; JSON columns inside it, three)."""

DAMAGED = N_("The file could not be imported: it is damaged or not a leerreview export.")

# The values a text column may hold where the app reads it as a vocabulary.
VOCABULARIES: dict[tuple[str, str], frozenset[str | None]] = {
    ("lifeline_anchors", "kind"): frozenset({None, *ANCHOR_TARGETS}),
    ("finding_nodes", "branch"): frozenset(NodeBranch),
    ("finding_nodes", "kind"): frozenset(NodeKind),
    ("finding_evidence", "kind"): frozenset(get_args(EvidenceKind)),
    ("sticker_rounds", "status"): frozenset({"draft", "open", "closed"}),
    ("stickers", "source"): frozenset({"phone", "tablet", "paper"}),
    ("lifeline_proposals", "status"): frozenset({"pending", "accepted", "set_aside"}),
    ("consents", "withdrawal_effect"): frozenset({"", *(e.value for e in WithdrawalEffect)}),
}
# Whole numbers the pages use as positions or counts, with the range the app's own forms allow.
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("group_interviews", "step"): (1, 5),
    ("sticker_rounds", "stickers_per_person"): (1, 20),
    ("sticker_rounds", "max_per_factor"): (1, 20),
}
STEP_KEYS = {step.key: (position, step) for position, step in enumerate(STEPS)}
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def damaged(where: str, column: str = "") -> InvalidInput:
    """The refusal of a file whose ``where`` (a table, optionally a column) is damaged."""
    place = f"{where}.{column}" if column else where
    return InvalidInput(_("The file has an invalid value in %(where)s (%(field)s).", where=where, field=place))


def dangling(where: str, column: str) -> InvalidInput:
    """The refusal of a file whose ``where.column`` refers to a row the file does not hold."""
    place = f"{where}.{column}"
    return InvalidInput(_("The file refers to something that is not in it (%(field)s).", field=place))


# --- Step 1: read and check (no database) ----------------------------------------------------------------------


def json_depth(raw: bytes) -> int:
    """How deeply JSON text nests, counted without parsing it (and at C speed: escapes, then strings, dropped)."""
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside_strings = b"".join(unescaped.split(b'"')[0::2])
    steps = array("b", outside_strings.translate(_STEPS, _NOT_BRACKETS))  # +1 for [ {, -1 for ] }
    return max(accumulate(steps), default=0)


def _refuse_deep(raw: bytes) -> None:
    """Refuse JSON that nests deeper than ``MAX_JSON_DEPTH`` before it is parsed."""
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise InvalidInput(_("The file nests too deeply (at most %(levels)s levels).", levels=MAX_JSON_DEPTH))


def read_export(raw: bytes) -> dict[str, Any]:
    """The export's JSON from the bytes of a file: bounded in size and nesting depth before it is parsed."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidInput(too_large())
    _refuse_deep(raw)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidInput(_(DAMAGED)) from exc
    if not isinstance(data, dict):
        raise InvalidInput(_(DAMAGED))
    return data


def too_large() -> str:
    """The message for a file over ``MAX_IMPORT_BYTES``."""
    return _("The file is too large (at most %(mb)s MB).", mb=MAX_IMPORT_BYTES // (1024 * 1024))


@dataclass
class Row:
    """One checked row: its id in the file and its values (references still the file's ids)."""

    old_id: int | None
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)  # what the import resolves besides columns (theme_ref)


@dataclass
class CheckedExport:
    """An export that passed every check, ready to be written."""

    review: dict[str, Any]
    tables: dict[str, list[Row]]
    importer_ids: set[int]  # the file's user ids that are the importer's own account

    @property
    def rows(self) -> int:
        """How many rows the file brings."""
        return sum(len(rows) for rows in self.tables.values())


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(_("The file is not a leerreview export: %(where)s is missing.", where=where))
    return value


def _records(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(_("The file is not a leerreview export: %(where)s is missing.", where=where))
    return value


def _validate(model: type[BaseModel], values: dict[str, Any], where: str) -> Any:
    try:
        item = model.model_validate(values)
    except ValidationError as exc:
        raise damaged(where, ".".join(str(p) for p in exc.errors()[0]["loc"])) from exc
    for name, value in item.__dict__.items():
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            setattr(item, name, value.replace(tzinfo=dt.UTC))
    return item


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: printable(v) if isinstance(v, str) else v for k, v in values.items()}


def _json_column(text: Any, where: str, column: str) -> Any:
    if not isinstance(text, str):
        raise damaged(where, column)
    raw = text.encode("utf-8", "replace")
    _refuse_deep(raw)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(_("The file holds a damaged JSON field.")) from exc


def _event(values: dict[str, Any], where: str) -> None:
    """A life-line event read with the app's own schema for a new event (texts, people, sources, status), its
    dates parsed again from the text."""
    people = _json_column(values.get("people_json", "[]"), where, "people_json")
    sources = _json_column(values.get("sources_json", "[]"), where, "sources_json")
    fields = {
        "title": values.get("title"),
        "when": values.get("when_text"),
        "until": values.get("until_text") or None,
        "lane": values.get("lane", "family"),
        "description": values.get("description", ""),
        "people": people,
        "organisation": values.get("organisation", ""),
        "status": values.get("status", "draft"),
        "sources": sources,
    }
    event: EventCreate = _validate(EventCreate, fields, where)
    values["people_json"] = json.dumps(event.people, ensure_ascii=False)
    values["sources_json"] = json.dumps([s.model_dump(mode="json") for s in event.sources], ensure_ascii=False)
    values["title"], values["lane"], values["when_text"] = event.title, event.lane, event.when
    values["until_text"] = event.until or ""
    # the range is read again once the whole life-line is known (``_resolve_dates``): these stand in till then
    values.update(date_columns(None))


def _person(values: dict[str, Any], where: str) -> None:
    """A person of the life-line read with the app's own schema; what was said about the birth must be a date
    (or say that nobody knows)."""
    person: PersonCreate = _validate(
        PersonCreate, {"name": values.get("name"), "born": values.get("born_text", "")}, where
    )
    values["name"], values["born_text"] = person.name, person.born
    _birth(person.born, where)


def _birth(text: str, where: str) -> lifeline.When | None:
    try:
        return timeline_service.born_when(text)
    except (InvalidInput, ValueError) as exc:
        raise damaged(where, "born_text") from exc


# The fields of a version row that the history shows beside its snapshot (stand-ins: only the snapshot is checked).
_VERSION_ROW = {"version": 1, "change": "x", "changed_by": None, "changed_by_label": "", "reason": ""}


def _snapshot(
    values: dict[str, Any], where: str, schema: type[BaseModel], fields: Iterable[str], optional: Iterable[str] = ()
) -> None:
    """A version's snapshot, read with the history's own schema and written back with exactly its fields
    (the history page spreads it into that schema); ``optional`` fields are kept where the snapshot has them."""
    snapshot = _json_column(values.get("snapshot_json"), where, "snapshot_json")
    if not isinstance(snapshot, dict):
        raise damaged(where, "snapshot_json")
    kept = set(fields) | {k for k in optional if k in snapshot}
    shape = {**{k: snapshot.get(k) for k in kept}, **_VERSION_ROW, "changed_at": dt.datetime.now(dt.UTC)}
    checked = _validate(schema, shape, f"{where}.snapshot_json")
    values["snapshot_json"] = json.dumps(_clean_deep(checked.model_dump(mode="json", include=kept)), ensure_ascii=False)


def _event_snapshot(values: dict[str, Any], where: str) -> None:
    _snapshot(values, where, EventSnapshot, (*EVENT_SNAPSHOT, "deleted"), optional=("earliest", "latest"))


def _node_snapshot(values: dict[str, Any], where: str) -> None:
    _snapshot(values, where, NodeVersionOut, NODE_SNAPSHOT)


class EventSnapshot(VersionOut):
    """An event's version as the history shows it, with the bounds of the event's own schema."""

    people: list[str] = Field(max_length=MAX_LISTED)
    sources: list[Source] = Field(max_length=MAX_LISTED)


def _clean_deep(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_clean_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_deep(v) for k, v in value.items()}
    return value


def _sticker(values: dict[str, Any], where: str) -> None:
    """A sticker's client key as the API takes it (``StickerCreate``)."""
    _validate(StickerCreate, {"factor_id": values.get("factor_id"), "client_key": values.get("client_key")}, where)


CHECKS: dict[type[SQLModel], Callable[[dict[str, Any], str], None]] = {
    LifelinePerson: _person,
    Sticker: _sticker,
    LifelineEvent: _event,
    LifelineEventVersion: _event_snapshot,
    FindingNodeVersion: _node_snapshot,
}


def _json_value(column: Any, value: Any) -> Any:
    """A JSON column's value from its JSON text (already checked by the row's check, where it has one)."""
    if isinstance(column.type, JSONText) and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise damaged("JSON", column.name) from None
    return value


def _check_row(table: _Table, raw: dict[str, Any]) -> Row | None:
    name = table.name
    columns = {c.name: c for c in table.columns}
    values = _clean({k: v for k, v in raw.items() if k in columns})
    old_id = values.pop("id", None)
    if old_id is not None and (not isinstance(old_id, int) or isinstance(old_id, bool)):
        raise damaged(name, "id")
    for column, target in ((c.name, fk_target(c)) for c in table.columns):
        value = values.get(column)
        if target and value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise dangling(name, column)
    if "review_id" in columns:
        values["review_id"] = 1  # stands in for the new review (set when written)
    if table.model is ReviewStep:
        known = STEP_KEYS.get(str(values.get("key")))
        if known is None:
            return None  # a step this version of the method does not have
        values["phase"], values["position"] = known[1].phase, known[0]
    for (table_name, column), allowed in VOCABULARIES.items():
        if table_name == name and values.get(column, next(iter(allowed))) not in allowed:
            raise damaged(name, column)
    for (table_name, column), (low, high) in RANGES.items():
        value = values.get(column)
        if table_name == name and value is not None and not (isinstance(value, int) and low <= value <= high):
            raise damaged(name, column)
    check = CHECKS.get(table.model)
    if check is not None:
        check(values, name)
    placeholders: dict[str, Any] = {c: 1 for c, col_ in columns.items() if fk_target(col_) and values.get(c) is None}
    if table.model is GroupInterview:
        placeholders |= {"code_nonce": "x", "code_hash": "x"}
    # types and lengths, as the table holds them; JSON columns (their JSON text in the file) hold values
    attribute = {c: _attribute(table.model, column) for c, column in columns.items()}
    given = {**placeholders, **values}
    item = _validate(
        table.model,
        {attribute.get(c, c): _json_value(columns[c], v) if c in columns else v for c, v in given.items()},
        name,
    )
    checked = {c: None if c in placeholders else getattr(item, attribute[c]) for c in columns if c != "id"}
    extra = {"theme_ref": raw.get("theme_ref")} if table.model is NodeTheme else {}
    if table.model is LifelineEvent:
        extra = {"edtf": raw.get("edtf")}  # the range the file says the event had, checked in ``_resolve_dates``
    return Row(old_id, checked, extra)


def _refuse_cycles(rows: list[Row], columns: tuple[str, ...], where: str, refusal: str | None = None) -> None:
    """Refuse rows whose parent or merge links lead back to themselves (walking up would never end)."""
    up = {r.old_id: [v for c in columns if (v := r.values.get(c)) is not None] for r in rows if r.old_id is not None}
    state: dict[int, bool] = {}  # False: on the path being walked; True: leads nowhere circular
    for start in up:
        if start in state:
            continue
        state[start] = False
        stack = [(start, iter(up[start]))]
        while stack:
            node, links = stack[-1]
            link = next(links, None)
            if link is None:
                state[node] = True
                stack.pop()
            elif link in up and state.get(link) is False:
                raise InvalidInput(
                    refusal
                    or _("The file holds a %(table)s that is its own parent or merged into itself.", table=where)
                )
            elif link in up and link not in state:
                state[link] = False
                stack.append((link, iter(up[link])))


def _tree_depth(rows: list[Row]) -> int:
    """How many levels the findings tree of (cycle-free) rows has."""
    parent = {r.old_id: r.values.get("parent_id") for r in rows if r.old_id is not None}
    depth: dict[int | None, int] = {}
    for start in parent:
        path: list[int] = []
        current: int | None = start
        while current in parent and current not in depth:
            path.append(current)
            current = parent[current]
        level = depth.get(current, 0)
        for node in reversed(path):
            level += 1
            depth[node] = level
    return max(depth.values(), default=0)


def _anchor_rows(tables: dict[str, list[Row]], people: set[int], events: set[int]) -> dict[int, Row]:
    """The file's anchors by event: each for an event of the file, pointing at a person or event of the file."""
    by_event: dict[int, Row] = {}
    for row in tables["lifeline_anchors"]:
        event_id, kind, target = row.values.get("event_id"), row.values.get("kind"), row.values.get("target_id")
        targets = {"person": people, "event": events}.get(str(kind), set())
        if event_id not in events:
            raise dangling("lifeline_anchors", "event_id")
        if (kind is None) != (target is None) or (kind is not None and target not in targets):
            raise dangling("lifeline_anchors", "target_id")
        if event_id in by_event:
            raise damaged("lifeline_anchors", "event_id")
        by_event[event_id] = row
    return by_event


def _refuse_dangling_share_back(tables: dict[str, list[Row]]) -> None:
    """Refuse share-back rows that point outside the file: each meeting needs a share-back room of its own (not
    the group interview's) and a finding on screen that the file holds, each decision a meeting and a finding of
    the file. Left out instead, a meeting would take its decisions (the report's member check) with it. A
    share-back room holds its meeting and nothing else: no room without a meeting, no sticker round, life-line
    proposal or factor of the group interview in one (the application never makes either)."""
    rooms = {r.old_id: r.values.get("purpose") for r in tables["group_interviews"] if r.old_id is not None}
    nodes = {r.old_id for r in tables["finding_nodes"] if r.old_id is not None}
    meetings = {r.old_id for r in tables["share_back_meetings"] if r.old_id is not None}
    taken: set[int] = set()
    for row in tables["share_back_meetings"]:
        room = row.values.get("room_id")
        if room not in rooms:
            raise dangling("share_back_meetings", "room_id")
        if rooms[room] != RoomPurpose.share_back:
            raise InvalidInput(_("The file holds a share-back meeting that points at a group interview."))
        if room in taken:
            raise damaged("share_back_meetings", "room_id")  # one meeting per room
        taken.add(room)
        if row.values.get("current_node_id") not in (None, *nodes):
            raise dangling("share_back_meetings", "current_node_id")
    if taken != {room for room, purpose in rooms.items() if purpose == RoomPurpose.share_back}:
        raise damaged("group_interviews", "purpose")  # a share-back room without its meeting
    for table in ("sticker_rounds", "lifeline_proposals", "factors"):  # the group interview's own rows
        if any(row.values.get("group_interview_id") in taken for row in tables[table]):
            raise damaged(table, "group_interview_id")
    for row in tables["share_back_decisions"]:
        if row.values.get("meeting_id") not in meetings:
            raise dangling("share_back_decisions", "meeting_id")
        if row.values.get("node_id") not in nodes:
            raise dangling("share_back_decisions", "node_id")


def _refuse_anchor_cycles(by_event: dict[int, Row]) -> None:
    links = [
        Row(e, {"up": r.values["target_id"] if r.values["kind"] == "event" else None}) for e, r in by_event.items()
    ]
    refusal = _("The file holds life-line events whose dates are read from each other in a circle.")
    _refuse_cycles(links, ("up",), "lifeline_anchors", refusal)


def _anchor_order(events: list[Row], by_event: dict[int, Row]) -> list[Row]:
    """The events, each after the event its date is read from (the anchors are free of cycles)."""
    by_id = {r.old_id: r for r in events if r.old_id is not None}
    placed: set[int] = set()
    order: list[Row] = []
    for row in events:
        chain: list[Row] = []
        current: Row | None = row
        while current is not None and id(current) not in placed:
            chain.append(current)
            anchor = by_event.get(current.old_id) if current.old_id is not None else None
            up = anchor.values["target_id"] if anchor is not None and anchor.values["kind"] == "event" else None
            current = by_id.get(up) if up is not None else None
        for item in reversed(chain):
            placed.add(id(item))
            order.append(item)
    return order


def _resolve_dates(tables: dict[str, list[Row]]) -> None:
    """Read every life-line date again, as the app does: plain dates on their own, phrases against the file's
    people, events and reference dates ("toen Sem 7 was", "een jaar na de verhuizing", "vorige zomer"), each
    after the event it is read from. The anchors written are the ones found. An anchored phrase that no longer
    reads (its anchor was renamed) keeps the range the file gives, as in the app, and one left undated when its
    anchor was deleted stays undated; any other date that means nothing is refused."""
    where = "lifeline_events"
    people = [
        lifeline.phrases.Person(r.old_id, str(r.values["name"]), _birth(str(r.values["born_text"]), "lifeline_people"))
        for r in tables["lifeline_people"]
        if r.old_id is not None
    ]
    if len({p.name.lower() for p in people}) != len(people):
        raise damaged("lifeline_people", "name")
    events = tables[where]
    event_ids = {r.old_id for r in events if r.old_id is not None}
    by_event = _anchor_rows(tables, {int(p.id) for p in people}, event_ids)
    _refuse_anchor_cycles(by_event)
    current: dict[int, lifeline.When | None] = {}
    phrases: list[Row] = []
    for row in events:
        when, until = str(row.values["when_text"]), str(row.values["until_text"]) or None
        try:
            if until:
                parsed: lifeline.When | None = parse_dates(when, until)
            elif not when or lifeline.dates.is_undated(when):
                parsed = None
            else:
                parsed = lifeline.phrases.interpret(when).when
        except InvalidInput as exc:
            raise damaged(where, "when_text") from exc
        except lifeline.DateParseError:
            phrases.append(row)  # read against the life-line below
            parsed = _given_range(row) if row.old_id in by_event else None
        row.values.update(date_columns(parsed))
        if row.old_id is not None:
            current[row.old_id] = parsed
    if len(phrases) > MAX_IMPORT_PHRASES or len(phrases) * (len(events) + len(people)) > MAX_IMPORT_MATCHES:
        raise InvalidInput(
            _("The file holds too many dates read from people or events (at most %(n)s).", n=MAX_IMPORT_PHRASES)
        )
    waiting = {id(r) for r in phrases}
    anchors = {
        r.old_id: lifeline.phrases.AnchorEvent(r.old_id, str(r.values["title"]), current.get(r.old_id))
        for r in events
        if r.old_id is not None and not r.values.get("deleted")
    }
    for row in _anchor_order(events, by_event):
        anchor_row = by_event.get(row.old_id) if row.old_id is not None else None
        if id(row) not in waiting or (anchor_row is not None and row.extra.get("edtf") == ""):
            if anchor_row is not None:  # a plain date, or a phrase left undated when its anchor was deleted
                anchor_row.values["kind"] = anchor_row.values["target_id"] = None
            continue
        pinned = anchor_row.values["target_id"] if anchor_row and anchor_row.values["kind"] == "event" else None
        context = lifeline.phrases.Context(
            reference=anchor_row.values.get("reference_date") if anchor_row else None,
            people=people,
            events=[e for i, e in anchors.items() if i != row.old_id],
            named=list(row.values.get("people_json") or []),
            pinned=anchors.get(pinned) if pinned is not None and pinned != row.old_id else None,
        )
        try:
            reading = lifeline.phrases.interpret(str(row.values["when_text"]), context)
        except (lifeline.DateParseError, ValueError) as exc:
            if anchor_row is None:
                raise damaged(where, "when_text") from exc
            continue  # it was read against something once, and no longer reads: it keeps the range it had
        row.values.update(date_columns(reading.when))
        if row.old_id is None:
            continue
        current[row.old_id] = reading.when
        if row.old_id in anchors:
            anchors[row.old_id] = dataclasses.replace(anchors[row.old_id], when=reading.when)
        found = reading.anchor
        if anchor_row is None and found is not None:
            anchor_row = by_event[row.old_id] = Row(None, {"event_id": row.old_id, "review_id": 1})
            anchor_row.values["reference_date"] = None
            tables["lifeline_anchors"].append(anchor_row)
        if anchor_row is not None:
            anchor_row.values["kind"] = found.kind if found else None
            anchor_row.values["target_id"] = int(found.id) if found else None
    _refuse_anchor_cycles(by_event)


def _given_range(row: Row) -> lifeline.When | None:
    """The range the file gives an event whose date is a phrase (kept when the phrase no longer reads)."""
    given = row.extra.get("edtf")
    if not given:
        return None
    try:
        return lifeline.when_from_edtf(str(given))
    except (lifeline.DateParseError, ValueError) as exc:
        raise damaged("lifeline_events", "edtf") from exc


def check_export(data: dict[str, Any], *, importer_email: str) -> CheckedExport:
    """Every check an export must pass before anything is written (see the module's docstring)."""
    if data.get("format") != EXPORT_FORMAT:
        raise InvalidInput(_("This is not a leerreview export (the format field is missing or wrong)."))
    if data.get("format_version") != EXPORT_VERSION:
        raise InvalidInput(_("This export has a format version this service cannot read."))
    raw_tables = _mapping(data.get("tables", {}), "tables")
    listed = {t.name: _records(raw_tables.get(t.name), t.name) for t in TABLES}
    total = sum(len(rows) for rows in listed.values())
    if total > MAX_IMPORT_ROWS:
        raise InvalidInput(
            _("The file holds too many rows (%(rows)s; at most %(limit)s).", rows=total, limit=MAX_IMPORT_ROWS)
        )
    columns = {c.name for c in Review.__table__.columns} - REVIEW_OMIT - {"created_by"}  # type: ignore[attr-defined]
    review = _clean({k: v for k, v in _mapping(data.get("review"), "review").items() if k in columns})
    # the fields a person types go through the same rules as a new review's form
    _validate(ReviewCreate, {k: review[k] for k in ReviewCreate.model_fields if k in review}, "review")
    checked: Review = _validate(Review, review, "review")
    tables: dict[str, list[Row]] = {}
    for table in TABLES:
        try:
            rows = [row for raw in listed[table.name] if (row := _check_row(table, raw)) is not None]
        except (TypeError, ValueError, AttributeError) as exc:
            raise damaged(table.name) from exc
        ids = [r.old_id for r in rows if r.old_id is not None]
        if len(ids) != len(set(ids)):
            raise damaged(table.name, "id")
        tables[table.name] = rows
    _resolve_dates(tables)
    _refuse_cycles(tables["finding_nodes"], ("parent_id", "merged_into_id"), "finding_nodes")
    _refuse_cycles(tables["factors"], ("merged_into_id",), "factors")
    if _tree_depth(tables["finding_nodes"]) > MAX_TREE_DEPTH:
        raise InvalidInput(_("The findings tree can be at most %(levels)s levels deep.", levels=MAX_TREE_DEPTH))
    _refuse_dangling_share_back(tables)
    email = importer_email.strip().lower()
    importer_ids = {
        item["id"]
        for item in _records(data.get("users", []), "users")
        if isinstance(item.get("id"), int) and str(item.get("email", "")).strip().lower() == email
    }
    return CheckedExport({k: getattr(checked, k) for k in review}, tables, importer_ids)


# --- Step 2: write (one transaction) ---------------------------------------------------------------------------


class _Writer:
    """Writes checked rows into a new review, remapping every reference to the new ids."""

    def __init__(self, session: Session, settings: Settings, user: User, export: CheckedExport) -> None:
        self.session = session
        self.settings = settings
        self.user = user
        self.export = export
        self.ids: dict[str, dict[int, int]] = {}

    def review(self) -> Review:
        review = Review(**self.export.review, created_by=self.user.id)
        self.session.add(review)
        self.session.flush()
        self.session.add(Membership(review_id=review.id or 0, user_id=self.user.id or 0, role=Role.owner))
        return review

    def ref(self, target: str, value: int | None) -> int | None:
        if value is None:
            return None
        if target == "users":
            return self.user.id if value in self.export.importer_ids else None
        return self.ids.get(target, {}).get(value)

    def table(self, table: _Table, review_id: int) -> int:
        """Write one table's rows in one statement (thousands of rows take milliseconds, not seconds, of the
        shared database turn) and remember their new ids."""
        name = table.name
        self.ids[name] = {}
        written: list[tuple[int | None, dict[str, Any]]] = []
        links: list[dict[str, Any]] = []
        references = [(column, target) for column in table.columns if (target := fk_target(column)) is not None]
        for row in self.export.tables[name]:
            values = dict(row.values)
            later: dict[str, Any] = {}
            skip = False
            for column, target in references:
                if column.name not in values:
                    continue
                if target == "reviews":
                    values[column.name] = review_id
                elif target == name:
                    later[column.name] = values[column.name]
                    values[column.name] = None
                elif not (table.model is NodeTheme and column.name == "theme_id"):
                    new = self.ref(target, values[column.name])
                    if new is None and not column.nullable:
                        skip = True  # e.g. an interviewer without an account here
                    values[column.name] = new
            if skip or not self._polymorphic(table, values, row):
                continue
            if table.model is GroupInterview:
                values["code_nonce"], values["code_hash"] = self._code()
            written.append((row.old_id, values))
            links.append(later)
        if not written:
            return self._missing_steps(review_id) if table.model is ReviewStep else 0
        columns: Any = table.model.__table__.c  # type: ignore[attr-defined]
        if "id" not in columns:  # the anchors: one row per event, nothing refers to them
            self.session.execute(insert(table.model.__table__), [values for _old, values in written])  # type: ignore[attr-defined]
            return len(written)
        statement = insert(table.model.__table__).returning(columns.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
        new_ids = list(self.session.execute(statement, [values for _old, values in written]).scalars())
        for (old_id, _values), new_id in zip(written, new_ids, strict=True):
            if old_id is not None:
                self.ids[name][old_id] = new_id
        updates = [
            {"row_id": new_id, **{k: self.ids[name].get(v) if v is not None else None for k, v in later.items()}}
            for new_id, later in zip(new_ids, links, strict=True)
            if any(v is not None for v in later.values())
        ]
        if updates:
            keys = [k for k in updates[0] if k != "row_id"]
            self.session.execute(
                update(table.model.__table__)  # type: ignore[attr-defined]
                .where(columns.id == bindparam("row_id"))
                .values({k: bindparam(k) for k in keys}),
                updates,
            )
        return len(written) + (self._missing_steps(review_id) if table.model is ReviewStep else 0)

    def _missing_steps(self, review_id: int) -> int:
        """The method's steps the file did not bring, created open (every review has all of them)."""
        have = set(self.session.exec(select(ReviewStep.key).where(ReviewStep.review_id == review_id)))
        missing = [(key, known) for key, known in STEP_KEYS.items() if key not in have]
        for key, (position, step) in missing:
            self.session.add(ReviewStep(review_id=review_id, key=key, phase=step.phase, position=position))
        self.session.flush()
        return len(missing)

    def _polymorphic(self, table: _Table, values: dict[str, Any], row: Row) -> bool:
        """Remap references kept as (kind, id) pairs or inside JSON text; False drops a row that points at
        nothing that was imported."""
        if table.model is FindingEvidence:
            target = EVIDENCE_TARGETS[str(values["kind"])]
            new = self.ids.get(target, {}).get(values["ref_id"])
            if new is None:
                return False
            values["ref_id"] = new
        if table.model is LifelineAnchor and values["kind"] is not None:
            values["target_id"] = self.ids[ANCHOR_TARGETS[str(values["kind"])]].get(values["target_id"])
            if values["target_id"] is None:
                values["kind"] = None
        if table.model is LifelineEvent:
            values["sources_json"] = self._sources(values["sources_json"])
        if table.model is LifelineEventVersion:
            snapshot = dict(values["snapshot_json"])
            snapshot["sources"] = self._sources(snapshot.get("sources", []))
            values["snapshot_json"] = snapshot
        if table.model is FindingNodeVersion:
            snapshot = dict(values["snapshot_json"])
            for key in ("parent_id", "merged_into_id"):
                if snapshot.get(key) is not None:
                    snapshot[key] = self.ids["finding_nodes"].get(snapshot[key])
            values["snapshot_json"] = snapshot
        if table.model is NodeTheme:
            return self._node_theme(values, row)
        return True

    def _sources(self, sources: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for source in sources:
            source = dict(source)
            target = SOURCE_TARGETS.get(str(source.get("kind")))
            if target and source.get("ref_id") is not None:
                source["ref_id"] = self.ids.get(target, {}).get(source["ref_id"])
            out.append(source)
        return out

    def _node_theme(self, values: dict[str, Any], row: Row) -> bool:
        """A theme of a framework imported with the review, or of a shipped one (by its keys); never another
        review's."""
        old = values.get("theme_id")
        if old in self.ids.get("framework_themes", {}):
            values["theme_id"] = self.ids["framework_themes"][old]
            return True
        ref = row.extra.get("theme_ref")
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


def import_review(
    *, session: Session, settings: Settings, user: User, export: CheckedExport
) -> tuple[Review, dict[str, int]]:
    """Write a checked export as a NEW review: new ids everywhere, every reference remapped, the importer its
    only owner. All or nothing: a row the database refuses leaves nothing behind."""
    savepoint = session.begin_nested()
    try:
        writer = _Writer(session, settings, user, export)
        review = writer.review()
        counts = {t.name: writer.table(t, review.id or 0) for t in TABLES}
    except (StatementError, DBAPIError, TypeError, ValueError) as exc:
        savepoint.rollback()
        raise InvalidInput(_(DAMAGED)) from exc
    savepoint.commit()
    audit.record(
        session, actor=Actor.of(user), action="review.import", review_id=review.id, detail=f"v{EXPORT_VERSION}"
    )
    return review, counts
