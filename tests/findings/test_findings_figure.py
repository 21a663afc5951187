"""The figure (plotly JSON), the one-page SVG and the PDF: node traces with ids, escaped text, one page."""

import io

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.findings import figure
from app.findings.schemas import NodeOut, TreeOut
from tests.findings.trees import add
from tests.pdf_tags import assert_tagged
from tests.world import Ids, World

R = "/api/v1/reviews/{}"
EVIL = '<script>alert("x")</script> & Co'


def _node(node_id: int, title: str, kind: str, children: list[NodeOut] | None = None, stickers: int = 0) -> NodeOut:
    return NodeOut(
        id=node_id,
        title=title,
        kind=kind,
        branch="success",
        explanation=EVIL,
        stickers=stickers,
        version=1,
        parent_id=None,
        factor_id=None,
        children=children or [],
    )


def _tree() -> TreeOut:
    mains = [
        _node(
            1, "Eén casemanager met mandaat", "success_factor", [_node(2, "Korte lijnen met school", "contributing")], 7
        ),
        _node(3, EVIL, "success_factor", stickers=2),
    ]
    return TreeOut(
        root=_node(0, "Noor woont sinds 2023 bij haar tante", "root", mains),
        hindering=[
            _node(4, "Drie gezinsvoogden", "hindering", [_node(5, "Eén vaste gezinsvoogd", "recommendation")], 9)
        ],
        what_works=[_node(6, "Eén plan", "what_works")],
    )


def test_figure_has_a_trace_per_kind_with_node_ids_and_sizes_by_stickers() -> None:
    data = figure.figure_dict(_tree(), "nl")["data"]
    by_name = {trace["name"]: trace for trace in data}
    assert by_name["Succesfactor"]["customdata"] == [1, 3]
    assert by_name["Bijdragende factor"]["customdata"] == [2]
    assert by_name["Belemmerende factor"]["customdata"] == [4]
    assert by_name["Aanbeveling"]["customdata"] == [5]
    assert by_name["Wat werkt"]["customdata"] == [6]
    sizes = dict(zip(by_name["Succesfactor"]["customdata"], by_name["Succesfactor"]["marker"]["size"], strict=True))
    assert sizes[1] > sizes[3]
    symbols = {trace["marker"]["symbol"] for trace in data}
    assert len(symbols) == len(data)  # colour is never the only cue
    assert all("<script>" not in text for trace in data for text in trace.get("hovertext", []))


def test_layout_is_a_tree_parents_left_of_children_and_between_them() -> None:
    placed = figure.layout_tree(_tree())
    for parent, child in placed.edges():
        assert child.x > parent.x
    for box in placed.boxes():
        if box.children:
            assert box.children[0].y <= box.y <= box.children[-1].y
    ys = sorted(box.y for box in placed.boxes() if box.is_leaf)
    assert len(ys) == len(set(ys))  # every leaf in a row of its own


def test_svg_escapes_text() -> None:
    svg = figure.tree_svg(_tree(), "en", title="gezin <b>Bakker</b>")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and 'width="400mm"' in svg


@pytest.mark.parametrize(("lang", "title"), [("nl", "Bevindingenboom — gezin Bakker"), ("en", "Findings tree")])
def test_tree_pdf_is_tagged_with_its_title_and_language(lang: str, title: str) -> None:
    pdf = figure.tree_pdf(_tree(), lang, title="gezin Bakker" if lang == "nl" else None)

    assert_tagged(pdf, lang=lang, title=title)


def test_endpoints_figure_svg_and_one_page_pdf_with_audit(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    main = add(api, rid, EVIL)
    add(api, rid, "Korte lijnen met school", parent_id=main["id"])
    fig = api.get(R.format(rid) + "/findings-tree/figure")
    assert fig.status_code == 200
    traces = [t for t in fig.json()["data"] if t.get("customdata")]
    assert {i for t in traces for i in t["customdata"]} >= {main["id"]}

    svg = api.get(R.format(rid) + "/findings-tree.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<script>" not in svg.text and "&lt;script&gt;" in svg.text

    pdf = api.get(R.format(rid) + "/findings-tree.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert round(float(box.width) / 72 * 25.4) == 420  # A3
    with Session(world.engine) as session:
        details = session.exec(
            select(AuditEntry.detail).where(AuditEntry.review_id == rid, AuditEntry.action == "export")
        ).all()
    assert {"findings-tree.svg", "findings-tree.pdf"} <= set(details)


def test_a_large_tree_still_prints_on_one_page(world: World, ids: Ids) -> None:
    api, rid = world.api["owner"], ids.review_id
    for i in range(12):
        main = add(api, rid, f"Succesfactor {i} met een vrij lange titel die over meerdere regels loopt")
        for j in range(4):
            add(api, rid, f"Onderliggende factor {i}.{j}", parent_id=main["id"])
    pdf = api.get(R.format(rid) + "/findings-tree.pdf")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
