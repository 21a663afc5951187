"""The life-line CSV import refuses what is too big before parsing it, and a form without a file gets a clear
answer (issue 11, items 2 and 15)."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import User
from tests.timeline.events import events_url


def _csv_url(review_id: int) -> str:
    return f"/api/v1/reviews/{review_id}/lifeline.csv"


def test_a_file_over_one_megabyte_is_refused_and_nothing_is_stored(team: Any, owner_api: TestClient) -> None:
    rows = "".join(f"Gebeurtenis {n},2014,{'x' * 300}\n" for n in range(3500))  # ~1.1 MB, under 5,000 rows
    response = owner_api.post(
        _csv_url(team.review_id), content=f"title,when,description\n{rows}", headers={"content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Het bestand is te groot (maximaal 1 MB)."
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_a_long_date_cell_is_refused_by_line_and_column(team: Any, owner_api: TestClient) -> None:
    text = "title,when\nNoor geboren,2008\nIets," + "- " * 10_000 + "\n"
    response = owner_api.post(_csv_url(team.review_id), content=text, headers={"content-type": "text/csv"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"line": 3, "message": "Regel 3: de kolom wanneer is te lang (hoogstens 100 tekens)."}
    ]
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_the_import_page_answers_a_form_without_a_file_clearly(
    team: Any, browser_as: Callable[[User], Any], owner_api: TestClient
) -> None:
    browser = browser_as(team.owner)
    browser.get(f"/reviews/{team.review_id}/lifeline")
    response = browser.post(f"/reviews/{team.review_id}/lifeline/import")  # a plain form: no file in it
    assert response.status_code == 422
    assert "Kies een CSV-bestand om te importeren." in response.text  # the browser speaks Dutch
    assert owner_api.get(events_url(team.review_id)).json() == []
