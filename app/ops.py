"""Operations: backup and restore (database and uploaded files in one file), purge of expired reviews.

A backup is a ``.tar.gz`` holding ``manifest.json``, the database (``database.sqlite3``: a consistent online
copy made with SQLite's backup API; or ``database.pgdump``: ``pg_dump --format=custom``), the uploaded files
under ``uploads/`` and the secret key (join codes and CSRF tokens derive from it). A backup is as sensitive
as the data itself: store it encrypted.
"""

import datetime as dt
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sqlalchemy import make_url
from sqlmodel import Session, col, select

from app.audit import PURGE
from app.config import Settings
from app.reviews.models import Review
from app.reviews.service import erase_review

FORMAT = 1


class OpsError(Exception):
    """An operation that cannot go ahead; the message says why."""


def _sqlite_path(settings: Settings) -> Path:
    return Path(make_url(settings.effective_database_url).database or "")


def _pg_args(settings: Settings) -> tuple[list[str], dict[str, str]]:
    url = make_url(settings.effective_database_url)
    args = [
        "--host",
        url.host or "localhost",
        "--port",
        str(url.port or 5432),
        "--username",
        url.username or "postgres",
    ]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return [*args, "--dbname", url.database or "postgres"], env


def _run(command: list[str], env: dict[str, str], **kwargs: object) -> None:
    import os

    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise OpsError(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()}")


def backup(settings: Settings, target: Path) -> dict[str, object]:
    """Write one backup file with the database, the uploaded files and the secret key."""
    manifest: dict[str, object] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": "sqlite" if settings.is_sqlite else "postgresql",
    }
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        if settings.is_sqlite:
            database = work / "database.sqlite3"
            source = sqlite3.connect(_sqlite_path(settings))
            copy = sqlite3.connect(database)
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
        else:
            database = work / "database.pgdump"
            args, env = _pg_args(settings)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(database), *args], env)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            payload = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            archive.add(database, arcname=database.name)
            if settings.upload_dir.exists():
                archive.add(settings.upload_dir, arcname="uploads")
            key_file = settings.data_dir / "secret_key"
            if key_file.exists():
                archive.add(key_file, arcname="secret_key")
        partial.replace(target)
    return manifest


def _data_dir_empty(settings: Settings) -> bool:
    return not settings.data_dir.exists() or not any(settings.data_dir.iterdir())


def restore(settings: Settings, source: Path, *, force: bool = False) -> dict[str, object]:
    """Restore a backup into an empty data directory (or over the current data with ``force``)."""
    if not source.is_file():
        raise OpsError(f"No backup file at {source}")
    if settings.is_sqlite and not _data_dir_empty(settings) and not force:
        raise OpsError(f"The data directory {settings.data_dir} is not empty; use --force to overwrite it")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source, "r:gz") as archive:
        archive.extractall(scratch, filter="data")
        work = Path(scratch)
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise OpsError("This backup was made by an incompatible version")
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if manifest["database"] == "sqlite":
            if not settings.is_sqlite:
                raise OpsError("This backup holds a SQLite database; the service is configured for PostgreSQL")
            target = _sqlite_path(settings)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(work / "database.sqlite3", target)
        else:
            if settings.is_sqlite:
                raise OpsError("This backup holds a PostgreSQL dump; set LEERREVIEW_DATABASE_URL to restore it")
            args, env = _pg_args(settings)
            command = ["pg_restore", "--no-owner", "--exit-on-error", *args, str(work / "database.pgdump")]
            if force:
                command.insert(1, "--clean")
                command.insert(2, "--if-exists")
            _run(command, env)
        if settings.upload_dir.exists():
            shutil.rmtree(settings.upload_dir)
        if (work / "uploads").exists():
            shutil.copytree(work / "uploads", settings.upload_dir)
        if (work / "secret_key").exists() and not settings.secret_key:
            shutil.copyfile(work / "secret_key", settings.data_dir / "secret_key")
    return dict(manifest)


def expired_reviews(session: Session, today: dt.date) -> list[Review]:
    """Reviews whose retention date has passed."""
    return list(
        session.exec(
            select(Review).where(col(Review.retention_until).is_not(None), col(Review.retention_until) < today)
        )
    )


def purge_expired(session: Session, settings: Settings, today: dt.date) -> list[int]:
    """Erase every review past its retention date (rows and files); the audit keeps only ids."""
    erased = []
    for review in expired_reviews(session, today):
        erased.append(review.id or 0)
        erase_review(session=session, settings=settings, review=review, actor=PURGE)
    return erased
