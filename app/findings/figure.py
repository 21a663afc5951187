"""The findings tree (bevindingenboom) drawn: an interactive plotly node-link tree and a one-page print (SVG, PDF).

Pure drawing: takes the tree as the API answers it (``TreeOut``) and a language, touches no database. Colours are
Okabe–Ito (safe for colour-blind readers) and every kind also has its own marker shape.
"""

import html
import json
import math
from typing import Any, Final

from markupsafe import Markup

from app.findings._tree_layout import LEAF_WRAP, LINE_PX, Box, Layout, place, wrap
from app.findings.schemas import NodeOut, TreeOut
from lifeline.banner import self_contained_pdf
from lifeline.text import escape, quoteattr

FONT: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif"
LABEL_PX: Final = 13
EDGE_COLOUR: Final = "#aab6b9"
INK: Final = "#1c2a30"
MUTED: Final = "#5c6b71"  # the pages' muted grey (WCAG AA on white and the page background)

# kind: (colour, plotly symbol, dark text inside the marker)
STYLE: Final[dict[str, tuple[str, str, bool]]] = {
    "root": ("#000000", "star", False),
    "success_factor": ("#009E73", "circle", False),
    "contributing": ("#56B4E9", "diamond", True),
    "hindering": ("#D55E00", "square", False),
    "recommendation": ("#E69F00", "triangle-up", True),
    "what_works": ("#CC79A7", "hexagon", False),
    "group": ("#999999", "circle-open", False),
}
KINDS: Final = ("root", "success_factor", "contributing", "hindering", "recommendation", "what_works")

