"""What every table shares: the metadata and its naming convention, timestamps, and the column types.

Each area declares its own tables in ``app/<area>/models.py`` on top of this module; ``app.models`` imports them
all (the combined metadata Alembic compares against).
"""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, DateTime, Dialect, MetaData, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use app.db.base.utcnow()")
        return value.astimezone(dt.UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def enum_type(enum: type[StrEnum]) -> SAEnum:
    """A column for a StrEnum stored as plain text (no PostgreSQL ENUM type to create, alter or drop)."""
    return SAEnum(enum, native_enum=False, length=30, values_callable=lambda members: [m.value for m in members])


def ts_column(*, nullable: bool = False) -> Column[dt.datetime]:
    """A UTC timestamp column (``UTCDateTime``)."""
    return Column(UTCDateTime(), nullable=nullable)
