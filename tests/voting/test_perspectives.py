"""Perspectives: a round created with ``perspectives: true`` also counts per side (family vs professionals), each
side only with at least 3 voters in that round, so nobody's stickers can be inferred."""

from sqlmodel import Session

from app.participants.models import Participant, RoleCategory
from app.voting.models import Sticker
from tests.world import World


def _voter(world: World, review_id: int, category: RoleCategory) -> int:
    with Session(world.engine) as session:
        person = Participant(review_id=review_id, pseudonym=f"{category} stem", role_category=category)
        session.add(person)
        session.commit()
        return person.id or 0


def _sticker(world: World, review_id: int, round_id: int, factor_id: int, participant_id: int) -> None:
    with Session(world.engine) as session:
        session.add(Sticker(review_id=review_id, round_id=round_id, factor_id=factor_id, participant_id=participant_id))
        session.commit()


def test_a_side_is_shown_only_with_three_voters(world: World) -> None:
    ids = world.new_review(group_interview=True)
    api = world.api["owner"]
    base = f"/api/v1/reviews/{ids.review_id}/rounds"
    created = api.post(base, json={"kind": "success", "perspectives": True})
    assert created.status_code == 201 and created.json()["perspectives"] is True
    round_id = created.json()["id"]
    family = [_voter(world, ids.review_id, c) for c in (RoleCategory.parent, RoleCategory.child)]
    professionals = [_voter(world, ids.review_id, RoleCategory.professional) for _ in range(3)]
    for person in family:
        _sticker(world, ids.review_id, round_id, ids.factor_id, person)
    for person in professionals:
        _sticker(world, ids.review_id, round_id, ids.other_factor_id, person)
    _sticker(world, ids.review_id, round_id, ids.factor_id, professionals[0])

    two = {r["factor_id"]: r for r in api.get(f"{base}/{round_id}/perspectives").json()}
    assert two[ids.factor_id] == {"factor_id": ids.factor_id, "family": None, "professional": 1}
    assert two[ids.other_factor_id] == {"factor_id": ids.other_factor_id, "family": None, "professional": 3}

    third = _voter(world, ids.review_id, RoleCategory.family_network)
    _sticker(world, ids.review_id, round_id, ids.other_factor_id, third)
    three = {r["factor_id"]: r for r in world.api["reader"].get(f"{base}/{round_id}/perspectives").json()}
    assert three[ids.factor_id] == {"factor_id": ids.factor_id, "family": 2, "professional": 1}
    assert three[ids.other_factor_id] == {"factor_id": ids.other_factor_id, "family": 1, "professional": 3}


def test_a_round_without_perspectives_has_none(world: World) -> None:
    ids = world.new_review(group_interview=True)
    plain = world.api["owner"].post(f"/api/v1/reviews/{ids.review_id}/rounds", json={"kind": "hindering"}).json()
    assert plain["perspectives"] is False
    response = world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}/rounds/{plain['id']}/perspectives")
    assert response.status_code == 409 and response.json()["detail"]
    assert (
        world.api["outsider"].get(f"/api/v1/reviews/{ids.review_id}/rounds/{ids.round_id}/perspectives").status_code
        == 404
    )
