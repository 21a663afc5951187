"""PostgreSQL for tests: throw-away databases in the cluster that ``make test`` starts.

``scripts/test.sh`` exports ``LEERREVIEW_TEST_POSTGRES_URL`` (an admin URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:54329/postgres``). Tests marked ``postgres`` get fresh, uniquely
named databases in that cluster, dropped again at the end. Without the variable those tests FAIL when
``CI`` is set (a CI run must never silently skip them) and are skipped with a clear reason otherwise.

The fixtures are registered in ``tests/conftest.py``.
"""

import os
import secrets
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENV_VAR = "LEERREVIEW_TEST_POSTGRES_URL"


def running_in_ci() -> bool:
    """Whether this is a CI run (``CI=true``, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def admin_url_or_bail() -> str:
    """The admin URL of the test cluster; fails under CI and skips locally when it is not configured."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    reason = f"{ENV_VAR} is not set: run `make test`, which starts a throw-away PostgreSQL cluster"
    if running_in_ci():
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _run_outside_transaction(admin_url: str, statement: str) -> None:
    """One statement on the cluster's admin database in autocommit (``CREATE``/``DROP DATABASE`` need that)."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def create_database(admin_url: str, prefix: str = "leerreview_test", template: str | None = None) -> str:
    """Create a database with a unique name, empty or a copy of ``template`` (a database URL); returns its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    source = make_url(template).database if template else "template0"
    _run_outside_transaction(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{source}" ENCODING \'UTF8\'')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, database_url: str) -> None:
    """Drop a database made by :func:`create_database`, closing any connection still open to it."""
    name = make_url(database_url).database
    _run_outside_transaction(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The admin URL of the throw-away cluster (fails under CI, skips locally, when absent)."""
    return admin_url_or_bail()


@pytest.fixture(scope="session")
def postgres_database_url(postgres_admin_url: str) -> Iterator[str]:
    """One fresh database for the whole test session, dropped at the end."""
    url = create_database(postgres_admin_url, prefix="leerreview_session")
    yield url
    drop_database(postgres_admin_url, url)


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head (with the shipped reference data) once per session, copied by
    ``new_migrated_postgres_database``: ``CREATE DATABASE … TEMPLATE`` takes a fraction of a migration's time."""
    from app.config import Settings
    from app.migrate import upgrade

    url = create_database(postgres_admin_url, prefix="leerreview_template")
    upgrade(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("pg-template"), secret_key="pg-template"))
    yield url
    drop_database(postgres_admin_url, url)


def _database_factory(admin_url: str, template: str | None) -> Iterator[Callable[[], str]]:
    made: list[str] = []

    def factory() -> str:
        url = create_database(admin_url, template=template)
        made.append(url)
        return url

    yield factory
    for url in made:
        drop_database(admin_url, url)


@pytest.fixture
def new_postgres_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases for one test (for tests that need an empty schema)."""
    yield from _database_factory(postgres_admin_url, None)


@pytest.fixture
def new_migrated_postgres_database(
    postgres_admin_url: str, migrated_postgres_template: str
) -> Iterator[Callable[[], str]]:
    """A factory of fresh databases for one test, each already migrated to head."""
    yield from _database_factory(postgres_admin_url, migrated_postgres_template)
