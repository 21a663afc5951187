"""Taking a person off the life-line: the events dated from their birth keep their last range or become
undated, as a new version each (the same choice as deleting an anchor event); audited; refused without a
choice; another review's person is 404."""

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from tests.timeline.events import add_event, events_url

EN = {"accept-language": "en"}


def _people(review_id: int, *rest: object) -> str:
    return f"/api/v1/reviews/{review_id}/lifeline/people" + "".join(f"/{p}" for p in rest)


def _sem_with_dependents(client: TestClient, review_id: int) -> tuple[int, dict[str, object], dict[str, object]]:
    sem = client.post(_people(review_id), json={"name": "Sem", "born": "2011"}).json()
    age = add_event(client, review_id, title="Logeren bij oma", when="toen Sem 7 was", people=["Sem"])
    school = add_event(client, review_id, title="Nieuwe juf", when="in groep 5", people=["Sem"], lane="school")
    assert age["anchor"]["id"] == school["anchor"]["id"] == sem["id"]
    return sem["id"], age, school


def test_removing_a_person_without_a_choice_names_the_dependents_and_changes_nothing(
    team, owner_api: TestClient
) -> None:
    sem, age, _school = _sem_with_dependents(owner_api, team.review_id)

    refused = owner_api.delete(_people(team.review_id, sem), headers=EN)

    assert refused.status_code == 409, refused.text
    assert "Logeren bij oma" in refused.json()["detail"] and "Nieuwe juf" in refused.json()["detail"]
    assert [p["name"] for p in owner_api.get(_people(team.review_id)).json()] == ["Sem"]
    assert owner_api.get(events_url(team.review_id, age["id"])).json() == age
    bad = owner_api.delete(_people(team.review_id, sem), params={"dependents": "forget"})
    assert bad.status_code == 422


def test_removing_a_person_dependents_keep_their_last_range(team, owner_api: TestClient, db: Session) -> None:
    sem, age, school = _sem_with_dependents(owner_api, team.review_id)

    removed = owner_api.delete(_people(team.review_id, sem), params={"dependents": "keep"}, headers=EN)

    assert removed.status_code == 204, removed.text
    assert owner_api.get(_people(team.review_id)).json() == []
    for before in (age, school):
        after = owner_api.get(events_url(team.review_id, before["id"])).json()
        assert (after["earliest"], after["latest"]) == (before["earliest"], before["latest"])
        assert after["anchor"] is None and after["version"] == 2 and after["people"] == ["Sem"]
        history = owner_api.get(events_url(team.review_id, before["id"], "history"), headers=EN).json()
        assert history[-1]["reason"] == "Kept the last range: “Sem” was deleted"
        assert history[0]["when"] == before["when"]
    actions = db.exec(
        select(AuditEntry.action).where(AuditEntry.review_id == team.review_id).order_by(col(AuditEntry.id))
    ).all()
    assert actions[-1] == "person.delete"


def test_removing_a_person_dependents_become_undated(team, owner_api: TestClient) -> None:
    sem, age, _school = _sem_with_dependents(owner_api, team.review_id)

    assert owner_api.delete(_people(team.review_id, sem), params={"dependents": "unanchor"}).status_code == 204

    after = owner_api.get(events_url(team.review_id, age["id"])).json()
    assert (after["undated"], after["when"], after["anchor"]) == (True, "toen Sem 7 was", None)
    # it can be dated again by someone who knows
    dated = owner_api.patch(events_url(team.review_id, age["id"]), json={"when": "2018", "version": after["version"]})
    assert dated.status_code == 200 and dated.json()["earliest"] == "2018-01-01"


def test_a_person_without_dependents_is_simply_removed_and_others_are_404(team, owner_api: TestClient) -> None:
    noor = owner_api.post(_people(team.review_id), json={"name": "Noor", "born": "2008"}).json()

    assert owner_api.delete(_people(team.review_id, noor["id"])).status_code == 204
    assert owner_api.delete(_people(team.review_id, noor["id"])).status_code == 404
    assert owner_api.delete(_people(team.review_id, 999_999)).status_code == 404
