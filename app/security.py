"""Passwords, session and API tokens, CSRF tokens, rate limits, and the review roles."""

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from app.reviews.models import Role

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A real hash of a random password, verified against when the e-mail is unknown, so timing reveals nothing.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3
"""zxcvbn's scale 0–4: 3 is "safely unguessable" (about 10^8 guesses and more), with its offline lists of common
passwords, words, names, keyboard patterns, dates and repetitions."""
_SCORED_CHARACTERS = 72  # zxcvbn refuses longer input (its matching grows with the length); the rest adds strength


def password_too_guessable(password: str, *, user_inputs: tuple[str, ...] = ()) -> bool:
    """Whether a password is common or trivial (``aaaaaaaaaa``, ``password123``, ``qwertyuiop``, the e-mail
    address): scored by zxcvbn, offline."""
    return int(zxcvbn(password[:_SCORED_CHARACTERS], user_inputs=list(user_inputs))["score"]) < MIN_PASSWORD_SCORE


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash in constant time (a dummy hash when the user is unknown)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A random 256-bit token, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 of a token: what the database stores instead of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret_key: str, binding: str) -> str:
    """The CSRF token bound to one session (or pre-login browser) secret."""
    return hmac.new(secret_key.encode(), b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret_key: str, binding: str, presented: str | None) -> bool:
    """Whether a presented CSRF token is the one for this binding."""
    # An empty binding (an API call without any cookie) binds nothing: no token matches it.
    return bool(presented) and bool(binding) and hmac.compare_digest(csrf_token(secret_key, binding), presented or "")


ROLE_CAN_WRITE = {Role.owner, Role.researcher}


def can_write(role: Role) -> bool:
    """Owners and researchers change a review; readers only read it."""
    return role in ROLE_CAN_WRITE


class Limiter(Protocol):
    """A limit on attempts per key: :class:`RateLimiter` in memory, or ``DatabaseRateLimiter`` for all workers."""

    def hit(self, key: str) -> bool: ...

    def retry_after(self, key: str) -> int: ...

    def count(self, key: str) -> int: ...

    def reset(self, key: str) -> None: ...


class _SlidingWindow:
    """The times of attempts per key within the last ``window_seconds`` (in this process), behind one lock; a
    key without any recent attempt is dropped, so the map never outgrows the keys seen within the window. The
    clock is a seam for tests."""

    def __init__(self, window_seconds: float, clock: Callable[[], float]) -> None:
        self.window = window_seconds
        self._clock = clock
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        """``key``'s attempts within the window, oldest first (call with the lock held)."""
        times = self._times.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._times[key]
        return times

    def _add(self, key: str, now: float) -> None:
        self._times.setdefault(key, deque()).append(now)

    def reset(self, key: str) -> None:
        """Forget a key's attempts (after a successful one)."""
        with self._lock:
            self._times.pop(key, None)


class RateLimiter(_SlidingWindow):
    """A sliding-window limit on attempts per key (in this process)."""

    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window_seconds, clock)
        self.limit = limit

    def hit(self, key: str) -> bool:
        """Count one attempt; False when the key is over its limit (the attempt is then refused)."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return False
            self._add(key, now)
            return True

    def retry_after(self, key: str) -> int:
        """Seconds until the next attempt for ``key`` would be allowed."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0
            return max(1, int(hits[0] + self.window - now + 0.999))

    def count(self, key: str) -> int:
        """The attempts for ``key`` within the window."""
        with self._lock:
            return len(self._recent(key, self._clock()))


def backoff_seconds(failures: int, free: int, cap: int) -> int:
    """How long to wait after the last of ``failures`` failed attempts: nothing for the first ``free``, then
    1, 2, 4, … seconds, at most ``cap``."""
    return 0 if failures < free else min(cap, 2 ** min(failures - free, 30))


class Backoff(Protocol):
    """Failed attempts per key in a sliding window, and the wait they impose before the next attempt:
    :class:`MemoryBackoff`, or ``DatabaseBackoff`` for all workers."""

    def wait(self, key: str) -> int: ...

    def fail(self, key: str) -> None: ...

    def reset(self, key: str) -> None: ...


class MemoryBackoff(_SlidingWindow):
    """Failures per key within ``window_seconds`` (in this process) and the growing wait after each one.

    A slow-down rather than a lock: however many failures a stranger causes, the owner of the key waits at most
    ``cap_seconds`` for the next try.
    """

    def __init__(
        self, free: int, window_seconds: float, cap_seconds: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(window_seconds, clock)
        self.free = free
        self.cap = cap_seconds

    def wait(self, key: str) -> int:
        """Seconds until the next attempt for ``key`` is allowed (0: now)."""
        with self._lock:
            now = self._clock()
            failures = self._recent(key, now)
            if not failures:
                return 0
            left = failures[-1] + backoff_seconds(len(failures), self.free, self.cap) - now
            return max(0, int(left + 0.999))

    def fail(self, key: str) -> None:
        """Count one failed attempt."""
        with self._lock:
            now = self._clock()
            self._recent(key, now)
            self._add(key, now)
