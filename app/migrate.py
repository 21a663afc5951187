"""Run Alembic migrations from the service (``leerreview migrate``, tests, ``make run``)."""

from alembic import command
from alembic.config import Config

from app.config import Settings
from app.db import make_engine
from app.templating import ROOT


def alembic_config(settings: Settings) -> Config:
    """An Alembic configuration pointing at our migrations and the configured database."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", settings.effective_database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the database to ``revision`` (default: the newest)."""
    engine = make_engine(settings)
    config = alembic_config(settings)
    if settings.is_sqlite:
        # Our engine starts every transaction with BEGIN IMMEDIATE; Alembic's batch mode needs plain DDL.
        engine.dispose()
    command.upgrade(config, revision)
    engine.dispose()
    if revision == "head":
        _load_reference_data(settings)


def _load_reference_data(settings: Settings) -> None:
    """Data the service ships (the frameworks of the findings tree), loaded once so reading never writes."""
    from sqlmodel import Session

    from app.findings.service import ensure_frameworks

    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            ensure_frameworks(session)
            session.commit()
    finally:
        engine.dispose()


def downgrade(settings: Settings, revision: str) -> None:
    """Take the database back to ``revision``."""
    command.downgrade(alembic_config(settings), revision)
