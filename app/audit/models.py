"""The tables of the hash-chained audit log."""

import datetime as dt

from sqlmodel import Field, SQLModel

from app.db.base import ts_column, utcnow


class AuditEntry(SQLModel, table=True):
    """An append-only, hash-chained audit record: who did what, when, to which review. Never case text."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    actor: str = Field(max_length=80)
    action: str = Field(max_length=60, index=True)
    review_id: int | None = Field(default=None, index=True)
    target: str = Field(default="", max_length=120)
    detail: str = Field(default="", max_length=500)
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
