"""The Alembic migrations, on SQLite and on PostgreSQL: hand-written versions of pytest-alembic's standard tests.

- there is exactly one head;
- an empty database upgrades to head;
- the migrated schema matches the models (autogenerate finds nothing to do);
- every revision upgrades and downgrades step by step, and the database upgrades again after going to base;
- a database holding the demo case keeps its data across the newest migration.

PostgreSQL tests use a fresh database in the throw-away cluster of ``make test`` (see ``tests/pg.py``).
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session

import app
import lifeline
from app.config import Settings
from app.db import make_engine
from app.migrate import alembic_config, downgrade, upgrade
from app.models import metadata

SKIP_MODULES = {"app.asgi"}  # builds an app from the environment at import time


def _import_every_module() -> None:
    """Import every module of the service so that a table declared outside app.models is in the metadata too."""
    for package in (app, lifeline):
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if module.name not in SKIP_MODULES:
                importlib.import_module(module.name)


_import_every_module()

SCRIPT = ScriptDirectory.from_config(alembic_config(Settings(database_url="sqlite://")))
HEADS = SCRIPT.get_heads()


def _revisions_base_to_head() -> list[str]:
    """Every revision, oldest first."""
    return [rev.revision for rev in reversed(list(SCRIPT.walk_revisions("base", "heads")))]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings pointing at an empty database: a SQLite file, or a fresh PostgreSQL database."""
    database_url = None
    if request.param == "postgres":
        new_database: Callable[[], str] = request.getfixturevalue("new_postgres_database")
        database_url = new_database()
    yield Settings(data_dir=tmp_path / "data", database_url=database_url, secret_key="test-secret")


def _plain_engine(settings: Settings) -> Engine:
    """An engine without the service's SQLite tuning, for looking at the schema."""
    return create_engine(settings.effective_database_url, poolclass=NullPool)


def _current_revisions(settings: Settings) -> set[str]:
    engine = _plain_engine(settings)
    try:
        with engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()


def _tables(settings: Settings) -> set[str]:
    engine = _plain_engine(settings)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _enum_types(settings: Settings) -> list[str]:
    """Named enum types left in the database (PostgreSQL only; SQLite has none)."""
    if settings.is_sqlite:
        return []
    engine = _plain_engine(settings)
    try:
        return sorted(enum["name"] for enum in inspect(engine).get_enums())  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def _row_counts(settings: Settings) -> dict[str, int]:
    engine = _plain_engine(settings)
    try:
        present = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            return {
                name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()
                if name in present
            }
    finally:
        engine.dispose()


def _describe(difference: Any) -> str:
    """One line per autogenerate difference: the operation and the names involved."""
    if isinstance(difference, list):  # modify_* operations come grouped per column
        return "\n".join(_describe(item) for item in difference)
    parts = [str(getattr(part, "name", part)) for part in difference if part is not None]
    return "  " + " ".join(parts)[:300]


def test_single_head() -> None:
    assert len(HEADS) == 1, f"several Alembic heads, merge them (alembic merge heads): {HEADS}"


def test_revision_chain_is_linear_and_complete() -> None:
    revisions = _revisions_base_to_head()
    assert revisions, "no migrations at all"
    assert revisions[-1] == HEADS[0]
    first = SCRIPT.get_revision(revisions[0])
    assert first is not None and first.down_revision is None


def test_upgrade_empty_to_head(empty_db: Settings) -> None:
    upgrade(empty_db)
    assert _current_revisions(empty_db) == set(HEADS)
    missing = set(metadata.tables) - _tables(empty_db)
    assert not missing, f"the models declare tables that no migration creates: {sorted(missing)}"


def test_models_match_migrated_schema(empty_db: Settings) -> None:
    upgrade(empty_db)
    engine = _plain_engine(empty_db)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == [], (
        "the models and the migrations disagree; generate a migration "
        "(alembic revision --autogenerate -m '...') and review it:\n" + "\n".join(map(_describe, differences))
    )


def test_up_down_up_every_revision(empty_db: Settings) -> None:
    revisions = _revisions_base_to_head()
    for revision in revisions:
        upgrade(empty_db, revision)
        assert _current_revisions(empty_db) == {revision}
    for index in range(len(revisions) - 1, -1, -1):
        target = revisions[index - 1] if index > 0 else "base"
        downgrade(empty_db, target)
        assert _current_revisions(empty_db) == (set() if target == "base" else {target})
    leftover = _tables(empty_db) - {"alembic_version"}
    assert leftover == set(), f"downgrade to base left tables behind: {sorted(leftover)}"
    enums = _enum_types(empty_db)
    assert enums == [], f"downgrade to base left enum types behind (drop them in downgrade()): {enums}"
    upgrade(empty_db)
    assert _current_revisions(empty_db) == set(HEADS)


def test_newest_migration_keeps_demo_data(empty_db: Settings) -> None:
    """With the demo case loaded: take back the newest migration (when there is an older one) and apply it
    again; every table that exists before the newest migration keeps all its rows. With a single migration
    this checks that ``upgrade head`` on a loaded database is a harmless no-op."""
    from app.demo import load_demo

    upgrade(empty_db)
    engine = make_engine(empty_db)
    try:
        with Session(engine, expire_on_commit=False) as session:
            load_demo(session=session)
            session.commit()
    finally:
        engine.dispose()
    before = _row_counts(empty_db)
    assert before.get("reviews", 0) >= 1 and before.get("participants", 0) >= 1, before

    head = SCRIPT.get_revision(HEADS[0])
    assert head is not None
    kept = set(before)
    if head.down_revision is not None:
        previous = head.down_revision if isinstance(head.down_revision, str) else head.down_revision[0]
        downgrade(empty_db, previous)
        kept &= _tables(empty_db)  # tables the newest migration creates are dropped by its downgrade
    upgrade(empty_db)

    assert _current_revisions(empty_db) == set(HEADS)
    after = _row_counts(empty_db)
    assert kept, "no table survives the downgrade of the newest migration"
    assert {name: after.get(name) for name in kept} == {name: before[name] for name in kept}
