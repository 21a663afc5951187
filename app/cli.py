"""The ``leerreview`` command: serve, migrate, demo, create-user."""

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, select

from app.config import Settings, get_settings

cli = typer.Typer(
    help="leerreview: learning reviews (casusonderzoek) of youth-care cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    return get_settings()


@contextmanager
def _exit_on(*errors: type[Exception]) -> Iterator[None]:
    """An expected failure (one of ``errors``) prints its message, without a traceback, and exits with 1."""
    try:
        yield
    except errors as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Bring the database schema up to date (Alembic)."""
    from app.migrate import upgrade

    settings = _settings()
    upgrade(settings, revision)
    typer.echo(f"Database migrated to {revision}: {_redacted(settings.effective_database_url)}")


@cli.command("create-user")
def create_user(
    email: str,
    name: Annotated[str, typer.Option(help="Display name")] = "",
    password: Annotated[str | None, typer.Option(help="Prompted for when left out")] = None,
    language: Annotated[str | None, typer.Option(help="nl or en")] = None,
) -> None:
    """Create a researcher account that can own reviews."""
    from app.auth.service import create_user as create
    from app.db import make_engine
    from app.errors import DomainError

    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            typer.echo("The passwords differ.", err=True)
            raise typer.Exit(2)
    engine = make_engine(_settings())
    with Session(engine, expire_on_commit=False) as session, _exit_on(DomainError):
        user = create(session=session, email=email, name=name, password=password, language=language)
        session.commit()
    typer.echo(f"Created user {user.email} (id {user.id}).")


@cli.command()
def demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Only when the database holds no reviews")] = False,
) -> None:
    """Load the demo case (gezin Bakker) with demo researcher accounts."""
    from app.db import make_engine
    from app.demo import DEMO_LOGINS, load_demo
    from app.reviews.models import Review

    engine = make_engine(_settings())
    with Session(engine, expire_on_commit=False) as session:
        if if_empty and session.exec(select(Review.id)).first() is not None:
            typer.echo("The database already holds reviews; demo not loaded.")
            return
        review = load_demo(session=session)
        session.commit()
    typer.echo(f"Demo case loaded as review {review.id}.")
    for email, password, role in DEMO_LOGINS:
        typer.echo(f"  demo login ({role}): {email} / {password}")


@cli.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (PostgreSQL for more than one)")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Run the web service."""
    import uvicorn

    settings = _settings()
    settings.resolved_secret_key()  # generate it once here, before several workers could race to make their own
    if workers > 1 and settings.is_sqlite:
        typer.echo("Several workers need PostgreSQL (LEERREVIEW_DATABASE_URL); running one.", err=True)
        workers = 1
    typer.echo(f"leerreview listening on http://{host}:{port}  (base URL {settings.base_url})")
    uvicorn.run(
        "app.asgi:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        timeout_graceful_shutdown=5,
        timeout_keep_alive=settings.keep_alive_seconds,
    )


@cli.command()
def backup(path: Annotated[Path, typer.Argument(help="The backup file to write (.tar.gz)")]) -> None:
    """Write one backup file: the database (consistent online copy) and the uploaded files."""
    from app.ops import OpsError
    from app.ops import backup as make_backup

    with _exit_on(OpsError):
        make_backup(_settings(), path)
    typer.echo(f"Backup written to {path}")


@cli.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A backup file made by `leerreview backup`")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite a data directory that is not empty")] = False,
) -> None:
    """Restore a backup into an empty data directory (refuses a non-empty one unless --force)."""
    from app.ops import OpsError
    from app.ops import restore as do_restore

    with _exit_on(OpsError):
        manifest = do_restore(_settings(), path, force=force)
    typer.echo(f"Restored backup of {manifest['created_at']} ({manifest['database']}). Run `leerreview migrate` next.")


@cli.command()
def purge(
    expired: Annotated[bool, typer.Option("--expired", help="Erase reviews past their retention date")] = False,
) -> None:
    """Erase reviews whose retention date has passed (rows and files; the audit log keeps only ids)."""
    import datetime as dt

    from app.db import make_engine
    from app.ops import purge_expired

    if not expired:
        typer.echo("Nothing to do: say --expired to erase reviews past their retention date.", err=True)
        raise typer.Exit(2)
    settings = _settings()
    with Session(make_engine(settings), expire_on_commit=False) as session:
        erased = purge_expired(session, settings, dt.date.today())
        session.commit()
    typer.echo(f"Erased {len(erased)} expired review(s): {', '.join(map(str, erased)) or '-'}")


audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)
cli.add_typer(audit_cli, name="audit")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exit 1 and list the entries that were tampered with."""
    from app.audit import verify_chain
    from app.db import make_engine

    with Session(make_engine(_settings())) as session:
        broken = verify_chain(session)
    if broken:
        typer.echo(f"The audit log was changed: entries {', '.join(map(str, broken[:50]))} do not match.", err=True)
        raise typer.Exit(1)
    typer.echo("The audit log is intact.")


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def main() -> None:
    """Entry point of the console script."""
    cli()