_WORDS: Final[dict[str, dict[str, str]]] = {
    "nl": {
        "title": "Bevindingenboom",
        "root": "Het succes",
        "success_factor": "Succesfactor",
        "contributing": "Bijdragende factor",
        "hindering": "Belemmerende factor",
        "recommendation": "Aanbeveling",
        "what_works": "Wat werkt",
        "hindering_group": "Belemmerende factoren en aanbevelingen",
        "what_works_group": "Integrale jeugdhulp: wat werkt?",
        "stickers": "stickers",
        "sticker": "sticker",
        "evidence": "onderbouwing",
        "themes": "Thema's",
        "empty": "De boom is nog leeg.",
        "legend_size": "Grootte = aantal stickers",
    },
    "en": {
        "title": "Findings tree",
        "root": "The success",
        "success_factor": "Success factor",
        "contributing": "Contributing factor",
        "hindering": "Hindering factor",
        "recommendation": "Recommendation",
        "what_works": "What works",
        "hindering_group": "Hindering factors and recommendations",
        "what_works_group": "Integrated youth care: what works?",
        "stickers": "stickers",
        "sticker": "sticker",
        "evidence": "evidence",
        "themes": "Themes",
        "empty": "The tree is still empty.",
        "legend_size": "Size = number of stickers",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang.lower().startswith("en") else "nl"]


def marker_size(kind: str, stickers: int) -> float:
    """The marker's diameter in pixels: larger with more stickers."""
    if kind == "root":
        return 30.0
    if kind == "group":
        return 12.0
    return 15.0 + 5.0 * math.sqrt(max(0, stickers))


def _hover(node: NodeOut, words: dict[str, str]) -> str:
    parts = [f"<b>{html.escape(node.title)}</b>", html.escape(words.get(node.kind, node.kind))]
    if node.stickers:
        parts[-1] += f" · {node.stickers} {words['sticker' if node.stickers == 1 else 'stickers']}"
    if node.explanation:
        parts.extend(html.escape(line) for line in wrap(node.explanation, 60, 8))
    if node.evidence:
        parts.append(f"{len(node.evidence)}× {words['evidence']}")
    if node.themes:
        parts.append(f"{words['themes']}: " + html.escape(", ".join(t.title for t in node.themes[:4])))
    return "<br>".join(parts)


def _box(node: NodeOut, words: dict[str, str]) -> Box:
    return Box(
        key=f"n{node.id}",
        kind=node.kind,
        title=node.title,
        size=marker_size(node.kind, node.stickers),
        node_id=node.id or None,
        stickers=node.stickers,
        hover=_hover(node, words),
        children=[_box(child, words) for child in node.children],
    )


def layout_tree(tree: TreeOut, lang: str = "nl") -> Layout:
    """Place the success tree, then the hindering factors with their recommendations, then what works."""
    words = _words(lang)
    root = _box(tree.root, words)
    root.hover = f"<b>{html.escape(words['root'])}</b><br>" + "<br>".join(
        html.escape(line) for line in wrap(tree.root.title, 60, 8)
    )
    trees = [root]
    for key, nodes in (("hindering_group", tree.hindering), ("what_works_group", tree.what_works)):
        if nodes:
            group = Box(key=key, kind="group", title=words[key], size=marker_size("group", 0))
            group.children = [_box(node, words) for node in nodes]
            trees.append(group)
    return place(trees)


def _label_lines(box: Box) -> list[str]:
    return box.lines or wrap(box.title, LEAF_WRAP)


# --- plotly ------------------------------------------------------------------------------------------------


def _edge_path(parent: Box, child: Box) -> str:
    middle = (parent.x + child.x) / 2
    start, end = f"{parent.x:.1f},{parent.y:.1f}", f"{child.x:.1f},{child.y:.1f}"
    return f"M {start} C {middle:.1f},{parent.y:.1f} {middle:.1f},{child.y:.1f} {end}"


def _annotation(box: Box) -> dict[str, Any]:
    text = "<br>".join(html.escape(line) for line in _label_lines(box))
    strong = box.kind in ("root", "group", "success_factor", "hindering")
    common: dict[str, Any] = {
        "text": f"<b>{text}</b>" if strong else text,
        "showarrow": False,
        "font": {"size": LABEL_PX + (1 if box.kind == "root" else 0), "family": FONT, "color": INK},
        "bgcolor": "rgba(255,255,255,0.88)",
        "borderpad": 1,
        "xref": "x",
        "yref": "y",
        "x": box.x,
        "y": box.y,
    }
    if box.is_leaf and box.kind != "root":
        return common | {"xanchor": "left", "yanchor": "middle", "align": "left", "xshift": box.size / 2 + 6}
    return common | {"xanchor": "center", "yanchor": "bottom", "align": "center", "yshift": box.size / 2 + 4}


def figure_dict(tree: TreeOut, lang: str = "nl") -> dict[str, Any]:
    """The tree as a plotly figure (``data`` and ``layout``): one marker trace per kind with the node id as
    ``customdata``, links as curved shapes, wrapped labels as annotations."""
    words = _words(lang)
    placed = layout_tree(tree, lang)
    boxes = list(placed.boxes())
    data: list[dict[str, Any]] = []
    for kind in (*KINDS, "group"):
        chosen = [b for b in boxes if b.kind == kind]
        if not chosen and kind in ("root", "group"):
            continue
        colour, symbol, dark_text = STYLE[kind]
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "markers+text",
            "name": words.get(kind, kind),
            "x": [b.x for b in chosen] or [None],
            "y": [b.y for b in chosen] or [None],
            "text": [str(b.stickers) if b.stickers else "" for b in chosen],
            "textposition": "middle center",
            "textfont": {"size": 11, "family": FONT, "color": INK if dark_text else "#ffffff"},
            "marker": {
                "color": colour,
                "symbol": symbol,
                "size": [b.size for b in chosen] or [15],
                "opacity": 1,  # plotly dims markers with an array of sizes (bubbles) to 0.7 otherwise
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "cliponaxis": False,
            "showlegend": kind != "group",
        }
        if kind == "group":
            trace["hoverinfo"] = "skip"
            trace["marker"]["line"] = {"color": colour, "width": 2}
        else:
            trace["customdata"] = [b.node_id if b.kind != "root" else 0 for b in chosen]
            trace["hovertext"] = [b.hover for b in chosen]
            trace["hovertemplate"] = "%{hovertext}<extra></extra>"
        data.append(trace)
    shapes: list[dict[str, Any]] = [
        {
            "type": "path",
            "path": _edge_path(parent, child),
            "line": {"color": EDGE_COLOUR, "width": 1.6},
            "layer": "below",
            "xref": "x",
            "yref": "y",
        }
        for parent, child in placed.edges()
    ]
    shapes.extend(
        {
            "type": "line",
            "x0": 0,
            "x1": placed.width,
            "y0": y,
            "y1": y,
            "line": {"color": "#dde3e4", "width": 1, "dash": "dot"},
            "layer": "below",
            "xref": "x",
            "yref": "y",
        }
        for y in placed.separators
    )
    annotations = [_annotation(b) for b in boxes]
    if not tree.root.children and not tree.hindering and not tree.what_works:
        annotations.append(
            {
                "text": html.escape(words["empty"]),
                "showarrow": False,
                "x": placed.trees[0].x + 40,
                "y": placed.trees[0].y,
                "xanchor": "left",
                "xref": "x",
                "yref": "y",
                "font": {"size": 14, "family": FONT, "color": MUTED},
            }
        )
    height = placed.height + 70
    layout: dict[str, Any] = {
        "height": max(260, round(height)),
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "font": {"family": FONT, "size": LABEL_PX, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {"range": [0, placed.width], "visible": False, "fixedrange": True},
        "yaxis": {"range": [placed.height + 10, 0], "visible": False, "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1,
            "yanchor": "bottom",
            "yref": "container",
            "font": {"size": 12},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "hovermode": "closest",
        "hoverlabel": {"font": {"size": 14, "family": FONT}, "bgcolor": "white", "align": "left"},
        "dragmode": False,
        "meta": {"width": round(placed.width), "title": words["title"]},
    }
    layout["legend"]["y"] = 1.0
    layout["legend"]["yref"] = "paper"
    return {"data": data, "layout": layout}


def figure_json(tree: TreeOut, lang: str = "nl") -> str:
    """The plotly figure as JSON."""
    return json.dumps(figure_dict(tree, lang), ensure_ascii=False, separators=(",", ":"))


# --- print: SVG and PDF ------------------------------------------------------------------------------------

PAGE_W_MM: Final = 420.0  # A3 landscape
PAGE_H_MM: Final = 297.0
MARGIN_MM: Final = 10.0
HEADER_PX: Final = 64.0
FOOTER_PX: Final = 44.0


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _svg_marker(box: Box) -> str:
    colour, symbol, dark_text = STYLE[box.kind]
    x, y, r = box.x, box.y, box.size / 2
    stroke = f'stroke="#ffffff" stroke-width="1.5" fill={quoteattr(colour)}'
    if symbol.startswith("circle-open"):
        shape = (
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="#ffffff" '
            f'stroke={quoteattr(colour)} stroke-width="2"/>'
        )
    elif symbol == "circle":
        shape = f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {stroke}/>'
    elif symbol == "square":
        side = _num(r * 1.8)
        shape = f'<rect x="{_num(x - r * 0.9)}" y="{_num(y - r * 0.9)}" width="{side}" height="{side}" {stroke}/>'
    else:
        points = _polygon(symbol, x, y, r)
        shape = f'<polygon points="{points}" {stroke}/>'
    label = ""
    if box.stickers:
        fill = INK if dark_text else "#ffffff"
        label = (
            f'<text x="{_num(x)}" y="{_num(y + 4)}" font-size="11" font-weight="700" text-anchor="middle" '
            f'fill="{fill}">{box.stickers}</text>'
        )
    return shape + label


def _polygon(symbol: str, x: float, y: float, r: float) -> str:
    corners: list[tuple[float, float]]
    if symbol == "diamond":
        corners = [(0, -1.15), (1.15, 0), (0, 1.15), (-1.15, 0)]
    elif symbol == "triangle-up":
        corners = [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)]
    elif symbol == "hexagon":
        corners = [(math.cos(math.radians(a)), math.sin(math.radians(a))) for a in range(30, 390, 60)]
    else:  # star
        corners = []
        for index in range(10):
            radius = 1.2 if index % 2 == 0 else 0.5
            angle = math.radians(-90 + index * 36)
            corners.append((radius * math.cos(angle), radius * math.sin(angle)))
    return " ".join(f"{_num(x + dx * r)},{_num(y + dy * r)}" for dx, dy in corners)


def _svg_label(box: Box) -> str:
    lines = _label_lines(box)
    weight = ' font-weight="700"' if box.kind in ("root", "group", "success_factor", "hindering") else ""
    if box.is_leaf and box.kind != "root":
        x = box.x + box.size / 2 + 6
        first = box.y - (len(lines) - 1) * LINE_PX / 2 + 4.5
        anchor = "start"
    else:
        x = box.x
        first = box.y - box.size / 2 - 4 - (len(lines) - 1) * LINE_PX - 4
        anchor = "middle"
    spans = "".join(
        f'<tspan x="{_num(x)}" y="{_num(first + index * LINE_PX)}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    # a white halo drawn first (WeasyPrint knows no paint-order), then the text itself
    return (
        f'<text font-size="{LABEL_PX}" text-anchor="{anchor}"{weight} fill="#ffffff" stroke="#ffffff" '
        f'stroke-width="4" stroke-linejoin="round">{spans}</text>'
        f'<text font-size="{LABEL_PX}" text-anchor="{anchor}"{weight} fill="{INK}">{spans}</text>'
    )


def _svg_legend(words: dict[str, str], y: float, width: float) -> str:
    parts: list[str] = []
    x = 20.0
    for kind in KINDS:
        box = Box(key=kind, kind=kind, title="", size=14.0 if kind != "root" else 18.0, x=x, y=y)
        parts.append(_svg_marker(box))
        label = words[kind]
        parts.append(f'<text x="{_num(x + 14)}" y="{_num(y + 4.5)}" font-size="12" fill="{INK}">{escape(label)}</text>')
        x += 30 + len(label) * 6.8
    parts.append(
        f'<text x="{_num(width - 20)}" y="{_num(y + 4.5)}" font-size="12" text-anchor="end" fill="{MUTED}">'
        f"{escape(words['legend_size'])}</text>"
    )
    return "".join(parts)


def tree_svg(tree: TreeOut, lang: str = "nl", *, title: str | None = None) -> Markup:
    """The whole tree on one A3 landscape page as SVG markup: every text in it escaped, scaled to fit."""
    words = _words(lang)
    placed = layout_tree(tree, lang)
    width = max(placed.width, 900.0)
    height = placed.height + HEADER_PX + FOOTER_PX
    # keep the page's proportions: widen or heighten the drawing's box so it fills A3 without distortion
    ratio = (PAGE_W_MM - 2 * MARGIN_MM) / (PAGE_H_MM - 2 * MARGIN_MM)
    view_w, view_h = (height * ratio, height) if width / height < ratio else (width, width / ratio)
    offset_x = (view_w - width) / 2
    body: list[str] = []
    for parent, child in placed.edges():
        body.append(f'<path d="{_edge_path(parent, child)}" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.6"/>')
    for y in placed.separators:
        body.append(
            f'<line x1="0" x2="{_num(width)}" y1="{_num(y)}" y2="{_num(y)}" stroke="#dde3e4" stroke-dasharray="3 3"/>'
        )
    boxes = list(placed.boxes())
    body.extend(_svg_marker(b) for b in boxes)
    body.extend(_svg_label(b) for b in boxes)
    heading = words["title"] + (f" — {title}" if title else "")
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_num(PAGE_W_MM - 2 * MARGIN_MM)}mm" height="{_num(PAGE_H_MM - 2 * MARGIN_MM)}mm" '
        f'viewBox="{_num(-offset_x)} 0 {_num(view_w)} {_num(view_h)}" font-family={quoteattr(FONT)}>'
        f'<text x="20" y="32" font-size="24" font-weight="700" fill="{INK}">{escape(heading)}</text>'
        f'<g transform="translate(0 {_num(HEADER_PX)})">{"".join(body)}</g>'
        f"{_svg_legend(words, HEADER_PX + placed.height + FOOTER_PX / 2, width)}"
        "</svg>"
    )


def tree_pdf(tree: TreeOut, lang: str = "nl", *, title: str | None = None) -> bytes:
    """The one-page SVG as an A3 landscape PDF (WeasyPrint, with every URL refused), tagged PDF/UA-1 with
    its title and language."""
    svg = tree_svg(tree, lang, title=title)
    heading = _words(lang)["title"] + (f" — {title}" if title else "")
    document = (
        f"<!doctype html><html lang={quoteattr(lang)}><head><meta charset='utf-8'>"
        f"<title>{escape(heading)}</title><style>"
        f"@page {{ size: {_num(PAGE_W_MM)}mm {_num(PAGE_H_MM)}mm; margin: {_num(MARGIN_MM)}mm }}"
        "html, body { margin: 0; padding: 0 } svg { display: block }"
        "</style></head><body>" + str(svg) + "</body></html>"
    )
    return self_contained_pdf(document)
