"""GET …/lifeline/parse (what a phrase will mean, read against the review's people and events; stores
nothing) and the people of the life-line."""

import pytest
from fastapi.testclient import TestClient

import app.timeline.service
import lifeline.phrases
from tests.timeline.events import add_event, events_url


def _url(review_id: int, name: str) -> str:
    return f"/api/v1/reviews/{review_id}/lifeline/{name}"


def test_a_plain_phrase_says_what_it_means(team, owner_api: TestClient) -> None:
    response = owner_api.get(_url(team.review_id, "parse"), params={"when": "Q4 2016"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "label": "Q4 2016",
        "meaning": "okt.–dec. 2016",
        "earliest": "2016-10-01",
        "latest": "2016-12-31",
        "edtf": "2016-10/2016-12",
        "undated": False,
        "anchor": None,
    }


def test_open_ended_and_undated_phrases_have_null_sides(team, owner_api: TestClient) -> None:
    before = owner_api.get(_url(team.review_id, "parse"), params={"when": "voor 2010"}).json()
    assert (before["earliest"], before["latest"], before["edtf"]) == (None, "2009-12-31", "../2009")
    unknown = owner_api.get(_url(team.review_id, "parse"), params={"when": "weet ik niet meer"}).json()
    assert (unknown["earliest"], unknown["latest"], unknown["undated"]) == (None, None, True)


def test_ages_and_school_stages_read_against_the_people(team, owner_api: TestClient) -> None:
    created = owner_api.post(_url(team.review_id, "people"), json={"name": "Sem", "born": "2010"})
    assert created.status_code == 201, created.text
    person = created.json()
    params = {"when": "in groep 5", "people": ["Sem"]}
    reading = owner_api.get(_url(team.review_id, "parse"), params=params, headers={"accept-language": "en"}).json()
    assert (reading["earliest"], reading["latest"]) == ("2018-08-01", "2020-07-31")
    assert reading["meaning"] == "Aug. 2018 – July 2020, derived from Sem's year of birth"
    assert reading["anchor"] == {"kind": "person", "id": person["id"], "name": "Sem"}

    moved = owner_api.patch(_url(team.review_id, f"people/{person['id']}"), json={"born": "2011"})
    assert moved.status_code == 200 and moved.json()["born_earliest"] == "2011-01-01"
    again = owner_api.get(_url(team.review_id, "parse"), params=params).json()
    assert again["earliest"] == "2019-08-01"
    assert [p["name"] for p in owner_api.get(_url(team.review_id, "people")).json()] == ["Sem"]


def test_anchored_on_an_event_and_several_matches_named(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing naar Utrecht", when="sept. 2015")
    reading = owner_api.get(_url(team.review_id, "parse"), params={"when": "een jaar na de verhuizing"}).json()
    assert (reading["earliest"], reading["latest"]) == ("2016-09-01", "2016-09-30")
    assert reading["anchor"] == {"kind": "event", "id": move["id"], "name": "Verhuizing naar Utrecht"}
    add_event(owner_api, team.review_id, title="Verhuizing naar Zeist", when="2018")
    response = owner_api.get(_url(team.review_id, "parse"), params={"when": "na de verhuizing"})
    assert response.status_code == 422
    assert "Verhuizing naar Zeist" in response.json()["detail"]
    assert "Verhuizing naar Utrecht" in response.json()["detail"]


def test_relative_phrases_need_a_reference_date(team, owner_api: TestClient) -> None:
    url = _url(team.review_id, "parse")
    refused = owner_api.get(url, params={"when": "vorige zomer"}, headers={"accept-language": "nl"})
    assert refused.status_code == 422 and "datum van het gesprek" in refused.json()["detail"]
    reading = owner_api.get(url, params={"when": "vorige zomer", "reference_date": "2020-03-10"}).json()
    assert (reading["earliest"], reading["latest"]) == ("2019-06-21", "2019-09-22")


def test_bad_input_is_refused_before_parsing_and_stores_nothing(
    team, owner_api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _url(team.review_id, "parse")
    reached: list[str] = []
    for module, name in ((lifeline.phrases, "interpret"), (app.timeline.service, "phrase_context")):
        spied = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _n=name, _f=spied, **k: reached.append(_n) or _f(*a, **k))
    long = owner_api.get(url, params={"when": "- " * 400})
    assert long.status_code == 422 and "te lang" in long.json()["detail"]
    assert reached == []  # refused by its length: neither the review's people and events nor the parser read
    monkeypatch.undo()
    assert owner_api.get(url, params={"when": "x" * 5_000}).status_code == 422  # over the query bound
    bad_person = owner_api.post(_url(team.review_id, "people"), json={"name": "Noor", "born": "ooit"})
    assert bad_person.status_code == 422 and bad_person.json()["errors"][0]["field"] == "born"
    twice = owner_api.post(_url(team.review_id, "people"), json={"name": "Sem", "born": ""})
    assert twice.status_code == 201
    assert owner_api.post(_url(team.review_id, "people"), json={"name": "sem", "born": ""}).status_code == 409
    assert owner_api.get(events_url(team.review_id)).json() == []
    assert [p["name"] for p in owner_api.get(_url(team.review_id, "people")).json()] == ["Sem"]
