"""Date text that is not a date: a 422 that says which formats work, in the user's language; nothing stored."""

import pytest
from fastapi.testclient import TestClient

from tests.timeline.events import add_event, events_url


@pytest.mark.parametrize(
    ("language", "says"),
    [("nl", "Bruikbaar zijn bijvoorbeeld"), ("en", "Formats that work")],
)
@pytest.mark.parametrize(("when", "until"), [("toen Noor klein was", None), ("2014", "ooit later")])
def test_bad_date_text_is_a_422_naming_the_formats_that_work(
    team, owner_api: TestClient, language: str, says: str, when: str, until: str | None
) -> None:
    response = owner_api.post(
        events_url(team.review_id),
        json={"title": "Iets", "when": when, "until": until, "lane": "family", "description": ""},
        headers={"accept-language": language},
    )
    assert response.status_code == 422
    body = response.json()
    assert says in body["detail"]
    assert "voorjaar 2014" in body["detail"] if language == "nl" else "spring 2014" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["until" if until else "when"]
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_a_period_that_ends_before_it_starts_is_refused(team, owner_api: TestClient) -> None:
    response = owner_api.post(
        events_url(team.review_id), json={"title": "Omgekeerd", "when": "2017", "until": "2014", "lane": "care"}
    )
    assert response.status_code == 422
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_a_bad_date_in_a_change_leaves_the_event_untouched(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Noor geboren", when="2008")
    url = events_url(team.review_id, event["id"])
    response = owner_api.patch(
        url, json={"title": "Sem geboren", "when": "morgen", "version": 1}, headers={"accept-language": "en"}
    )
    assert response.status_code == 422
    assert "Formats that work" in response.json()["detail"]
    now = owner_api.get(url).json()
    assert (now["title"], now["when"], now["version"]) == ("Noor geboren", "2008", 1)
    assert len(owner_api.get(f"{url}/history").json()) == 1
