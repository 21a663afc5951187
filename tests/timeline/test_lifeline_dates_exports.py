"""CSV and JSON export with undated and open-ended events: every event is there, as said, and a JSON backup
comes back with the same ranges."""

import csv
import io

from fastapi.testclient import TestClient

from tests.timeline.events import add_event, events_url, lifeline_url


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_keeps_undated_and_open_ended_events(team, owner_api: TestClient) -> None:
    add_event(owner_api, team.review_id, title="Eerste zorgen", when="weet ik niet meer")
    add_event(owner_api, team.review_id, title="Bij oma", when="voor 2010")
    add_event(owner_api, team.review_id, title="Pleeggezin", when="sinds 2016")
    text = owner_api.get(lifeline_url(team.review_id, "lifeline.csv"), headers={"accept-language": "en"}).text
    rows = {row["title"]: row for row in _rows(text)}
    assert rows["Eerste zorgen"]["when"] == "weet ik niet meer" and rows["Eerste zorgen"]["until"] == ""
    assert rows["Bij oma"]["when"] == "until 2009"
    assert rows["Pleeggezin"]["when"] == "since 2016"


def test_json_backup_keeps_undated_and_open_ended_ranges(team, owner_api: TestClient) -> None:
    add_event(owner_api, team.review_id, title="Eerste zorgen", when="??")
    add_event(owner_api, team.review_id, title="Bij oma", when="voor 2010")
    backup = owner_api.get(f"/api/v1/reviews/{team.review_id}/export.json")
    assert backup.status_code == 200
    restored = owner_api.post("/api/v1/reviews/import", json=backup.json())
    assert restored.status_code == 201, restored.text
    new_id = restored.json()["review_id"] if "review_id" in restored.json() else restored.json()["id"]
    events = {e["title"]: e for e in owner_api.get(events_url(new_id)).json()}
    assert (events["Eerste zorgen"]["undated"], events["Eerste zorgen"]["earliest"]) == (True, None)
    assert (events["Bij oma"]["earliest"], events["Bij oma"]["latest"]) == (None, "2009-12-31")


def test_the_banner_lists_the_undated_events_beside_its_heading(team, owner_api: TestClient) -> None:
    add_event(owner_api, team.review_id, title="Eerste <zorgen>", when="weet ik niet meer")
    add_event(owner_api, team.review_id, title="Pleeggezin", when="sinds 2016")
    svg = owner_api.get(lifeline_url(team.review_id, "lifeline.svg"), headers={"accept-language": "nl"}).text
    assert "Nog niet gedateerd (1): Eerste &lt;zorgen&gt; (“weet ik niet meer”)" in svg
    assert "Pleeggezin" in svg
