"""The audit log: who did what to which review, hash-chained, with control characters escaped."""

from collections.abc import Callable

from sqlalchemy import update
from sqlmodel import Session, col, select

from app import audit
from app.audit.models import AuditEntry
from app.auth.models import User
from tests.world import Ids, World


def _entries(world: World, review_id: int) -> list[tuple[str, str]]:
    with Session(world.engine) as session:
        rows = session.exec(
            select(AuditEntry.actor, AuditEntry.action)
            .where(AuditEntry.review_id == review_id)
            .order_by(col(AuditEntry.id))
        ).all()
        session.commit()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_changes_and_deletions_are_recorded_with_actor_and_review(world: World, ids: Ids) -> None:
    api, base = world.api["researcher"], f"/api/v1/reviews/{ids.review_id}"
    api.patch(base, json={"collaboration": "Wijkteam"})
    participant = api.post(f"{base}/participants", json={"pseudonym": "Opa", "role_category": "family_network"}).json()
    api.delete(f"{base}/participants/{participant['id']}")
    me = f"user:{world.users['researcher'].id}"
    assert _entries(world, ids.review_id)[-3:] == [
        (me, "review.update"),
        (me, "participant.create"),
        (me, "participant.erase"),
    ]


def test_the_chain_verifies_and_reports_tampering(db: Session, make_user: Callable[..., User]) -> None:
    make_user()
    for n in range(3):
        audit.record(db, actor=audit.Actor("user:1"), action="review.update", review_id=1, detail=f"title{n}")
    db.commit()
    assert audit.verify_chain(db) == []
    target = db.exec(select(AuditEntry).where(AuditEntry.detail == "title1")).one()
    db.exec(update(AuditEntry).where(col(AuditEntry.id) == target.id).values(actor="user:2"))  # type: ignore[call-overload]
    db.commit()
    assert audit.verify_chain(db) == [target.id]


def test_a_deleted_entry_breaks_the_chain(db: Session) -> None:
    for n in range(3):
        audit.record(db, actor=audit.SYSTEM, action="test", detail=str(n))
    db.commit()
    middle = db.exec(select(AuditEntry).where(AuditEntry.detail == "1")).one()
    db.delete(middle)
    db.commit()
    after = db.exec(select(AuditEntry).where(AuditEntry.detail == "2")).one()
    assert audit.verify_chain(db) == [after.id]


def test_control_characters_are_escaped(db: Session) -> None:
    entry = audit.record(db, actor=audit.Actor("user:1\nFORGED login"), action="login", detail="a\x1b[31m\rb\x00")
    db.commit()
    assert "\n" not in entry.actor and entry.actor == "user:1\\x0aFORGED login"
    assert entry.detail == "a\\x1b[31m\\x0db\\x00"
    assert audit.verify_chain(db) == []
