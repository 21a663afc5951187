"""The findings tree through the API: the proposal, moving, cycles, merging and undo, conflicts, history."""

from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.interviews.models import Quote
from tests.findings.trees import add, move, node_by_title, seed_factors, titles, tree_of, walk
from tests.world import Ids, World

R = "/api/v1/reviews/{}"


def test_propose_orders_main_factors_by_stickers_and_backs_them(world: World, ids: Ids) -> None:
    seed_factors(
        world.engine,
        ids.review_id,
        {"Eén casemanager": 3, "Noor praat zelf": 7, "Budget binnen een week": 0, "Tempo van het gezin": 5},
        {"Drie gezinsvoogden": 4, "Informatie bereikte school niet": 6},
    )
    api = world.api["researcher"]
    response = api.post(R.format(ids.review_id) + "/findings-tree/propose")
    assert response.status_code == 201, response.text
    tree = response.json()
    assert titles(tree["root"]["children"]) == [
        "Noor praat zelf",
        "Tempo van het gezin",
        "Eén casemanager",
        "Budget binnen een week",
    ]
    assert [n["stickers"] for n in tree["root"]["children"]] == [7, 5, 3, 0]
    assert {n["kind"] for n in tree["root"]["children"]} == {"success_factor"}
    assert titles(tree["hindering"]) == ["Informatie bereikte school niet", "Drie gezinsvoogden"]
    top = tree["root"]["children"][0]
    assert {e["kind"] for e in top["evidence"]} == {"factor", "round"}
    # only once: a second proposal would overwrite the researchers' work
    assert api.post(R.format(ids.review_id) + "/findings-tree/propose").status_code == 409


