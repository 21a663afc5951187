"""The JSON backup carries the people of the life-line and what each date was read against; the importer reads
every phrase again against the imported people and events, remaps the anchors and refuses anchors that point
outside the file or in a circle."""

import copy
from typing import Any

import pytest

from tests.reports.demo_case import Demo
from tests.world import row_counts

TALK = "Gezinsvoogd spreekt Noor voor het eerst alleen"
STAY = "Sem logeert vaak bij tante Ilse als het thuis onrustig is"


def export(demo: Demo) -> dict[str, Any]:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/export.json")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def life_line(demo: Demo, review_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """The events (by title: dates, range, undated, what they are dated from, by name) and the people."""
    events = demo.api.get(f"/api/v1/reviews/{review_id}/lifeline/events?include_deleted=true").json()
    people = demo.api.get(f"/api/v1/reviews/{review_id}/lifeline/people").json()
    shown = sorted(
        (
            e["title"],
            e["when"],
            e["until"],
            e["earliest"],
            e["latest"],
            e["undated"],
            e["edtf"],
            e["deleted"],
            (e["anchor"]["kind"], e["anchor"]["name"]) if e["anchor"] else None,
        )
        for e in events
    )
    return shown, [(p["name"], p["born"]) for p in people]


def imported(demo: Demo, data: dict[str, Any]) -> int:
    response = demo.api.post("/api/v1/reviews/import", json=data)
    assert response.status_code == 201, response.text
    review_id: int = response.json()["id"]
    return review_id


def test_a_restored_review_keeps_its_people_anchors_and_ranges(demo: Demo) -> None:
    data = export(demo)
    tables = data["tables"]
    assert [p["name"] for p in tables["lifeline_people"]] == ["Noor", "Sem"]
    assert {a["kind"] for a in tables["lifeline_anchors"]} == {"person", "event"}

    new_id = imported(demo, data)

    assert life_line(demo, new_id) == life_line(demo, demo.review_id)
    events = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{new_id}/lifeline/events").json()}
    people = {p["name"]: p["id"] for p in demo.api.get(f"/api/v1/reviews/{new_id}/lifeline/people").json()}
    # the anchors point inside the new review
    assert events[STAY]["anchor"]["id"] == people["Sem"]
    supervision = next(e for e in events.values() if e["title"].startswith("Ondertoezichtstelling"))
    assert events[TALK]["anchor"]["id"] == supervision["id"] and supervision["review_id"] == new_id


def test_a_restored_review_moves_dependents_like_the_original(demo: Demo) -> None:
    new_id = imported(demo, export(demo))
    people = {p["name"]: p["id"] for p in demo.api.get(f"/api/v1/reviews/{new_id}/lifeline/people").json()}

    moved = demo.api.patch(f"/api/v1/reviews/{new_id}/lifeline/people/{people['Sem']}", json={"born": "2012"})

    assert moved.status_code == 200, moved.text
    events = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{new_id}/lifeline/events").json()}
    assert events[STAY]["earliest"] == "2019-01-01" and events[STAY]["version"] == 2
    original = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{demo.review_id}/lifeline/events").json()}
    assert original[STAY]["earliest"] == "2018-01-01"  # the original review is untouched


def test_phrases_are_read_again_against_the_imported_people(demo: Demo) -> None:
    data = export(demo)
    sem = next(p for p in data["tables"]["lifeline_people"] if p["name"] == "Sem")
    sem["born_text"] = "2013"  # the ranges in the file are not trusted: the phrase is read again

    new_id = imported(demo, data)

    events = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{new_id}/lifeline/events").json()}
    assert (events[STAY]["earliest"], events[STAY]["latest"]) == ("2020-01-01", "2021-12-31")


def _anchor(data: dict[str, Any], title: str) -> dict[str, Any]:
    event_id = next(e["id"] for e in data["tables"]["lifeline_events"] if e["title"] == title)
    found: dict[str, Any] = next(a for a in data["tables"]["lifeline_anchors"] if a["event_id"] == event_id)
    return found


def _circle(data: dict[str, Any]) -> None:
    """The supervision order dated from the talk that is dated from it."""
    talk = _anchor(data, TALK)
    data["tables"]["lifeline_anchors"].append(
        {"event_id": talk["target_id"], "review_id": 1, "kind": "event", "target_id": talk["event_id"]}
    )


def _outside(data: dict[str, Any]) -> None:
    _anchor(data, STAY)["target_id"] = 999_999


def _another_kind(data: dict[str, Any]) -> None:
    _anchor(data, STAY)["kind"] = "review"


def _twice(data: dict[str, Any]) -> None:
    data["tables"]["lifeline_anchors"].append(dict(_anchor(data, STAY)))


def _bad_birth(data: dict[str, Any]) -> None:
    data["tables"]["lifeline_people"][0]["born_text"] = "blauw"


def _same_name(data: dict[str, Any]) -> None:
    data["tables"]["lifeline_people"][1]["name"] = data["tables"]["lifeline_people"][0]["name"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_circle, "in a circle"),
        (_outside, "refers to something that is not in it"),
        (_another_kind, "lifeline_anchors.kind"),
        (_twice, "lifeline_anchors.event_id"),
        (_bad_birth, "lifeline_people.born_text"),
        (_same_name, "lifeline_people"),
    ],
)
def test_damaged_people_or_anchors_are_refused_and_store_nothing(demo: Demo, damage: Any, message: str) -> None:
    data = copy.deepcopy(export(demo))
    damage(data)
    before = row_counts(demo.engine)

    response = demo.api.post("/api/v1/reviews/import", json=data)

    assert response.status_code == 422, response.text
    assert message in response.text
    after = row_counts(demo.engine)
    assert {k: v for k, v in after.items() if k != "auth_sessions"} == {
        k: v for k, v in before.items() if k != "auth_sessions"
    }


def test_a_participant_export_holds_the_life_line_person_of_their_name(demo: Demo) -> None:
    participants = demo.api.get(f"/api/v1/reviews/{demo.review_id}/participants").json()
    noor = next(p["id"] for p in participants if p["pseudonym"] == "Noor (15)")

    data = demo.api.get(f"/api/v1/reviews/{demo.review_id}/participants/{noor}/export.json").json()

    assert [(p["name"], p["born_text"]) for p in data["lifeline_people_named_as_them"]] == [("Noor", "2008")]
    assert TALK in {e["title"] for e in data["lifeline_events_naming_them"]}


def test_too_many_phrases_to_read_against_the_life_line_are_refused(demo: Demo) -> None:
    events = [
        {"id": n, "title": f"Logeren {n}", "when_text": "toen Sem 7 was", "people_json": '["Sem"]'} for n in range(501)
    ]
    data = {
        "format": "leerreview.review",
        "format_version": 1,
        "review": {"title": "Veel zinnen"},
        "tables": {"lifeline_people": [{"id": 1, "name": "Sem", "born_text": "2011"}], "lifeline_events": events},
    }

    response = demo.api.post("/api/v1/reviews/import", json=data)

    assert response.status_code == 422, response.text
    assert "too many dates read from people or events (at most 500)" in response.text


def test_an_anchor_renamed_or_deleted_before_the_export_comes_back_as_it_was(demo: Demo) -> None:
    data = export(demo)
    talk = _anchor(data, TALK)
    events = {e["id"]: e for e in data["tables"]["lifeline_events"]}
    events[talk["target_id"]]["title"] = "Gezinsvoogd aangesteld"  # renamed after the talk was dated from it
    renamed_id = imported(demo, data)
    shown = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{renamed_id}/lifeline/events").json()}
    assert shown[TALK]["anchor"]["name"] == "Gezinsvoogd aangesteld"
    assert shown[TALK]["earliest"] == "2021-10-01"

    data = export(demo)
    talk = _anchor(data, TALK)
    events = {e["id"]: e for e in data["tables"]["lifeline_events"]}
    events[talk["target_id"]]["deleted"] = True  # deleted, its dependent left undated
    events[talk["event_id"]]["edtf"] = ""
    talk["kind"] = talk["target_id"] = None
    undated_id = imported(demo, data)
    shown = {e["title"]: e for e in demo.api.get(f"/api/v1/reviews/{undated_id}/lifeline/events").json()}
    assert (shown[TALK]["undated"], shown[TALK]["when"], shown[TALK]["anchor"]) == (
        True,
        "vlak na de ondertoezichtstelling",
        None,
    )
