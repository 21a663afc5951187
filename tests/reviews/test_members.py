"""Members of a review: add, change role, remove; a review always keeps an owner."""

from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from tests.world import Ids, World


def _members(world: World, ids: Ids) -> dict[str, dict[str, object]]:
    rows = world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}/members").json()
    return {row["email"]: row for row in rows}


def test_add_change_and_remove_a_member(world: World, ids: Ids) -> None:
    owner, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/members"
    added = owner.post(base, json={"email": " OUTSIDER@example.org ", "role": "reader"})
    assert added.status_code == 201 and added.json()["role"] == "reader"
    outsider = world.api["outsider"]
    assert outsider.get(f"/api/v1/reviews/{ids.review_id}").json()["role"] == "reader"
    assert outsider.patch(f"/api/v1/reviews/{ids.review_id}", json={"title": "x"}).status_code == 403

    assert owner.patch(f"{base}/{added.json()['id']}", json={"role": "researcher"}).status_code == 204
    assert outsider.patch(f"/api/v1/reviews/{ids.review_id}", json={"collaboration": "x"}).status_code == 200

    assert owner.delete(f"{base}/{added.json()['id']}").status_code == 204
    assert outsider.get(f"/api/v1/reviews/{ids.review_id}").status_code == 404

    with Session(world.engine) as session:
        actions = session.exec(
            select(AuditEntry.action, AuditEntry.actor, AuditEntry.target)
            .where(AuditEntry.review_id == ids.review_id, col(AuditEntry.action).startswith("member."))
            .order_by(col(AuditEntry.id))
        ).all()
        session.commit()
    who = f"user:{world.users['outsider'].id}"
    owner_actor = f"user:{world.users['owner'].id}"
    assert actions == [
        ("member.add", owner_actor, who),
        ("member.role", owner_actor, who),
        ("member.remove", owner_actor, who),
    ]


def test_adding_twice_or_an_unknown_account_is_refused(world: World, ids: Ids) -> None:
    owner, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/members"
    twice = owner.post(base, json={"email": "reader@example.org", "role": "researcher"})
    assert twice.status_code == 409 and "already a member" in twice.json()["detail"]
    unknown = owner.post(base, json={"email": "nobody@example.org", "role": "reader"})
    assert unknown.status_code == 422 and unknown.json()["detail"] == "There is no account with this e-mail address."
    assert len(_members(world, ids)) == 3


def test_the_last_owner_cannot_be_removed_or_demoted(world: World, ids: Ids) -> None:
    owner, base = world.api["owner"], f"/api/v1/reviews/{ids.review_id}/members"
    own_id = _members(world, ids)["owner@example.org"]["id"]
    demote = owner.patch(f"{base}/{own_id}", json={"role": "reader"})
    assert demote.status_code == 409 and demote.json()["detail"] == "A review needs at least one owner."
    assert owner.delete(f"{base}/{own_id}").status_code == 409
    assert _members(world, ids)["owner@example.org"]["role"] == "owner"

    # With a second owner, the first may step down.
    researcher_id = _members(world, ids)["researcher@example.org"]["id"]
    assert owner.patch(f"{base}/{researcher_id}", json={"role": "owner"}).status_code == 204
    assert owner.patch(f"{base}/{own_id}", json={"role": "researcher"}).status_code == 204


def test_a_member_of_another_review_is_not_found(world: World, ids: Ids) -> None:
    other = world.new_review()
    response = world.api["owner"].delete(f"/api/v1/reviews/{ids.review_id}/members/{other.member_id}")
    assert response.status_code == 404
    assert "reader@example.org" in _members(world, other)


def test_member_pages_show_the_conflict(world: World, ids: Ids) -> None:
    browser = world.pages["owner"]
    response = browser.post(f"/reviews/{ids.review_id}/members", {"email": "reader@example.org", "role": "reader"})
    assert response.status_code == 422 and "already a member of this review" in response.text
