"""Property: after any sequence of moves the tree stays a tree: no cycles, every node exactly once."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.findings.trees import add, empty_review, move, tree_of, walk
from tests.world import World

NODES = 7
Move = tuple[int, int | None, int]
moves = st.lists(
    st.tuples(
        st.integers(0, NODES - 1),
        st.one_of(st.none(), st.integers(0, NODES - 1)),
        st.integers(0, NODES),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=moves)
def test_random_moves_keep_a_tree(world: World, sequence: list[Move]) -> None:
    ids = empty_review(world, "Casus zetten")
    api, rid = world.api["owner"], ids.review_id
    nodes = [add(api, rid, f"N{i}", branch="success" if i < 5 else "hindering")["id"] for i in range(NODES)]
    for index, parent, position in sequence:
        node_id, parent_id = nodes[index], None if parent is None else nodes[parent]
        response = move(api, rid, node_id, parent_id, position)
        assert response.status_code in {200, 409}, response.text
        if parent_id == node_id:
            assert response.status_code == 409

    # the stored parent graph has no cycle
    with world.engine.connect() as connection:
        parents: dict[int, int | None] = dict(
            connection.execute(text("SELECT id, parent_id FROM finding_nodes WHERE review_id = :r"), {"r": rid}).all()
        )
    for start in parents:
        seen: set[int] = set()
        current: int | None = start
        while current is not None:
            assert current not in seen, f"cycle through {current}"
            seen.add(current)
            current = parents[current]
    # and the tree shows every node exactly once, under its stored parent, siblings in a 0..n-1 order
    shown = [(node["id"], parent) for node, parent in walk(tree_of(api, rid))][1:]
    assert Counter(node for node, _ in shown) == Counter(nodes)
    assert all(parents[node] == parent for node, parent in shown)
