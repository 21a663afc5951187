"""Use cases of accounts: create users, authenticate, open and close sessions and API tokens."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select, update

from app import audit
from app.audit import SYSTEM, Actor
from app.auth.models import AuthSession, User
from app.config import Settings
from app.db.base import utcnow
from app.errors import Conflict, InvalidInput, NotAuthenticated, TooManyRequests
from app.i18n import _
from app.security import (
    MIN_PASSWORD_LENGTH,
    Backoff,
    Limiter,
    hash_password,
    new_token,
    password_too_guessable,
    token_hash,
)

API_TOKEN_HOURS = 12


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def user_names(*, session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of these accounts by id, for "changed by" lines; ``None`` and erased accounts are left out."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id or 0: u.name for u in session.exec(select(User).where(col(User.id).in_(ids)))}


def create_user(*, session: Session, email: str, name: str, password: str, language: str | None = None) -> User:
    """Create a researcher account; the e-mail must be new and the password long enough."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidInput(_("That is not an e-mail address."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if password_too_guessable(password, user_inputs=(email, email.split("@")[0], name)):
        raise InvalidInput(
            _(
                "This password is too easy to guess (a common password, a word, a pattern or a repetition). "
                "Choose a longer one, for example a few unrelated words."
            )
        )
    if session.exec(select(User).where(User.email == email)).first():
        raise Conflict(_("An account with this e-mail address already exists."))
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password), language=language)
    return audit.record_added(session, user, actor=SYSTEM, action="user.create", review_id=None, kind="user")


@dataclass(frozen=True)
class LoginAttempt:
    """What checking a password needs from the database; the check itself (argon2) runs without a turn."""

    email: str
    user_id: int | None
    password_hash: str | None


def _address_key(email: str) -> str:
    return token_hash(email)[:40]  # failures per address, known or not; the address itself is not kept


def begin_login(*, session: Session, limiter: Limiter, backoff: Backoff, client: str, email: str) -> LoginAttempt:
    """Admit a log-in attempt (per-client rate limit, per-address slow-down) and find the account's hash.

    Known and unknown addresses are treated alike: the same limits, the same answers, a hash to check (a dummy
    one for unknown addresses, see :func:`app.security.verify_password`).
    """
    email = normalise_email(email)
    key = f"login:{client}"
    if not limiter.hit(key):
        seconds = limiter.retry_after(key)
        raise TooManyRequests(
            _("Too many login attempts. Please wait %(s)s seconds and try again.", s=seconds), retry_after=seconds
        )
    wait = backoff.wait(_address_key(email))
    if wait:
        raise TooManyRequests(
            _("Too many failed attempts for this address. Please wait %(s)s seconds and try again.", s=wait),
            retry_after=wait,
        )
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.is_active:
        return LoginAttempt(email=email, user_id=None, password_hash=None)
    return LoginAttempt(email=email, user_id=user.id, password_hash=user.password_hash)


def finish_login(
    *, session: Session, limiter: Limiter, backoff: Backoff, client: str, attempt: LoginAttempt, verified: bool
) -> User | None:
    """Record the outcome of a checked password; the user when it was right (and the account is active).

    Wrong credentials are answered with None rather than an exception so that the audit line is committed.
    """
    user = session.get(User, attempt.user_id) if attempt.user_id is not None else None
    if not verified or user is None or not user.is_active:
        backoff.fail(_address_key(attempt.email))
        if user is not None:
            audit.record(session, actor=Actor.of(user), action="login.failed")
        return None
    backoff.reset(_address_key(attempt.email))
    limiter.reset(f"login:{client}")
    return user


def open_session(*, session: Session, settings: Settings, user: User, kind: str = "web") -> str:
    """Start a new session (a fresh random id: rotated at every login) and return its token."""
    token = new_token()
    hours = settings.session_absolute_hours if kind == "web" else API_TOKEN_HOURS
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            user_id=user.id or 0,
            kind=kind,
            expires_at=utcnow() + dt.timedelta(hours=hours),
        )
    )
    audit.record(session, actor=Actor.of(user), action="login" if kind == "web" else "token.issue")
    return token


def resolve_session(*, session: Session, settings: Settings, token: str, kind: str) -> tuple[User, AuthSession]:
    """The user behind a session token, enforcing the idle and absolute timeouts."""
    now = utcnow()
    auth = session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(token), AuthSession.kind == kind)
    ).first()
    if auth is None or auth.revoked_at is not None or auth.expires_at <= now:
        raise NotAuthenticated(_("Please log in."))
    if kind == "web" and auth.last_seen_at + dt.timedelta(minutes=settings.session_idle_minutes) <= now:
        auth.revoked_at = now
        session.add(auth)
        raise NotAuthenticated(_("Your session has expired. Please log in again."))
    user = session.get(User, auth.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated(_("Please log in."))
    if now - auth.last_seen_at > dt.timedelta(minutes=1):
        auth.last_seen_at = now
        session.add(auth)
    return user, auth


def close_session(*, session: Session, auth: AuthSession) -> None:
    """End a session at logout."""
    auth.revoked_at = utcnow()
    session.add(auth)
    audit.record(session, actor=Actor.user_id_only(auth.user_id), action="logout")


def disable_user(*, session: Session, user: User) -> None:
    """Disable an account and end all its sessions and tokens at once."""
    user.is_active = False
    session.add(user)
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    audit.record(session, actor=SYSTEM, action="user.disable", target=f"user:{user.id}")


def set_language(*, session: Session, user: User, language: str) -> None:
    """Remember a user's chosen language."""
    user.language = language
    session.add(user)
