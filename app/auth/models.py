"""The tables of accounts and their sessions/API tokens."""

import datetime as dt

from sqlmodel import Field, SQLModel

from app.db.base import ts_column, utcnow


class User(SQLModel, table=True):
    """A researcher account."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    language: str | None = Field(default=None, max_length=5)
    is_active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class AuthSession(SQLModel, table=True):
    """A server-side login session (browser cookie) or API bearer token; only the token's hash is stored."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    kind: str = Field(default="web", max_length=10)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    expires_at: dt.datetime = Field(sa_column=ts_column())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