def test_move_within_siblings_and_under_another_node(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    a, b, c = (add(api, rid, title) for title in ("A", "B", "C"))
    assert move(api, rid, c["id"], None, 0).status_code == 200
    assert titles(tree_of(api, rid)["root"]["children"]) == ["C", "A", "B"]
    assert move(api, rid, c["id"], None, 99).status_code == 200  # beyond the end: last
    assert titles(tree_of(api, rid)["root"]["children"]) == ["A", "B", "C"]

    moved = move(api, rid, b["id"], a["id"], 0)
    assert moved.status_code == 200
    assert moved.json()["parent_id"] == a["id"] and moved.json()["kind"] == "contributing"
    tree = tree_of(api, rid)
    assert titles(tree["root"]["children"]) == ["A", "C"]
    assert titles(node_by_title(tree, "A")["children"]) == ["B"]
    # back to the top of the branch: a main success factor again
    assert move(api, rid, b["id"], None, 1).json()["kind"] == "success_factor"
    assert titles(tree_of(api, rid)["root"]["children"]) == ["A", "B", "C"]


def test_a_node_never_becomes_its_own_ancestor(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    top = add(api, rid, "Top")
    middle = add(api, rid, "Middle", parent_id=top["id"])
    leaf = add(api, rid, "Leaf", parent_id=middle["id"])
    before = tree_of(api, rid)
    for target in (top, middle, leaf):
        response = move(api, rid, top["id"], target["id"], 0)
        assert response.status_code == 409, target
        assert response.json()["detail"]
    assert move(api, rid, middle["id"], leaf["id"], 0).status_code == 409
    assert tree_of(api, rid) == before


def test_moving_between_branches_changes_the_kind(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    hindering = add(api, rid, "Drie gezinsvoogden", branch="hindering")
    factor = add(api, rid, "Eén casemanager")
    under = move(api, rid, factor["id"], hindering["id"], 0).json()
    assert (under["branch"], under["kind"]) == ("hindering", "recommendation")


def test_merge_combines_stickers_and_evidence_and_undo_restores_exactly(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    factors = seed_factors(world.engine, rid, {"Casemanager bereikbaar": 3, "Casemanager goed te bereiken": 2}, {})
    first = add(api, rid, "Casemanager bereikbaar", factor_id=factors["Casemanager bereikbaar"])
    second = add(api, rid, "Casemanager goed te bereiken", factor_id=factors["Casemanager goed te bereiken"])
    child = add(api, rid, "Ook 's avonds", parent_id=second["id"])
    before = tree_of(api, rid)

    merged = api.post(R.format(rid) + f"/findings-tree/nodes/{first['id']}/merge", json={"node_ids": [second["id"]]})
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["stickers"] == 5
    assert body["merged"] == [second["id"]]
    assert sorted(e["ref_id"] for e in body["evidence"] if e["kind"] == "factor") == sorted(factors.values())
    assert titles(body["children"]) == ["Ook 's avonds"]
    assert titles(tree_of(api, rid)["root"]["children"]) == ["Casemanager bereikbaar"]
    history = api.get(R.format(rid) + f"/findings-tree/nodes/{second['id']}/history").json()
    assert [v["change"] for v in history] == ["create", "merge"]
    assert history[-1]["merged_into_id"] == first["id"]

    undone = api.post(R.format(rid) + f"/findings-tree/nodes/{second['id']}/unmerge")
    assert undone.status_code == 200, undone.text
    after = tree_of(api, rid)

    def shape(tree: dict) -> list:  # type: ignore[type-arg]
        return [
            (n["id"], parent, n["title"], n["stickers"], sorted((e["kind"], e["ref_id"]) for e in n["evidence"]))
            for n, parent in walk(tree)
        ]

    assert shape(after) == shape(before)
    assert node_by_title(after, "Ook 's avonds")["id"] == child["id"]
    changes = [v["change"] for v in api.get(R.format(rid) + f"/findings-tree/nodes/{second['id']}/history").json()]
    assert changes == ["create", "merge", "unmerge"]


def test_stale_version_answers_409_with_the_current_one(world: World, ids: Ids) -> None:
    rid = ids.review_id
    node = add(world.api["owner"], rid, "Eén casemanager")
    url = R.format(rid) + f"/findings-tree/nodes/{node['id']}"
    first = world.api["owner"].patch(url, json={"version": node["version"], "title": "Eén casemanager met mandaat"})
    assert first.status_code == 200 and first.json()["version"] == node["version"] + 1
    stale = world.api["researcher"].patch(url, json={"version": node["version"], "title": "Eén regisseur"})
    assert stale.status_code == 409
    current = stale.json()["conflict"]["current"]
    assert current == {
        "title": "Eén casemanager met mandaat",
        "explanation": "",
        "kind": "success_factor",
        "version": node["version"] + 1,
    }
    assert node_by_title(tree_of(world.api["owner"], rid), "Eén casemanager met mandaat")


def test_history_records_moves_and_merges(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    a, b = add(api, rid, "A"), add(api, rid, "B")
    move(api, rid, b["id"], a["id"], 0)
    history = api.get(R.format(rid) + f"/findings-tree/nodes/{b['id']}/history").json()
    assert [(v["change"], v["parent_id"]) for v in history] == [("create", None), ("move", a["id"])]
    assert history[-1]["changed_by_label"] == "Owner"
    with Session(world.engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.review_id == rid)).all()
    assert "finding.move" in actions


def test_deleting_a_node_takes_its_sub_factors_along_and_restore_brings_them_back(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    top = add(api, rid, "Top")
    add(api, rid, "Beneath", parent_id=top["id"])
    assert api.delete(R.format(rid) + f"/findings-tree/nodes/{top['id']}").status_code == 204
    assert [n["title"] for n, _ in walk(tree_of(api, rid))][1:] == []
    assert api.post(R.format(rid) + f"/findings-tree/nodes/{top['id']}/restore").status_code == 200
    assert [n["title"] for n, _ in walk(tree_of(api, rid))][1:] == ["Top", "Beneath"]


def test_restoring_a_node_whose_parent_is_still_deleted_lifts_it_to_the_nearest_ancestor_left(
    world: World, ids: Ids
) -> None:
    api, rid = world.api["owner"], ids.review_id
    nodes = R.format(rid) + "/findings-tree/nodes"
    top = add(api, rid, "Top")
    middle = add(api, rid, "Middle", parent_id=top["id"])
    leaf = add(api, rid, "Leaf", parent_id=middle["id"])
    assert api.delete(f"{nodes}/{leaf['id']}").status_code == 204
    assert api.delete(f"{nodes}/{middle['id']}").status_code == 204
    # Restoring the leaf alone: its parent stays deleted, the leaf appears under the nearest ancestor left.
    assert api.post(f"{nodes}/{leaf['id']}/restore").status_code == 200
    parents = {node["title"]: parent for node, parent in walk(tree_of(api, rid))}
    assert "Middle" not in parents and parents["Leaf"] == top["id"]
    # With the top deleted as well, a restored node goes to the top of its branch.
    assert api.delete(f"{nodes}/{leaf['id']}").status_code == 204
    assert api.delete(f"{nodes}/{top['id']}").status_code == 204
    assert api.post(f"{nodes}/{leaf['id']}/restore").status_code == 200
    parents = {node["title"]: parent for node, parent in walk(tree_of(api, rid))}
    assert set(parents) & {"Top", "Middle", "Leaf"} == {"Leaf"} and parents["Leaf"] in (None, 0)
    # The move is part of the node's history like any other change.
    history = api.get(f"{nodes}/{leaf['id']}/history")
    assert history.status_code == 200
    assert [v["parent_id"] for v in history.json()][-1] is None


def test_only_consented_quotes_back_a_node(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    node = add(api, rid, "Noor praat zelf")
    with Session(world.engine) as session:  # the participant of ``ids`` consents to the group interview only
        quote = Quote(
            review_id=rid, participant_id=ids.participant_id, text="Eindelijk vroeg iemand het.", speaker="Moeder"
        )
        session.add(quote)
        session.commit()
        quote_id = quote.id
    response = api.post(
        R.format(rid) + f"/findings-tree/nodes/{node['id']}/evidence", json={"kind": "quote", "ref_id": quote_id}
    )
    assert response.status_code == 422
    assert "consent" in response.json()["detail"]
