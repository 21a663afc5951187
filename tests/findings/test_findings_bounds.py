"""The findings tree stays bounded: at most ``MAX_DEPTH`` levels, whether a node is added, moved or merged, and
every walk up the tree ends even on a cycle the service never writes."""

from app.findings.models import FindingNode
from app.findings.service import MAX_DEPTH, ancestors
from tests.findings.trees import add, move
from tests.world import Ids, World


def chain(world: World, ids: Ids, levels: int) -> list[int]:
    api = world.api["owner"]
    made: list[int] = []
    for level in range(levels):
        node = add(api, ids.review_id, f"Niveau {level}", **({"parent_id": made[-1]} if made else {}))
        made.append(node["id"])
    return made


def test_a_node_below_the_deepest_level_is_refused(world: World, ids: Ids) -> None:
    made = chain(world, ids, MAX_DEPTH)
    api = world.api["owner"]

    response = api.post(
        f"/api/v1/reviews/{ids.review_id}/findings-tree/nodes", json={"title": "Te diep", "parent_id": made[-1]}
    )

    assert response.status_code == 422
    assert str(MAX_DEPTH) in response.json()["detail"]
    assert api.get(f"/reviews/{ids.review_id}/findings").status_code == 200


def test_moving_or_merging_a_subtree_below_the_deepest_level_is_refused(world: World, ids: Ids) -> None:
    made = chain(world, ids, MAX_DEPTH - 1)
    api = world.api["owner"]
    top = add(api, ids.review_id, "Los")
    below = add(api, ids.review_id, "Eronder", parent_id=top["id"])
    add(api, ids.review_id, "Daaronder", parent_id=below["id"])  # merged, these two come under the target

    assert move(api, ids.review_id, top["id"], made[-1], 0).status_code == 422
    merged = api.post(
        f"/api/v1/reviews/{ids.review_id}/findings-tree/nodes/{made[-1]}/merge", json={"node_ids": [top["id"]]}
    )
    assert merged.status_code == 422


def test_the_walk_up_ends_on_a_cycle() -> None:
    a = FindingNode(id=1, review_id=1, title="a", parent_id=2)
    b = FindingNode(id=2, review_id=1, title="b", parent_id=1)
    by_id: dict[int | None, FindingNode] = {1: a, 2: b}

    assert [n.id for n in ancestors(by_id, a)] == [2]
