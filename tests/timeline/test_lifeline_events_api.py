"""The fixed interface of the life-line events API: typed date text in, text + parsed range + version out."""

import pytest
from fastapi.testclient import TestClient

from tests.timeline.events import add_event, events_url

FIXED_FIELDS = {"id", "when", "until", "earliest", "latest", "precision", "version"}


@pytest.mark.parametrize(
    ("when", "until", "earliest", "latest", "precision", "is_period"),
    [
        ("voorjaar 2014", None, "2014-03-21", "2014-06-20", "season", False),
        ("2014–2017", None, "2014-01-01", "2017-12-31", "year", True),
        ("ca. 2006", None, "2005-01-01", "2007-12-31", "year", False),
        ("sinds 2022", None, "2022-01-01", None, "year", True),  # open end: no latest
        ("sept. 2021", None, "2021-09-01", "2021-09-30", "month", False),
        ("12-03-2019", None, "2019-03-12", "2019-03-12", "day", False),
        ("2018", "2020", "2018-01-01", "2020-12-31", "year", True),
    ],
)
def test_typed_date_text_is_answered_with_text_range_and_precision(
    team,
    owner_api: TestClient,
    when: str,
    until: str | None,
    earliest: str,
    latest: str,
    precision: str,
    is_period: bool,
) -> None:
    created = add_event(owner_api, team.review_id, title="Gebeurtenis", when=when, until=until, lane="care")
    assert created.keys() >= FIXED_FIELDS
    assert (created["when"], created["until"]) == (when, until)
    assert (created["earliest"], created["latest"], created["precision"]) == (earliest, latest, precision)
    assert created["is_period"] is is_period
    assert created["version"] == 1
    read = owner_api.get(events_url(team.review_id, created["id"])).json()
    assert {key: read[key] for key in FIXED_FIELDS} == {key: created[key] for key in FIXED_FIELDS}


def test_list_is_in_life_line_order_and_carries_the_fixed_fields(team, owner_api: TestClient) -> None:
    later = add_event(owner_api, team.review_id, title="Later", when="2020")
    vague = add_event(owner_api, team.review_id, title="Vaag", when="ca. 2006")
    period = add_event(owner_api, team.review_id, title="Periode", when="2014–2017", lane="care")
    listed = owner_api.get(events_url(team.review_id)).json()
    assert [e["id"] for e in listed] == [vague["id"], period["id"], later["id"]]
    assert all(e.keys() >= FIXED_FIELDS for e in listed)


def test_approximate_dates_say_so_and_format_in_the_readers_language(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, when="ca. 2006")
    assert event["approximate"] is True
    assert event["edtf"] == "2006~"
    english = owner_api.get(events_url(team.review_id, event["id"]), headers={"accept-language": "en"}).json()
    assert english["date_text"] == "approx. 2006"
    assert english["when"] == "ca. 2006"  # the typed text is kept as typed


def test_patch_changes_only_the_given_fields_and_bumps_the_version(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="OTS", when="sept. 2021", lane="safety", description="d")
    response = owner_api.patch(events_url(team.review_id, event["id"]), json={"when": "okt. 2021", "version": 1})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["version"] == 2
    assert (changed["when"], changed["earliest"], changed["latest"]) == ("okt. 2021", "2021-10-01", "2021-10-31")
    assert (changed["title"], changed["lane"], changed["description"]) == ("OTS", "safety", "d")


def test_patch_can_turn_a_period_back_into_a_moment(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, when="2018", until="2020")
    changed = owner_api.patch(events_url(team.review_id, event["id"]), json={"until": None, "version": 1}).json()
    assert (changed["until"], changed["is_period"], changed["latest"]) == (None, False, "2018-12-31")


def test_stale_version_answers_409_with_both_versions_and_changes_nothing(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Origineel", when="2016")
    first = owner_api.patch(events_url(team.review_id, event["id"]), json={"title": "Eerste", "version": 1})
    assert first.status_code == 200
    stale = owner_api.patch(events_url(team.review_id, event["id"]), json={"title": "Tweede", "version": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"]
    assert body["conflict"]["current"]["version"] == 2
    assert body["conflict"]["current"]["title"] == "Eerste"
    assert body["conflict"]["yours"] == {"version": 1, "title": "Tweede"}
    now = owner_api.get(events_url(team.review_id, event["id"])).json()
    assert (now["title"], now["version"]) == ("Eerste", 2)
    assert len(owner_api.get(events_url(team.review_id, event["id"], "history")).json()) == 2


def test_history_lists_every_version_with_who_when_and_its_fields(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="OTS", when="sept. 2021", lane="safety")
    owner_api.patch(events_url(team.review_id, event["id"]), json={"when": "okt. 2021", "version": 1})
    history = owner_api.get(events_url(team.review_id, event["id"], "history")).json()
    assert [h["version"] for h in history] == [1, 2]
    assert [h["when"] for h in history] == ["sept. 2021", "okt. 2021"]
    assert all(h["changed_by"] == team.owner.id and h["changed_at"] for h in history)
    assert all(h["title"] == "OTS" and h["lane"] == "safety" for h in history)


@pytest.mark.parametrize(
    "body",
    [
        {"when": "2014", "lane": "family"},  # no title
        {"title": "x", "when": "vorige zomer", "reference_date": "gisteren"},  # not a reference date
        {"title": "x", "when": "vorige zomer"},  # relative, but to no date
        {"title": "x", "when": "2014", "colour": "red"},  # unknown field
        {"title": "", "when": "2014"},
        {"title": "x", "when": "2014", "lane": "   "},
        {"title": "x", "when": "2014", "status": "maybe"},
    ],
)
def test_invalid_bodies_answer_422_and_store_nothing(team, owner_api: TestClient, body: dict[str, str]) -> None:
    response = owner_api.post(events_url(team.review_id), json=body)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert owner_api.get(events_url(team.review_id)).json() == []


def test_a_person_can_have_a_lane_of_their_own(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Noor naar de brugklas", when="2020", lane="Noor")
    assert event["lane"] == "Noor"
    assert event["lane_label"] == "Noor"
