"""The append-only audit log: who did what, when, to which review. Entries are hash-chained.

Entries never hold case text: only actions, ids and short technical details. Control characters in logged
values are escaped so a value can never forge a line of its own.
"""

import datetime as dt
import hashlib
import json

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.db.base import utcnow
from app.db.locks import LockKey


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
    actor: str,
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
        actor=escape(actor)[:80],
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


def record_export(
    session: Session, *, actor: str, kind: str, review_id: int | None = None, target: str = ""
) -> AuditEntry:
    """Log a file that leaves the service: action ``export``, what it was (``lifeline.pdf``) as detail."""
    return record(session, actor=actor, action="export", review_id=review_id, target=target, detail=kind)


def verify_chain(session: Session) -> list[int]:
    """Ids of entries whose hash or link does not match: empty when the log is intact."""
    broken: list[int] = []
    previous = ""
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        if entry.prev_hash != previous or entry.hash != _entry_hash(entry):
            broken.append(entry.id or 0)
        previous = entry.hash
    return broken
