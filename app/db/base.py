"""What every table shares: the metadata and its naming convention, timestamps, and the column types.

Each area declares its own tables in ``app/<area>/models.py`` on top of this module; ``app.models`` imports them
all (the combined metadata Alembic compares against).
"""

import datetime as dt
import functools
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    ARRAY,
    Column,
    DateTime,
    Dialect,
    MetaData,
    Row,
    Select,
    String,
    Table,
    Text,
    TypeDecorator,
    any_,
    bindparam,
    column,
    func,
    select,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Field, Session, SQLModel

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


class JSONText(TypeDecorator[Any]):
    """JSON kept in a text column: Python values in, Python values out (no hand ``json.loads``/``dumps``).

    The column stays ``TEXT`` on SQLite and PostgreSQL (no schema change). Assign a new value to change it:
    changes made in place to a loaded list or dict are not noticed.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


def json_column(name: str) -> Column[Any]:
    """A non-null ``JSONText`` column named ``name`` in the database (the attribute drops the ``_json``)."""
    return Column(name, JSONText(), nullable=False)


def enum_type(enum: type[StrEnum], *, length: int = 30) -> SAEnum:
    """A column for a StrEnum stored as plain text (no PostgreSQL ENUM type to create, alter or drop).

    ``length`` is the text column's width: columns that were plain strings before keep theirs.
    """
    return SAEnum(enum, native_enum=False, length=length, values_callable=lambda members: [m.value for m in members])


def ts_column(*, nullable: bool = False) -> Column[dt.datetime]:
    """A UTC timestamp column (``UTCDateTime``)."""
    return Column(UTCDateTime(), nullable=nullable)


class Created(SQLModel):
    """Who made a row and when: ``created_by`` (a user; null once that account is erased) and ``created_at``."""

    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class CreatedUpdated(Created):
    """:class:`Created` and when the row last changed (``updated_at``)."""

    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class VersionRow(SQLModel):
    """The head of a history row (one version of a changed thing, never changed afterwards): its number, what
    changed (``create``, ``update``, ``delete``, …) and who changed it, when."""

    version: int
    change: str = Field(max_length=20)
    changed_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    changed_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ReviewRow(SQLModel):
    """The head most tables share: an ``id`` and the ``review_id`` of the review the row belongs to (indexed, and
    deleted with the review). A table declares ``class X(ReviewRow, table=True)`` (with :class:`Created`,
    :class:`CreatedUpdated` or :class:`VersionRow` after it where it has those columns); its own columns follow."""

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)


Out = TypeVar("Out", bound=BaseModel)


def from_row(schema: type[Out], row: SQLModel, /, **extra: Any) -> Out:
    """``schema`` (what the API shows) filled from a table row: every field the two share by name, then ``extra``
    (the fields the row names otherwise or does not have: counts, links, children)."""
    shared = schema.model_fields.keys() & type(row).model_fields.keys()
    return schema.model_validate({**{name: getattr(row, name) for name in shared}, **extra})


class OneOf(ColumnElement[bool]):
    """``column IN (…)`` for a list sent as the parameter ``name``, with one statement text whatever the list's
    length, so that it is compiled, prepared and planned once instead of on every call: on PostgreSQL
    ``column = ANY(:name)`` with the list as one array, on SQLite ``column IN (SELECT value FROM
    json_each(:name))`` with the list as JSON (SQLite still walks the index once per value)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string)]

    def __init__(self, column: Any, name: str) -> None:  # a column, or an ORM attribute of one
        self.column = column
        self.name = name


@compiles(OneOf)
def _one_of_in(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw))


@compiles(OneOf, "sqlite")
def _one_of_json(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    values: Select[Any] = select(column("value")).select_from(func.json_each(bindparam(element.name, type_=JSONText())))
    return str(compiler.process(element.column.in_(values.scalar_subquery()), **kw))


@compiles(OneOf, "postgresql")
def _one_of_any(element: OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    array = bindparam(element.name, type_=ARRAY(element.column.type))
    return str(compiler.process(element.column == any_(array), **kw))


SEPARATOR = "\x1f"
"""What :class:`Joined` puts between the texts of a group: the ASCII unit separator, a control character that no
stored text holds (``lifeline.text.printable`` and the ``Clean`` type remove them from everything a user or an
import sends), so the joined text splits back unambiguously."""


class Joined(ColumnElement[str]):
    """The texts of a group joined with :data:`SEPARATOR`, in no particular order (``group_concat`` on SQLite,
    ``string_agg`` on PostgreSQL), the separator written into the statement (SQLAlchemy's ``aggregate_strings``
    sends it as a value it must put into the statement on every call)."""

    inherit_cache = True
    type = Text()
    _traverse_internals = [("text", InternalTraversal.dp_clauseelement)]

    def __init__(self, text: Any) -> None:
        self.text = text


@compiles(Joined)
def _joined(element: Joined, compiler: SQLCompiler, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.text, **kw)}, char({ord(SEPARATOR)}))"


@compiles(Joined, "postgresql")
def _joined_pg(element: Joined, compiler: SQLCompiler, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.text, **kw)}, chr({ord(SEPARATOR)}))"


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]], *returning: str) -> Sequence[Row[Any]]:
    """Insert ``rows`` (dicts with the same keys) with one statement whose text does not depend on their number,
    so that it is compiled once and, on PostgreSQL, prepared once per connection; the ``returning`` columns of the
    new rows, in no promised order. On PostgreSQL ``INSERT … SELECT unnest(:column), …`` with one array per column
    (a multi-row ``VALUES`` was a new statement text for every number of rows: parsed, planned and converted each
    time); on SQLite a multi-row ``VALUES`` (SQLAlchemy's "insertmanyvalues")."""
    if not rows:
        return []
    columns = tuple(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        arrays = {name: [row[name] for row in rows] for name in columns}
        return session.execute(_unnest_insert(table, columns, returning), arrays).all()
    return session.execute(_values_insert(table, returning), list(rows)).all()


@functools.cache
def _unnest_insert(table: Table, columns: tuple[str, ...], returning: tuple[str, ...]) -> Insert:
    def array_of(name: str) -> Any:
        kind = table.c[name].type
        return func.unnest(bindparam(name, type_=ARRAY(String() if isinstance(kind, SAEnum) else kind)))

    values = select(*(array_of(name) for name in columns))  # unnest()s side by side run in lockstep
    return table.insert().from_select(list(columns), values).returning(*(table.c[name] for name in returning))


@functools.cache
def _values_insert(table: Table, returning: tuple[str, ...]) -> Insert:
    statement: Insert = table.insert().returning(*(table.c[name] for name in returning))
    return statement
