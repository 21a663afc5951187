"""Database engine, the per-request session and SQLite's durability settings.

SQLite runs in WAL mode with ``synchronous=NORMAL`` (durable across process crashes; an OS crash may lose
the last transactions), a busy timeout, foreign keys on, and every transaction starts with
``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing with "database is locked".
"""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.config import Settings

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=15000",
    "PRAGMA foreign_keys=ON",
)


def make_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database, with SQLite tuned for safe concurrent writes."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_engine(request: Request) -> Engine:
    """The engine of the running app."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    """One session and one transaction per request; committed when the handler returns without error."""
    with Session(get_engine(request), expire_on_commit=False) as session:
        session.info["broker"] = request.app.state.broker
        try:
            yield session
        except BaseException:
            # Detach first: a rollback expires every loaded object, and the error page still shows the viewer.
            session.expunge_all()
            session.rollback()
            raise
        session.commit()


# scope="function": the commit happens before the response is sent, so a 2xx means the write is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
