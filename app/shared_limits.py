"""Rate limits shared by every worker process, kept in PostgreSQL (SQLite runs one process: limits in memory).

Counts live per key and fixed window (``rate_limit_windows``); a key's recent rate is the current window's count
plus the previous window's, weighted by how much of it still lies within the last ``window`` seconds (a sliding
window without storing every attempt). Each check runs in a short transaction of its own, under an advisory
lock on the key, so two workers never both let the attempt over the limit through — and a request that
fails afterwards (a wrong code answers 404 and rolls back) still leaves its attempt counted.
"""

import time
from collections.abc import Callable

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from app.db.locks import LockKey
from app.security import backoff_seconds


class RateLimitWindow(SQLModel, table=True):
    """Attempts per rate-limit key and fixed time window, shared by all workers (PostgreSQL only).

    Written by ``app.shared_limits`` with plain SQL in transactions of its own; old windows are removed as
    their key is used again.
    """

    __tablename__ = "rate_limit_windows"

    key: str = Field(primary_key=True, max_length=300)
    window_no: int = Field(primary_key=True)
    hits: int = 0


_LOCK = text(f"SELECT pg_advisory_xact_lock({LockKey.rate_limit.value}, hashtext(:key))")

_COUNTS = text("SELECT window_no, hits FROM rate_limit_windows WHERE key = :key AND window_no >= :previous")
_HIT = text(
    "INSERT INTO rate_limit_windows (key, window_no, hits) VALUES (:key, :window_no, 1) "
    "ON CONFLICT (key, window_no) DO UPDATE SET hits = rate_limit_windows.hits + 1"
)
_FORGET_OLD = text("DELETE FROM rate_limit_windows WHERE key = :key AND window_no < :previous")
_FORGET = text("DELETE FROM rate_limit_windows WHERE key = :key")


class _SharedCounts:
    """Counts per key (prefixed with the limit's ``name``) and window number in ``rate_limit_windows``."""

    def __init__(self, engine: Engine, name: str, window_seconds: float, clock: Callable[[], float]) -> None:
        self.engine = engine
        self.name = name
        self.window = window_seconds
        self._clock = clock

    def reset(self, key: str) -> None:
        """Forget a key's attempts (after a successful one)."""
        with self.engine.begin() as connection:
            connection.execute(_FORGET, {"key": f"{self.name}:{key}"})


class DatabaseRateLimiter(_SharedCounts):
    """The same contract as :class:`app.security.RateLimiter`, counted in the database for all workers."""

    def __init__(
        self, engine: Engine, name: str, limit: int, window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(engine, name, window_seconds, clock)
        self.limit = limit

    def _recent(self, connection: Connection, key: str, now: float) -> tuple[float, int]:
        """(the estimated attempts within the last window, the current window's number)."""
        current = int(now // self.window)
        rows = connection.execute(_COUNTS, {"key": key, "previous": current - 1}).all()
        counts: dict[int, int] = {int(window_no): int(hits) for window_no, hits in rows}
        still_inside = 1 - (now % self.window) / self.window
        return counts.get(current, 0) + counts.get(current - 1, 0) * still_inside, current

    def hit(self, key: str) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is then refused)."""
        key = f"{self.name}:{key}"
        with self.engine.begin() as connection:
            connection.execute(_LOCK, {"key": key})
            recent, current = self._recent(connection, key, self._clock())
            if recent >= self.limit:
                return False
            connection.execute(_HIT, {"key": key, "window_no": current})
            connection.execute(_FORGET_OLD, {"key": key, "previous": current - 1})
            return True

    def retry_after(self, key: str) -> int:
        """Seconds until the next attempt for ``key`` would be allowed (0: now)."""
        key = f"{self.name}:{key}"
        with self.engine.connect() as connection:
            now = self._clock()
            recent, _current = self._recent(connection, key, now)
            if recent < self.limit:
                return 0
            # At the latest when the previous window has slid out entirely: the end of the current one.
            return max(1, int(self.window - now % self.window + 0.999))

    def count(self, key: str) -> int:
        """The attempts for ``key`` within the last window (estimated, rounded up)."""
        with self.engine.connect() as connection:
            recent, _current = self._recent(connection, f"{self.name}:{key}", self._clock())
        return int(recent + 0.999)


_FAILURES = text(
    "SELECT coalesce(sum(hits), 0), max(window_no) FROM rate_limit_windows WHERE key = :key AND window_no > :since"
)
_FORGET_BEFORE = text("DELETE FROM rate_limit_windows WHERE key = :key AND window_no <= :since")


class DatabaseBackoff(_SharedCounts):
    """The same contract as :class:`app.security.MemoryBackoff`, for all workers: one row per key and second
    with a failure in it (``window_no`` is the Unix second)."""

    def __init__(
        self,
        engine: Engine,
        name: str,
        free: int,
        window_seconds: float,
        cap_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(engine, name, window_seconds, clock)
        self.free = free
        self.cap = cap_seconds

    def wait(self, key: str) -> int:
        """Seconds until the next attempt for ``key`` is allowed (0: now)."""
        now = self._clock()
        with self.engine.connect() as connection:
            failures, last = connection.execute(
                _FAILURES, {"key": f"{self.name}:{key}", "since": int(now - self.window)}
            ).one()
        delay = backoff_seconds(int(failures), self.free, self.cap)
        if not delay:
            return 0
        return max(0, int(last + 1 + delay - now + 0.999))  # ``last`` is the failure's second: count from its end

    def fail(self, key: str) -> None:
        """Count one failed attempt."""
        now, key = self._clock(), f"{self.name}:{key}"
        with self.engine.begin() as connection:
            connection.execute(_HIT, {"key": key, "window_no": int(now)})
            connection.execute(_FORGET_BEFORE, {"key": key, "since": int(now - self.window)})
