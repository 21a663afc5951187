"""The findings page: the figure, the nested tree, write controls only for researchers, texts escaped."""

import json
import re

from tests.findings.trees import add
from tests.world import Ids, World

EVIL = "<script>alert(1)</script>"


def _json_block(html: str, element_id: str) -> object:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_owner_sees_figure_tree_and_editing_controls(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    main = add(api, rid, EVIL)
    child = add(api, rid, "Korte lijnen met school", parent_id=main["id"])
    page = world.pages["owner"].get(f"/reviews/{rid}/findings")
    assert page.status_code == 200
    html = page.text
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    figure = _json_block(html, "findings-figure")
    assert isinstance(figure, dict)
    assert any(main["id"] in (trace.get("customdata") or []) for trace in figure["data"])
    # the child is nested inside its parent's list item
    parent_item = html[html.index(f'id="node-{main["id"]}"') :]
    assert parent_item.index(f'id="node-{child["id"]}"') < parent_item.index("</li>")
    assert 'draggable="true"' in html and "merge-pick" in html
    assert f'href="/reviews/{rid}/findings" aria-current="page"' in html
    assert 'style="' not in html  # CSP: no inline styles


def test_reader_sees_everything_read_only(world: World, ids: Ids) -> None:
    add(world.api["owner"], ids.review_id, "Eén casemanager met mandaat")
    html = world.pages["reader"].get(f"/reviews/{ids.review_id}/findings").text
    assert "Eén casemanager met mandaat" in html
    assert 'draggable="true"' not in html and "merge-pick" not in html and 'data-action="add-top"' not in html
    assert _json_block(html, "findings-config") == {"review": ids.review_id, "canWrite": False}
    assert _json_block(html, "findings-options") == {}


def test_empty_tree_offers_the_proposal(world: World, ids: Ids) -> None:
    fresh = world.new_review("Lege boom")
    world.api["owner"].delete(f"/api/v1/reviews/{fresh.review_id}/findings-tree/nodes/{fresh.node_id}")
    world.api["owner"].delete(f"/api/v1/reviews/{fresh.review_id}/findings-tree/nodes/{fresh.other_node_id}")
    html = world.pages["owner"].get(f"/reviews/{fresh.review_id}/findings").text
    assert 'data-action="propose"' in html
    assert 'data-action="propose"' not in world.pages["reader"].get(f"/reviews/{fresh.review_id}/findings").text


def test_page_is_dutch_for_dutch_readers(world: World, ids: Ids) -> None:
    html = world.pages["owner"].get(f"/reviews/{ids.review_id}/findings", headers={"accept-language": "nl"}).text
    assert "Bevindingenboom" in html
