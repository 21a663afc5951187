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


def create_database(admin_url: str, prefix: str = "leerreview_test") -> str:
    """Create an empty database with a unique name; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    _run_outside_transaction(admin_url, f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
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


@pytest.fixture
def new_postgres_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases for one test (for tests that need an empty schema)."""
    made: list[str] = []

    def factory() -> str:
        url = create_database(postgres_admin_url)
        made.append(url)
        return url

    yield factory
    for url in made:
        drop_database(postgres_admin_url, url)
