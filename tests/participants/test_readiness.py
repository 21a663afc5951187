"""The gate before the group interview: every selected participant must consent to it."""

from tests.world import Ids, World


def _readiness(world: World, review_id: int) -> dict[str, object]:
    response = world.api["reader"].get(f"/api/v1/reviews/{review_id}/readiness")
    assert response.status_code == 200
    return response.json()


def test_not_ready_without_participants(world: World, ids: Ids) -> None:
    world.api["owner"].delete(f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}")
    gate = _readiness(world, ids.review_id)
    assert gate["ready"] is False and gate["missing"] == []
    assert gate["message"] == "No participants have been selected yet."


def test_the_gate_names_who_lacks_consent_and_follows_withdrawals(world: World, ids: Ids) -> None:
    api, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/participants"
    assert _readiness(world, ids.review_id)["ready"] is True  # Moeder consented to the group interview

    father = api.post(base, json={"pseudonym": "Vader", "role_category": "parent"}).json()
    api.post(
        f"{base}/{father['id']}/consents", json={"scope": "interview", "given_on": "2024-01-01", "method": "written"}
    )
    gate = _readiness(world, ids.review_id)
    assert gate["ready"] is False
    assert gate["missing"] == [{"participant_id": father["id"], "pseudonym": "Vader", "scopes": ["group_interview"]}]
    assert "Vader" in gate["message"]

    given = api.post(
        f"{base}/{father['id']}/consents",
        json={"scope": "group_interview", "given_on": "2024-01-02", "method": "verbal"},
    )
    assert _readiness(world, ids.review_id) == {
        "ready": True,
        "missing": [],
        "message": "Everyone selected has consented to the group interview.",
    }

    api.post(f"{base}/{father['id']}/consents/{given.json()['id']}/withdraw", json={"withdrawn_on": "2024-02-01"})
    gate = _readiness(world, ids.review_id)
    assert gate["ready"] is False and [m["pseudonym"] for m in gate["missing"]] == ["Vader"]


def test_unselected_participants_do_not_block(world: World, ids: Ids) -> None:
    api, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/participants"
    api.post(base, json={"pseudonym": "Buurvrouw", "role_category": "family_network", "selected": False})
    assert _readiness(world, ids.review_id)["ready"] is True
