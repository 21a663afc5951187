"""The fixed command-line interface: migrate, create-user, demo, backup, restore, purge, audit verify."""

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the CLI with a data directory of its own (the environment is how the CLI is configured)."""
    runner = CliRunner()

    def invoke(*args: str, data_dir: Path | None = None) -> object:
        monkeypatch.setenv("LEERREVIEW_DATA_DIR", str(data_dir or tmp_path / "data"))
        monkeypatch.delenv("LEERREVIEW_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        return runner.invoke(cli, list(args))

    yield invoke
    get_settings.cache_clear()


def test_commands_end_to_end(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("migrate").exit_code == 0
    created = run("create-user", "x@example.org", "--name", "X", "--password", "long enough pw")
    assert created.exit_code == 0, created.output
    demo = run("demo", "--if-empty")
    assert "onderzoeker.a@example.org" in demo.output
    assert "not loaded" in run("demo", "--if-empty").output
    assert run("audit", "verify").exit_code == 0
    archive = tmp_path / "b.tar.gz"
    assert run("backup", str(archive)).exit_code == 0
    restored = tmp_path / "restored"
    assert run("restore", str(archive), data_dir=restored).exit_code == 0
    again = run("restore", str(archive), data_dir=restored)
    assert again.exit_code == 1 and "--force" in again.output
    assert run("restore", str(archive), "--force", data_dir=restored).exit_code == 0
    assert run("purge").exit_code == 2
    assert run("purge", "--expired").exit_code == 0


def test_audit_verify_detects_tampering(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("migrate").exit_code == 0
    assert run("demo").exit_code == 0
    from app.db import make_engine

    engine = make_engine(get_settings())
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET action = 'login' WHERE id = 3"))
    engine.dispose()
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "3" in result.output
