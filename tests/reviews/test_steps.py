"""The three-phase guide: steps done, skipped with a reason, reopened; who completed them and when."""

import datetime as dt

from tests.world import Ids, World


def _step(world: World, ids: Ids, key: str) -> dict[str, object]:
    steps = world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}/steps").json()
    return next(s for s in steps if s["key"] == key)


def test_steps_are_the_methods_checklist(world: World, ids: Ids) -> None:
    steps = world.api["reader"].get(f"/api/v1/reviews/{ids.review_id}/steps").json()
    assert [(s["phase"], s["key"]) for s in steps] == [
        (1, "case_selected"),
        (1, "participants_selected"),
        (1, "consent_recorded"),
        (1, "participants_prepared"),
        (2, "interviews_held"),
        (2, "lifeline_constructed"),
        (2, "file_study_done"),
        (3, "group_interview_held"),
        (3, "findings_tree_done"),
        (3, "share_back_held"),
        (3, "report_delivered"),
    ]
    assert all(s["status"] == "open" and s["explanation"] for s in steps)


def test_done_records_who_and_when_and_reopen_clears_it(world: World, ids: Ids) -> None:
    researcher = world.api["researcher"]
    url = f"/api/v1/reviews/{ids.review_id}/steps/case_selected"
    before = dt.datetime.now(dt.UTC)
    done = researcher.patch(url, json={"status": "done", "notes": "Criteria besproken", "due_on": "2024-03-01"})
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "done" and body["completed_by"] == world.users["researcher"].id
    assert body["completed_by_name"] == "Researcher"
    assert dt.datetime.fromisoformat(body["completed_at"]) >= before - dt.timedelta(seconds=1)
    review = world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").json()
    assert review["phases"][0]["done"] == 1 and review["next_step"] == "Participants selected"

    reopened = researcher.patch(url, json={"status": "open"}).json()
    assert reopened["status"] == "open" and reopened["completed_by"] is None and reopened["completed_at"] is None
    assert reopened["notes"] == "Criteria besproken"  # notes survive a reopen


def test_skipping_needs_a_reason(world: World, ids: Ids) -> None:
    url = f"/api/v1/reviews/{ids.review_id}/steps/file_study_done"
    refused = world.api["owner"].patch(url, json={"status": "skipped", "skip_reason": "  "})
    assert refused.status_code == 422 and refused.json()["detail"] == "Say why this step is skipped."
    assert _step(world, ids, "file_study_done")["status"] == "open"
    skipped = world.api["owner"].patch(url, json={"status": "skipped", "skip_reason": "Geen dossier beschikbaar"})
    assert skipped.json()["status"] == "skipped" and skipped.json()["skip_reason"] == "Geen dossier beschikbaar"
    assert skipped.json()["completed_by"] == world.users["owner"].id


def test_unknown_step_is_not_found(world: World, ids: Ids) -> None:
    assert world.api["owner"].patch(f"/api/v1/reviews/{ids.review_id}/steps/no_such_step", json={}).status_code == 404


def test_step_form_shows_the_skip_error(world: World, ids: Ids) -> None:
    response = world.pages["owner"].post(f"/reviews/{ids.review_id}/steps/case_selected", {"status": "skipped"})
    assert response.status_code == 422 and "Say why this step is skipped." in response.text
    assert _step(world, ids, "case_selected")["status"] == "open"
