"""The append-only audit log: who did what, when, to which review. Entries are hash-chained.

Entries never hold case text: only actions, ids and short technical details. Control characters in logged
values are escaped so a value can never forge a line of its own. Who did it is an :class:`Actor`.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.db.base import utcnow
from app.db.locks import LockKey


@dataclass(frozen=True)
class Actor:
    """Who did something: ``name`` is how the audit log names it (``user:7``, ``participant:3``, ``system``,
    ``group-interview``: never a person's name); ``user_id`` and ``label`` are what a history shows (the
    life-line's versions: "changed by")."""

    name: str
    user_id: int | None = None
    label: str = ""

    @classmethod
    def of(cls, user: User, *, label: str | None = None) -> "Actor":
        """A logged-in user (``label``: how the history shows them, default their name)."""
        return cls(f"user:{user.id}", user.id, user.name if label is None else label)

    @classmethod
    def user_id_only(cls, user_id: int) -> "Actor":
        """A user known only by id (a session ending)."""
        return cls(f"user:{user_id}", user_id)

    @classmethod
    def participant(cls, participant_id: int | None) -> "Actor":
        """A participant acting from their phone."""
        return cls(f"participant:{participant_id}")

    @classmethod
    def share_link(cls, link_id: int | None) -> "Actor":
        """Whoever opens a read-only share link."""
        return cls(f"share:{link_id}")

    def __str__(self) -> str:
        return self.name


SYSTEM = Actor("system")
"""The service itself (the command line: accounts made or disabled)."""
PURGE = Actor("system:purge")
"""The retention purge (reviews past their retention date)."""


def group_interview(label: str) -> Actor:
    """The group interview acting for the room, shown in histories as ``label`` (the demo's life-line)."""
    return Actor("group-interview", label=label)


def escape(value: str) -> str:
    """Escape newlines and other control characters in a logged value."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value)


def _entry_hash(entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            entry.prev_hash,
            entry.at.astimezone(dt.UTC).isoformat(),
            entry.actor,
            entry.action,
            entry.review_id,
            entry.target,
            entry.detail,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    review_id: int | None = None,
    target: str = "",
    detail: str = "",
) -> AuditEntry:
    """Append one entry to the audit log, in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appends so the chain never forks between concurrent transactions.
        session.exec(text(f"SELECT pg_advisory_xact_lock({LockKey.audit_chain.value})"))  # type: ignore[call-overload]
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    entry = AuditEntry(
        at=utcnow(),
        actor=escape(actor.name)[:80],
        action=escape(action)[:60],
        review_id=review_id,
        target=escape(target)[:120],
        detail=escape(detail)[:500],
        prev_hash=last.hash if last else "",
    )
    entry.hash = _entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


class _Row(Protocol):
    id: int | None


Row = TypeVar("Row", bound=_Row)


def record_added(
    session: Session, row: Row, *, actor: Actor, action: str, review_id: int | None, kind: str, detail: str = ""
) -> Row:
    """Insert ``row`` and log ``action`` on it (target ``kind:<its new id>``), in the caller's transaction."""
    session.add(row)
    session.flush()
    record(session, actor=actor, action=action, review_id=review_id, target=f"{kind}:{row.id}", detail=detail)
    return row


def record_export(
    session: Session, *, actor: Actor, kind: str, review_id: int | None = None, target: str = ""
) -> AuditEntry:
    """Log a file that leaves the service: action ``export``, what it was (``lifeline.pdf``) as detail."""
    return record(session, actor=actor, action="export", review_id=review_id, target=target, detail=kind)


def record_update(
    session: Session, *, actor: Actor, action: str, review_id: int | None, target: str = "", changes: Iterable[str]
) -> AuditEntry:
    """Log a change by the names of the fields it changed (never their values: no case text in the log)."""
    return record(
        session, actor=actor, action=action, review_id=review_id, target=target, detail=",".join(sorted(changes))
    )


def record_changed(
    session: Session, row: Row, *, actor: Actor, action: str, review_id: int | None, kind: str, changes: Iterable[str]
) -> Row:
    """Save a changed ``row`` and log ``action`` on ``kind:<its id>`` with the changed fields' names."""
    session.add(row)
    record_update(session, actor=actor, action=action, review_id=review_id, target=f"{kind}:{row.id}", changes=changes)
    return row


def verify_chain(session: Session) -> list[int]:
    """Ids of entries whose hash or link does not match: empty when the log is intact."""
    broken: list[int] = []
    previous = ""
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        if entry.prev_hash != previous or entry.hash != _entry_hash(entry):
            broken.append(entry.id or 0)
        previous = entry.hash
    return broken
