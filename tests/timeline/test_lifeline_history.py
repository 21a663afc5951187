"""Every change of an event is a new version; earlier versions and deleted events can be restored."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.auth.models import User
from tests.timeline.events import add_event, events_url


def _history(client: TestClient, review_id: int, event_id: int) -> list[dict]:
    response = client.get(events_url(review_id, event_id, "history"))
    assert response.status_code == 200, response.text
    return response.json()


def test_every_change_is_a_new_version(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Psycholoog", when="2018", until="2020", lane="care")
    url = events_url(team.review_id, event["id"])
    for version, change in enumerate(
        [{"title": "Psycholoog voor Noor"}, {"status": "confirmed"}, {"description": "Via de huisarts"}], start=1
    ):
        response = owner_api.patch(url, json={**change, "version": version})
        assert response.status_code == 200, response.text
    history = _history(owner_api, team.review_id, event["id"])
    assert [h["version"] for h in history] == [1, 2, 3, 4]
    assert [h["change"] for h in history] == ["create", "update", "update", "update"]
    assert [h["title"] for h in history] == [
        "Psycholoog",
        "Psycholoog voor Noor",
        "Psycholoog voor Noor",
        "Psycholoog voor Noor",
    ]
    assert [h["status"] for h in history] == ["draft", "draft", "confirmed", "confirmed"]
    assert history[3]["description"] == "Via de huisarts" and history[2]["description"] == ""


def test_a_change_that_changes_nothing_makes_no_new_version(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Psycholoog", when="2018", until="2020", lane="care")
    url = events_url(team.review_id, event["id"])
    same = owner_api.patch(url, json={"title": "Psycholoog", "when": "2018", "until": "2020", "version": 1})
    assert same.status_code == 200
    assert same.json()["version"] == 1
    assert len(_history(owner_api, team.review_id, event["id"])) == 1


def test_restoring_an_earlier_version_makes_a_new_version_with_the_old_fields(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="OTS", when="sept. 2021", lane="safety")
    url = events_url(team.review_id, event["id"])
    owner_api.patch(url, json={"when": "okt. 2021", "title": "OTS (gecorrigeerd)", "until": "2023", "version": 1})
    response = owner_api.post(f"{url}/history/1/restore", json={"version": 2})
    assert response.status_code == 200, response.text
    restored = response.json()
    assert restored["version"] == 3
    assert (restored["title"], restored["when"], restored["until"]) == ("OTS", "sept. 2021", None)
    assert (restored["earliest"], restored["latest"]) == ("2021-09-01", "2021-09-30")
    history = _history(owner_api, team.review_id, event["id"])
    assert [(h["version"], h["when"], h["until"]) for h in history] == [
        (1, "sept. 2021", None),
        (2, "okt. 2021", "2023"),
        (3, "sept. 2021", None),
    ]


def test_restore_based_on_a_stale_version_is_a_conflict(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="A", when="2016")
    url = events_url(team.review_id, event["id"])
    owner_api.patch(url, json={"title": "B", "version": 1})
    owner_api.patch(url, json={"title": "C", "version": 2})
    response = owner_api.post(f"{url}/history/1/restore", json={"version": 2})
    assert response.status_code == 409
    assert owner_api.get(url).json()["title"] == "C"
    assert owner_api.post(f"{url}/history/9/restore", json={"version": 3}).status_code == 404


def test_delete_keeps_the_history_and_restore_brings_the_event_back(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Verhuizing", when="zomer 2017")
    url = events_url(team.review_id, event["id"])
    deleted = owner_api.delete(url)
    assert deleted.status_code == 200
    assert deleted.json()["deleted"] is True
    assert owner_api.get(events_url(team.review_id)).json() == []
    assert [e["id"] for e in owner_api.get(events_url(team.review_id), params={"include_deleted": True}).json()] == [
        event["id"]
    ]
    assert owner_api.patch(url, json={"title": "x", "version": 2}).status_code == 409  # restore first
    history = _history(owner_api, team.review_id, event["id"])
    assert [(h["change"], h["deleted"]) for h in history] == [("create", False), ("delete", True)]

    restored = owner_api.post(f"{url}/restore")
    assert restored.status_code == 200
    assert (restored.json()["deleted"], restored.json()["version"]) == (False, 3)
    assert [e["title"] for e in owner_api.get(events_url(team.review_id)).json()] == ["Verhuizing"]
    assert [h["change"] for h in _history(owner_api, team.review_id, event["id"])] == ["create", "delete", "restore"]


def test_restoring_a_version_of_a_deleted_event_brings_it_back(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Verhuizing", when="zomer 2017")
    url = events_url(team.review_id, event["id"])
    owner_api.delete(url)
    response = owner_api.post(f"{url}/history/1/restore", json={"version": 2})
    assert response.status_code == 200, response.text
    assert (response.json()["deleted"], response.json()["version"]) == (False, 3)
    assert [e["id"] for e in owner_api.get(events_url(team.review_id)).json()] == [event["id"]]


def test_a_stale_delete_is_refused(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="A", when="2016")
    url = events_url(team.review_id, event["id"])
    owner_api.patch(url, json={"title": "B", "version": 1})
    assert owner_api.delete(url, params={"version": 1}).status_code == 409
    assert owner_api.get(url).json()["deleted"] is False


def test_two_researchers_editing_the_same_event_do_not_overwrite_each_other(
    team, api_as: Callable[[User], TestClient]
) -> None:
    owner, researcher = api_as(team.owner), api_as(team.researcher)
    event = add_event(owner, team.review_id, title="Melding Veilig Thuis", when="2016", lane="safety")
    url = events_url(team.review_id, event["id"])
    # Both open version 1; the owner saves first.
    mine = owner.patch(url, json={"when": "voorjaar 2016", "version": 1})
    assert mine.status_code == 200
    theirs = researcher.patch(url, json={"when": "najaar 2016", "description": "na ruzie", "version": 1})
    assert theirs.status_code == 409
    conflict = theirs.json()["conflict"]
    assert conflict["current"]["when"] == "voorjaar 2016"
    assert conflict["yours"]["when"] == "najaar 2016"
    now = owner.get(url).json()
    assert (now["when"], now["description"], now["version"]) == ("voorjaar 2016", "", 2)
    history = _history(owner, team.review_id, event["id"])
    assert [(h["version"], h["changed_by"]) for h in history] == [(1, team.owner.id), (2, team.owner.id)]
    # Based on the version they were shown, the researcher's change goes through as version 3.
    retry = researcher.patch(url, json={"description": "na ruzie", "version": conflict["current"]["version"]})
    assert retry.status_code == 200
    assert [h["changed_by"] for h in _history(owner, team.review_id, event["id"])][-1] == team.researcher.id
