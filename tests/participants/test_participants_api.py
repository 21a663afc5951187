"""Participants: create, update, delete, and pseudonyms that stay unique within a review."""

from tests.world import Ids, World


def test_create_update_delete(world: World, ids: Ids) -> None:
    api, base = world.api["researcher"], f"/api/v1/reviews/{ids.review_id}/participants"
    created = api.post(
        base,
        json={
            "pseudonym": "Jeugdprofessional A",
            "role_category": "professional",
            "organisation": "Wijkteam Noord",
            "function": "Gezinscoach",
        },
    )
    assert created.status_code == 201
    participant = created.json()
    assert participant["selected"] is True and participant["prepared"] is False
    assert participant["consented_scopes"] == []

    changed = api.patch(f"{base}/{participant['id']}", json={"prepared": True, "contact": "via wijkteam"}).json()
    assert changed["prepared"] is True and changed["prepared_on"] is not None and changed["contact"] == "via wijkteam"
    assert changed["organisation"] == "Wijkteam Noord"

    assert api.delete(f"{base}/{participant['id']}").status_code == 204
    assert api.get(f"{base}/{participant['id']}").status_code == 404
    assert [p["pseudonym"] for p in api.get(base).json()] == ["Moeder"]


def test_pseudonyms_are_unique_within_a_review(world: World, ids: Ids) -> None:
    api, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/participants"
    duplicate = api.post(base, json={"pseudonym": "Moeder", "role_category": "parent"})
    assert duplicate.status_code == 409
    other = api.post(base, json={"pseudonym": "Vader", "role_category": "parent"}).json()
    renamed = api.patch(f"{base}/{other['id']}", json={"pseudonym": "Moeder"})
    assert renamed.status_code == 409
    assert sorted(p["pseudonym"] for p in api.get(base).json()) == ["Moeder", "Vader"]


def test_a_participant_of_another_review_is_not_found(world: World, ids: Ids) -> None:
    other = world.new_review()
    url = f"/api/v1/reviews/{ids.review_id}/participants/{other.participant_id}"
    assert world.api["owner"].get(url).status_code == 404
    assert world.api["owner"].delete(url).status_code == 404
    assert (
        world.api["owner"].get(f"/api/v1/reviews/{other.review_id}/participants/{other.participant_id}").status_code
        == 200
    )
