"""Language: Accept-Language, the language switch (cookie and account preference), error pages in both languages.

Dutch texts come from ``app/locale/nl/*.po``. These are the Dutch strings this module expects.
"""

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import i18n
from app.auth.models import User
from tests.world import BASE_URL, csrf_of, form_client

EXPECTED_DUTCH = {
    "Log in": "Inloggen",
    "Not found": "Niet gevonden",
    "This field is required.": "Dit veld is verplicht.",
    "E-mail address or password is not correct.": "E-mailadres of wachtwoord klopt niet.",
}


@pytest.mark.parametrize(
    ("header", "language"), [("en", "en"), ("nl-NL,nl;q=0.9", "nl"), ("de, en;q=0.5", "en"), ("", "nl")]
)
def test_accept_language_picks_the_language(client: TestClient, header: str, language: str) -> None:
    response = client.get("/login", headers={"accept-language": header})
    assert response.headers["content-language"] == language
    assert f'<html lang="{language}">' in response.text


def test_english_texts(client: TestClient) -> None:
    page = client.get("/login", headers={"accept-language": "en"})
    assert "<title>Log in · leerreview</title>" in page.text
    missing = client.get("/nope", headers={"accept-language": "en"})
    assert missing.status_code == 404 and "Not found" in missing.text


@pytest.mark.parametrize("msgid", sorted(EXPECTED_DUTCH))
def test_dutch_texts(client: TestClient, msgid: str) -> None:
    assert i18n.catalog("nl").get(msgid) == EXPECTED_DUTCH[msgid]
    nl = {"accept-language": "nl"}
    if msgid == "Log in":
        assert f"<title>{EXPECTED_DUTCH[msgid]} · leerreview</title>" in client.get("/login", headers=nl).text
    elif msgid == "Not found":
        assert EXPECTED_DUTCH[msgid] in client.get("/nope", headers=nl).text
    elif msgid == "This field is required.":
        response = client.post("/api/v1/auth/token", data={"username": "a@example.org"}, headers=nl)
        assert response.json()["errors"][0]["message"] == EXPECTED_DUTCH[msgid]
    else:
        response = client.post("/api/v1/auth/token", data={"username": "a@example.org", "password": "x"}, headers=nl)
        assert response.json()["detail"] == EXPECTED_DUTCH[msgid]


def test_error_pages_in_both_languages(client: TestClient) -> None:
    for language in ("nl", "en"):
        response = client.get("/nope", headers={"accept-language": language})
        assert response.status_code == 404
        assert response.headers["content-language"] == language and f'<html lang="{language}">' in response.text
        api = client.get("/api/v1/reviews/1", headers={"accept-language": language})
        assert api.headers["content-language"] == language


def test_the_switch_sets_a_cookie_and_the_account_preference(
    app: FastAPI, make_user: Callable[..., User], db: Session
) -> None:
    user = make_user()
    browser = form_client(app, user.email)
    response = browser.post("/language", {"language": "en", "next": "/reviews/new"}, headers={"accept-language": "nl"})
    assert response.status_code == 303 and response.headers["location"] == "/reviews/new"
    assert "leerreview-lang=en" in response.headers["set-cookie"]
    page = browser.get("/reviews/new", headers={"accept-language": "nl"})
    assert page.headers["content-language"] == "en"  # the cookie wins over Accept-Language
    db.refresh(user)
    assert user.language == "en"
    db.commit()

    # The preference travels with the account: a fresh browser gets it at login.
    with TestClient(app, base_url=BASE_URL, headers={"accept-language": "nl"}) as other:
        token = csrf_of(other.get("/login").text)
        login = other.post(
            "/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token}
        )
        assert login.headers["content-language"] == "en"
    browser.client.close()


def test_anonymous_switch_only_sets_the_cookie(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/language", data={"language": "en", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/login", headers={"accept-language": "nl"}).headers["content-language"] == "en"
