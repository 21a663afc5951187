"""Common and trivial passwords are refused (zxcvbn's offline lists and patterns), in the user's language
(issue 11, item 14)."""

import pytest
from sqlmodel import Session, select

from app import i18n
from app.auth.models import User
from app.auth.service import create_user
from app.errors import InvalidInput


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "password123", "qwertyuiop", "1234567890", "welkom01welkom01", "jansen@example.org"],
)
def test_common_and_trivial_passwords_are_refused(db: Session, password: str) -> None:
    token = i18n.set_language("en")
    try:
        with pytest.raises(InvalidInput) as refused:
            create_user(session=db, email="jansen@example.org", name="Jansen", password=password)
    finally:
        i18n._current.reset(token)
    assert refused.value.message.startswith("This password is too easy to guess")
    assert db.exec(select(User).where(User.email == "jansen@example.org")).first() is None


def test_the_refusal_is_dutch_for_a_dutch_user(db: Session) -> None:
    token = i18n.set_language("nl")
    try:
        with pytest.raises(InvalidInput) as refused:
            create_user(session=db, email="a@example.org", name="A", password="aaaaaaaaaa")
    finally:
        i18n._current.reset(token)
    assert refused.value.message.startswith("Dit wachtwoord is te makkelijk te raden")


@pytest.mark.parametrize("password", ["correct horse battery", "demo-leerreview", "Zomer op de Veluwe 2024"])
def test_passphrases_are_accepted(db: Session, password: str) -> None:
    assert create_user(session=db, email="b@example.org", name="B", password=password).id is not None


def test_the_cli_says_why_a_password_is_refused(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from app.cli import cli
    from app.config import get_settings

    monkeypatch.setenv("LEERREVIEW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEERREVIEW_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["migrate"]).exit_code == 0
        refused = runner.invoke(cli, ["create-user", "x@example.org", "--password", "password123"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 1
    assert "te makkelijk te raden" in refused.output  # the command line speaks the service's default language
