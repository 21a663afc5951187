"""The interview pages: flagged quotes, the notes form without scripts (with conflicts), read-only for readers,
and the demo case's interviews and documents."""

import re
from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import User
from app.demo import load_demo
from app.documents.models import Document, DocumentFinding
from app.interviews.models import Interview
from app.interviews.service import exportable_quotes, list_quotes
from app.participants.models import ConsentScope
from app.timeline.models import LifelineEvent
from lifeline.demo_case import SUPERVISION_ORDER
from tests.interviews.things import add_participant, make_things


def _version(html: str, key: str) -> str:
    found = re.search(rf'name="version-{key}" value="(\d+)"', html)
    assert found
    return found.group(1)


def test_a_quote_without_consent_is_flagged_on_every_page(
    team: Any, app: FastAPI, browser_as: Callable[[User], Any]
) -> None:
    engine = app.state.engine
    father = add_participant(engine, team.review_id, "Vader (Erik)", "Vader", (ConsentScope.interview,))
    things = make_things(engine, team.review_id, father, team.owner)
    browser = browser_as(team.reader)
    for url in (f"/reviews/{team.review_id}/interviews", f"/reviews/{team.review_id}/interviews/{things.interview_id}"):
        page = browser.get(url)
        assert page.status_code == 200
        assert "Iedereen begon steeds weer opnieuw." in page.text
        assert "badge-danger" in page.text and "is-flagged" in page.text


def test_the_notes_form_saves_without_scripts_and_shows_conflicts(
    team: Any, app: FastAPI, browser_as: Callable[[User], Any], api_as: Callable[[User], TestClient]
) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    things = make_things(app.state.engine, team.review_id, noor, team.owner)
    url = f"/reviews/{team.review_id}/interviews/{things.interview_id}"
    browser = browser_as(team.researcher)
    page = browser.get(url)
    assert 'name="csrf-token"' in page.text and "js/interviews.js" in page.text
    version = _version(page.text, "successes")
    saved = browser.post(f"{url}/notes", {"notes-successes": "Weer naar school.", "version-successes": version})
    assert saved.status_code == 303

    # Meanwhile someone else saves the same topic through the API.
    api = api_as(team.owner)
    api_url = f"/api/v1/reviews/{team.review_id}/interviews/{things.interview_id}/notes/successes"
    assert api.patch(api_url, json={"text": "Weer elke dag naar school.", "version": 1}).status_code == 200

    stale = browser.post(f"{url}/notes", {"notes-successes": "Naar school, soms.", "version-successes": "1"})
    assert stale.status_code == 409
    assert "Weer elke dag naar school." in stale.text  # theirs, shown for comparison
    assert "Naar school, soms." in stale.text  # mine, kept in the field
    assert (
        api.get(f"/api/v1/reviews/{team.review_id}/interviews/{things.interview_id}").json()["topics"][4]["notes"]
        == "Weer elke dag naar school."
    )


def test_readers_see_the_notes_read_only(team: Any, app: FastAPI, browser_as: Callable[[User], Any]) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    things = make_things(app.state.engine, team.review_id, noor, team.owner)
    page = browser_as(team.reader).get(f"/reviews/{team.review_id}/interviews/{things.interview_id}")
    assert page.status_code == 200
    assert "readonly" in page.text and "Noor geboren in 2008." in page.text
    assert "data-selection-bar" not in page.text and "js/interviews.js" not in page.text


def test_the_demo_has_two_interviews_three_quotes_and_two_documents(app: FastAPI, db: Session) -> None:
    review = load_demo(session=db)
    db.commit()
    review_id = review.id or 0
    interviews = db.exec(select(Interview).where(Interview.review_id == review_id)).all()
    assert len(interviews) == 2
    quotes = list_quotes(session=db, review_id=review_id)
    assert {(q.speaker, q.text) for q in quotes} == {
        ("Moeder", "Iedereen begon steeds weer opnieuw."),
        ("Jongere", "Eindelijk vroeg iemand wat ík wilde."),
        ("Hulpverlener", "Door het overleg op school wisten we binnen een dag wat er speelde."),
    }
    assert len(exportable_quotes(session=db, review_id=review_id)) == 3
    documents = db.exec(select(Document).where(Document.review_id == review_id)).all()
    assert len(documents) == 2
    order = db.exec(select(LifelineEvent).where(LifelineEvent.title == SUPERVISION_ORDER)).one()
    finding = db.exec(select(DocumentFinding).where(DocumentFinding.event_id == order.id)).one()
    assert (finding.kind, finding.event_version, order.version) == ("confirm", 1, 2)


def _note_form(html: str, action: str) -> Any:
    """The folded ``<details>`` on the interviews page that holds the form POSTed to ``action``."""
    found = lxml.html.fromstring(html).xpath(f'//details[.//form[@action="{action}"]]')
    assert len(found) == 1, action
    return found[0]


@pytest.mark.parametrize(
    ("path", "other", "fields", "message"),
    [
        ("quotes", "candidate-factors", {"participant_id": "Noor", "text": "Eindelijk."}, "geheel getal"),
        ("candidate-factors", "quotes", {"kind": "maybe", "title": "Korte lijnen"}, "Kies een van"),
    ],
)
def test_a_note_form_with_an_error_in_any_field_is_shown_open_with_its_message(
    team: Any,
    app: FastAPI,
    browser_as: Callable[[User], Any],
    path: str,
    other: str,
    fields: dict[str, str],
    message: str,
) -> None:
    """A bad speaker or kind (not only a bad text) opens the folded quote or candidate-factor form, so the alert
    inside it is seen (the user reads Dutch), with the text as it was typed; the other note form stays folded."""
    add_participant(app.state.engine, team.review_id, "Noor", "Jongere", (ConsentScope.quotes,))
    browser = browser_as(team.researcher)
    base = f"/reviews/{team.review_id}"
    page = browser.get(f"{base}/interviews").text
    assert _note_form(page, f"{base}/{path}").get("open") is None

    response = browser.post(f"{base}/{path}", fields)

    assert response.status_code == 422
    details = _note_form(response.text, f"{base}/{path}")
    assert details.get("open") is not None
    alerts = details.find_class("alert-error")
    assert len(alerts) == 1 and message in alerts[0].text_content()
    assert _note_form(response.text, f"{base}/{other}").get("open") is None
    typed = fields.get("text") or fields["title"]
    assert [area.text for area in details.iter("textarea")] == [typed]  # what was typed is not lost
    assert [area.text for area in _note_form(response.text, f"{base}/{other}").iter("textarea")] == [None]
