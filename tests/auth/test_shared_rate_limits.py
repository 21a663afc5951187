"""On PostgreSQL the rate limits (login, join codes) are counted in the database, shared by every worker:
two workers together allow the limit once, not twice; concurrent attempts never get past it."""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.security import MemoryBackoff, RateLimiter
from app.shared_limits import DatabaseBackoff, DatabaseRateLimiter

pytestmark = pytest.mark.postgres
WINDOW_START = 29_000_000 * 60.0  # a minute boundary


@pytest.fixture
def settings_pg(new_migrated_postgres_database: Callable[[], str], tmp_path: Path) -> Settings:
    """A fresh database of this test, migrated (a copy of the session's migrated template)."""
    return Settings(database_url=new_migrated_postgres_database(), data_dir=tmp_path, secret_key="shared-limits")


@pytest.fixture
def workers(settings_pg: Settings) -> Iterator[list[Engine]]:
    """Two engines on one database: what two worker processes have."""
    engines = [create_engine(settings_pg.effective_database_url) for _ in range(2)]
    yield engines
    for engine in engines:
        engine.dispose()


def test_two_workers_share_one_limit(workers: list[Engine]) -> None:
    now = [WINDOW_START]
    a, b = (DatabaseRateLimiter(engine, "join-all", 3, 60, clock=lambda: now[0]) for engine in workers)
    assert [a.hit("k"), b.hit("k"), a.hit("k")] == [True, True, True]
    assert (b.hit("k"), a.hit("k")) == (False, False)  # the 4th and 5th, whichever worker gets them
    assert a.retry_after("k") == b.retry_after("k") == 60
    assert a.hit("another client") is True  # keys are apart
    assert DatabaseRateLimiter(workers[0], "login", 3, 60, clock=lambda: now[0]).hit("k") is True  # and limiters
    # Sliding: 30 s into the next minute, the previous minute's 3 still weigh half (1.5 < 3): one more may try.
    now[0] += 90
    assert b.retry_after("k") == 0
    assert b.hit("k") is True
    # After a successful login, the key starts afresh.
    b.reset("k")
    assert [a.hit("k") for _ in range(3)] == [True, True, True] and a.hit("k") is False


def test_concurrent_attempts_never_get_past_the_limit(workers: list[Engine]) -> None:
    limiters = [DatabaseRateLimiter(engine, "join-all", 5, 60, clock=lambda: WINDOW_START) for engine in workers]
    barrier, allowed, lock = threading.Barrier(20), [], threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait(10)
        answer = limiters[n % 2].hit("room")
        with lock:
            allowed.append(answer)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(allowed) == [False] * 15 + [True] * 5


def test_the_app_counts_in_the_database_on_postgresql_and_in_memory_on_sqlite(
    settings_pg: Settings, tmp_path: Path
) -> None:
    on_pg = create_app(settings_pg)
    on_sqlite = create_app(Settings(data_dir=tmp_path / "sqlite", secret_key="shared-limits"))
    for limiter in ("login_limiter", "join_limiter", "join_global_limiter"):
        assert isinstance(getattr(on_pg.state, limiter), DatabaseRateLimiter)
        assert isinstance(getattr(on_sqlite.state, limiter), RateLimiter)
    assert isinstance(on_pg.state.login_backoff, DatabaseBackoff)
    assert isinstance(on_sqlite.state.login_backoff, MemoryBackoff)
    on_pg.state.engine.dispose()
    on_sqlite.state.engine.dispose()


def test_workers_share_the_login_slow_down_per_address(workers: list[Engine]) -> None:
    now = [1_800_000_000.0]
    a, b = (DatabaseBackoff(engine, "login-failures", 2, 900, 60, clock=lambda: now[0]) for engine in workers)
    a.fail("address")
    assert b.wait("address") == 0  # the first failures are free
    b.fail("address")
    assert a.wait("address") == 2  # then 1 s after the second (counted from the end of its second) ...
    now[0] += 2
    assert b.wait("address") == 0
    for _ in range(10):
        a.fail("address")
    assert 0 < b.wait("address") <= 61  # ... growing, capped at a minute
    assert b.wait("someone else") == 0
    now[0] += 901  # failures older than the window no longer count
    assert a.wait("address") == 0
    a.fail("address")
    b.reset("address")
    assert a.wait("address") == 0


def test_the_join_limit_counts_an_addresss_failures_for_all_workers(workers: list[Engine]) -> None:
    a, b = (DatabaseRateLimiter(engine, "join-client", 10, 60, clock=lambda: WINDOW_START) for engine in workers)
    assert a.count("phone") == 0
    a.hit("phone")
    b.hit("phone")
    assert a.count("phone") == b.count("phone") == 2
