"""The ``leerreview`` command: serve, migrate, demo, create-user."""

import getpass
import os
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
    with Session(engine, expire_on_commit=False) as session:
        try:
            user = create(session=session, email=email, name=name, password=password, language=language)
            session.commit()
        except DomainError as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(1) from exc
    typer.echo(f"Created user {user.email} (id {user.id}).")


@cli.command()
def demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Only when the database holds no reviews")] = False,
) -> None:
    """Load the demo case (gezin Bakker) with demo researcher accounts."""
    from app.db import make_engine
    from app.demo import DEMO_LOGINS, load_demo
    from app.models import Review

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
    )


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def main() -> None:
    """Entry point of the console script."""
    cli()
