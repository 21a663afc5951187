"""Backup and restore: one file holds the database and the uploads; restoring it gives every review back."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlmodel import Session

from app.config import Settings
from app.demo import load_demo
from app.ops import OpsError, backup, purge_expired, restore
from tests.fixtures import make_settings

SKIP_TABLES = {"alembic_version"}


def _dump(settings: Settings) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(settings.effective_database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        tables = {
            name: sorted(tuple(row) for row in connection.execute(select(table)))
            for name, table in metadata.tables.items()
            if name not in SKIP_TABLES
        }
    engine.dispose()
    return tables


@pytest.fixture
def demo_settings(settings: Settings, app: object, db: Session) -> Settings:
    load_demo(session=db)
    db.commit()
    upload = settings.upload_dir / "review-1" / "abc123"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 fake attachment")
    return settings


def test_backup_restores_every_review_equal(demo_settings: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(demo_settings, archive)
    target = make_settings(tmp_path / "restored")
    restore(target, archive)
    before, after = _dump(demo_settings), _dump(target)
    assert before.keys() == after.keys()
    assert before["reviews"] and before["lifeline_events"] and before["audit_log"]
    assert before == after
    assert (target.upload_dir / "review-1" / "abc123").read_bytes() == b"%PDF-1.4 fake attachment"


def test_restore_refuses_a_data_directory_in_use(demo_settings: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup(demo_settings, archive)
    with pytest.raises(OpsError, match="not empty"):
        restore(demo_settings, archive)
    restore(demo_settings, archive, force=True)


def test_purge_erases_only_expired_reviews_and_their_files(demo_settings: Settings, db: Session) -> None:
    from app.audit.models import AuditEntry
    from app.reviews.models import Review

    review = db.get(Review, 1)
    assert review is not None
    review.retention_until = dt.date(2020, 1, 1)
    db.add(review)
    db.commit()
    assert purge_expired(db, demo_settings, dt.date(2019, 12, 31)) == []
    erased = purge_expired(db, demo_settings, dt.date.today())
    db.commit()
    assert erased == [1]
    assert db.get(Review, 1) is None
    assert not (demo_settings.upload_dir / "review-1").exists()
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "review.erase")).scalars().one()  # type: ignore[call-overload]
    assert entry.review_id == 1 and "Bakker" not in entry.detail + entry.target
