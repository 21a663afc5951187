"""The interactive life-line as a plotly figure: lanes as bands, periods as bars, moments as markers, pins."""

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, TypedDict, Unpack

import plotly.graph_objects as go

from lifeline._geometry import (
    HINDERING_COLOUR,
    PIN_LANE,
    SUCCESS_COLOUR,
    Band,
    bands,
    day_ms,
    iso,
    lane_colour,
    tint,
)
from lifeline._labels import MAX_LABEL_CHARS, event_label, hover_text
from lifeline._lang import Lang, norm_lang
from lifeline.dates import Period
from lifeline.events import Event, Pin, lane_label, pin_when
from lifeline.layout import Packer, Placement, horizon_of, lanes_in_order, rows_per_lane

FONT: Final = "Arial, 'Helvetica Neue', Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
BASE_FONT_PX: Final = 18
LABEL_FONT_PX: Final = 16
CHAR_WIDTH_EM: Final = 0.5  # average width of a character in a sans-serif font
ROW_PX: Final = 34
MARGIN_LEFT: Final = 175
MARGIN_RIGHT: Final = 30
NOMINAL_WIDTH: Final = 1600
BAR_THICKNESS: Final = 0.56
POINT_RANGE_THICKNESS: Final = 0.26
_TEXT_HALO: Final = "1px 1px 2px white, -1px -1px 2px white, 1px -1px 2px white, -1px 1px 2px white"

_WORDS: Final[dict[Lang, dict[str, str]]] = {
    "nl": {
        "title": "Levenslijn",
        "pins": "Groepsgesprek",
        "success": "Goede hulp",
        "hindering": "Geen goede hulp",
        "vague": "Onzeker bereik (ca.)",
        "point": "Moment",
        "period": "Periode",
        "open": "loopt nog",
    },
    "en": {
        "title": "Life-line",
        "pins": "Group interview",
        "success": "Good help",
        "hindering": "No good help",
        "vague": "Uncertain range (approx.)",
        "point": "Moment",
        "period": "Period",
        "open": "ongoing",
    },
}


@dataclass
class _LaneTraces:
    """Column arrays for the few traces of one lane."""

    vague_base: list[str] = field(default_factory=list)
    vague_len: list[int] = field(default_factory=list)
    vague_y: list[float] = field(default_factory=list)
    vague_width: list[float] = field(default_factory=list)
    vague_hover: list[str] = field(default_factory=list)
    vague_ids: list[object] = field(default_factory=list)
    core_base: list[str] = field(default_factory=list)
    core_len: list[int] = field(default_factory=list)
    core_y: list[float] = field(default_factory=list)
    core_hover: list[str] = field(default_factory=list)
    core_ids: list[object] = field(default_factory=list)
    point_x: list[str] = field(default_factory=list)
    point_y: list[float] = field(default_factory=list)
    point_text: list[str] = field(default_factory=list)
    point_symbol: list[str] = field(default_factory=list)
    point_hover: list[str] = field(default_factory=list)
    point_ids: list[object] = field(default_factory=list)
    fade_base: list[str] = field(default_factory=list)
    fade_len: list[int] = field(default_factory=list)
    fade_y: list[float] = field(default_factory=list)
    fade_opacity: list[float] = field(default_factory=list)
    fade_hover: list[str] = field(default_factory=list)
    fade_ids: list[object] = field(default_factory=list)

    def vague(self, first: date, last: date, y: float, *, width: float, hover: str, event_id: object) -> None:
        """The pale bar of the whole range an event may cover, [first, last], ``width`` thick."""
        self.vague_base.append(iso(first))
        self.vague_len.append(day_ms(last - first + timedelta(days=1)))
        self.vague_y.append(y)
        self.vague_width.append(width)
        self.vague_hover.append(hover)
        self.vague_ids.append(event_id)

    def fade(self, start: date, end: date, y: float, *, outward: bool, hover: str, event_id: object) -> None:
        """A fading edge over [start, end]: opaque at the known side, clear at the unknown one."""
        steps = len(FADE_STEPS)
        span = (end - start).days + 1
        opacities = FADE_STEPS if outward else tuple(reversed(FADE_STEPS))
        for index, opacity in enumerate(opacities):
            first = start + timedelta(days=span * index // steps)
            last = start + timedelta(days=span * (index + 1) // steps)
            self.fade_base.append(iso(first))
            self.fade_len.append(day_ms(last - first))
            self.fade_y.append(y)
            self.fade_opacity.append(opacity)
            self.fade_hover.append(hover)
            self.fade_ids.append(event_id)


def _pin_events(pins: Iterable[Pin], events: Sequence[Event], lang: Lang) -> list[tuple[Pin, Event]]:
    """Turn pins into pseudo-events on the pin lane so the row packing can place their labels too."""
    result: list[tuple[Pin, Event]] = []
    for index, pin in enumerate(pins):
        when = pin_when(pin, events)
        if when is None:
            continue  # the pin's event was deleted; nothing to point at
        title = pin.label.strip() or _WORDS[lang][pin.kind]
        pseudo = Event(id=f"pin-{index}", title=title, when=when, lane=PIN_LANE)
        result.append((pin, pseudo))
    return result


def _pack(events: Sequence[Event], *, lang: Lang, plot_px: float, horizon: date) -> tuple[list[Placement], date, date]:
    """Lay out the events, recomputing the scale until the labels fit the x range they widen."""
    low = min(event.earliest() for event in events)
    high = max(horizon, low + timedelta(days=365))
    span = (high - low).days * 1.1
    placements: list[Placement] = []
    packer = Packer(events, lang=lang, horizon=horizon, point_lanes=(PIN_LANE,))
    for _ in range(3):
        placements = packer.pack(span / plot_px * LABEL_FONT_PX * CHAR_WIDTH_EM)
        right = max(max(p.x_end for p in placements), high)
        new_span = (right - low).days * 1.04
        if new_span <= span:
            break
        span = new_span
    right = max(max(p.x_end for p in placements), high)
    pad = timedelta(days=max(20, round(span * 0.015)))
    return placements, low - pad, right + pad


FADE_STEPS: Final[tuple[float, ...]] = (0.62, 0.5, 0.38, 0.27, 0.16, 0.07)
_MIN_FADE_DAYS: Final = 365


def _fade_days(first: date, last: date) -> int:
    return max(_MIN_FADE_DAYS, round(((last - first).days + 1) * 0.4))


def _add_event(
    traces: _LaneTraces,
    event: Event,
    y: float,
    horizon: date,
    lang: Lang,
    labels: dict[str, list[Any]],
    dawn: date | None = None,
) -> None:
    """Append one event's bar, range and marker to its lane's column arrays."""
    hover = hover_text(event, lang)
    when = event.when
    short_hover = f"<b>{html.escape(event.title)}</b><br>{html.escape(when.format(lang))}"
    first, last = event.earliest(), event.latest()
    text = html.escape(event_label(event, lang, MAX_LABEL_CHARS))
    if isinstance(when, Period):
        if when.end is None:  # open end: the core fades out towards the end of the life-line
            last = max(last, horizon, when.known.latest() + timedelta(days=2 * _MIN_FADE_DAYS))
            core_start = when.known.latest()
            fade_from = max(core_start, last - timedelta(days=_fade_days(core_start, last)))
            traces.fade(fade_from, last, y, outward=True, hover=hover, event_id=event.id)
            core_end, last = fade_from, fade_from
        elif when.start is None:  # no known start: it fades in from the start of the life-line
            core_end = when.end.earliest()
            first = min(first, dawn or first, core_end - timedelta(days=2 * _MIN_FADE_DAYS))
            fade_to = min(core_end, first + timedelta(days=_fade_days(first, core_end)))
            traces.fade(first, fade_to, y, outward=False, hover=hover, event_id=event.id)
            core_start = first = fade_to
        else:
            core_start, core_end = when.start.latest(), when.end.earliest()
        traces.vague(first, last, y, width=BAR_THICKNESS, hover=short_hover, event_id=event.id)
        if core_end > core_start:
            traces.core_base.append(iso(core_start))
            traces.core_len.append(day_ms(core_end - core_start + timedelta(days=1)))
            traces.core_y.append(y)
            traces.core_hover.append(hover)
            traces.core_ids.append(event.id)
        labels["x"].append(iso(first))
        labels["y"].append(y)
        labels["text"].append(text)
        return
    if (last - first).days >= 2:
        traces.vague(first, last, y, width=POINT_RANGE_THICKNESS, hover=hover, event_id=event.id)
    traces.point_x.append(iso(when.midpoint()))
    traces.point_y.append(y)
    traces.point_text.append(text)
    traces.point_symbol.append("diamond")
    traces.point_hover.append(hover)
    traces.point_ids.append(event.id)


def _lane_traces(lane: str, name: str, traces: _LaneTraces) -> list[dict[str, Any]]:
    """Return the three traces of one lane: uncertain ranges, certain period cores and moments; each bar and
    marker carries its event's id as ``customdata`` (a click on the chart can find the event)."""
    colour = lane_colour(lane)
    group = f"lane:{lane}"
    fade: list[dict[str, Any]] = []
    if traces.fade_base:
        fade.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "meta": "fade",
                "legendgroup": group,
                "showlegend": False,
                "base": traces.fade_base,
                "x": traces.fade_len,
                "y": traces.fade_y,
                "width": BAR_THICKNESS,
                "marker": {"color": colour, "opacity": traces.fade_opacity, "line": {"width": 0}},
                "hovertext": traces.fade_hover,
                "customdata": traces.fade_ids,
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return [
        *fade,
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "legendgroup": group,
            "showlegend": False,
            "base": traces.vague_base,
            "x": traces.vague_len,
            "y": traces.vague_y,
            "width": traces.vague_width,
            "marker": {
                "color": tint(colour, 0.72),
                "line": {"width": 0},
                "pattern": {"shape": "/", "fgcolor": colour, "size": 7, "solidity": 0.18},
            },
            "hovertext": traces.vague_hover,
            "customdata": traces.vague_ids,
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "legendgroup": group,
            "showlegend": False,
            "base": traces.core_base,
            "x": traces.core_len,
            "y": traces.core_y,
            "width": BAR_THICKNESS,
            "marker": {"color": colour, "opacity": 0.8, "line": {"width": 0}},
            "hovertext": traces.core_hover,
            "customdata": traces.core_ids,
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": name,
            "legendgroup": group,
            "showlegend": False,
            "x": traces.point_x,
            "y": traces.point_y,
            "text": traces.point_text,
            "textposition": "middle right",
            "textfont": {"size": LABEL_FONT_PX, "color": "#1a1a1a", "shadow": _TEXT_HALO},
            "marker": {
                "symbol": traces.point_symbol,
                "size": 16,
                "color": colour,
                "line": {"width": 1.5, "color": "white"},
            },
            "hovertext": traces.point_hover,
            "customdata": traces.point_ids,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "cliponaxis": False,
        },
    ]


def _pin_traces(
    pinned: Sequence[tuple[Pin, Event]], rows: dict[object, float], y_top: float, y_bottom: float, lang: Lang
) -> list[dict[str, Any]]:
    """Return the pin markers (success ▲ green, hindering ▼ vermilion) and their dotted guide lines."""
    result: list[dict[str, Any]] = []
    for kind, colour, symbol in (
        ("success", SUCCESS_COLOUR, "triangle-up"),
        ("hindering", HINDERING_COLOUR, "triangle-down"),
    ):
        chosen = [(pin, pseudo) for pin, pseudo in pinned if pin.kind == kind]
        xs = [iso(pseudo.when.midpoint()) for _, pseudo in chosen]
        guide_x: list[str | None] = []
        guide_y: list[float | None] = []
        for x in xs:
            guide_x += [x, x, None]
            guide_y += [y_top, y_bottom, None]
        result.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": guide_x,
                "y": guide_y,
                "line": {"color": colour, "width": 1.5, "dash": "dot"},
                "opacity": 0.7,
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": f"pin:{kind}",
            }
        )
        result.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _WORDS[lang][kind],
                "legendgroup": f"pin:{kind}",
                "x": xs,
                "y": [rows[pseudo.id] for _, pseudo in chosen],
                "text": [html.escape(event_label(pseudo, lang)) for _, pseudo in chosen],
                "textposition": "middle right",
                "textfont": {"size": LABEL_FONT_PX, "color": "#1a1a1a", "shadow": _TEXT_HALO},
                "marker": {"symbol": symbol, "size": 20, "color": colour, "line": {"width": 1, "color": "white"}},
                "hovertext": [
                    f"<b>{_WORDS[lang][kind]}</b><br>{html.escape(pin.label)}<br>"
                    f"{html.escape(pseudo.when.format(lang))}"
                    for pin, pseudo in chosen
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "cliponaxis": False,
            }
        )
    return result


def _legend_keys(words: dict[str, str]) -> list[dict[str, Any]]:
    """Return data-less traces that only explain the symbols in the legend (moment, period, uncertain range)."""
    common: dict[str, Any] = {"x": [None], "y": [None], "hoverinfo": "skip", "showlegend": True}
    return [
        {
            **common,
            "type": "scatter",
            "mode": "markers",
            "name": words["point"],
            "marker": {"symbol": "diamond", "size": 14, "color": "#555555"},
        },
        {**common, "type": "bar", "orientation": "h", "name": words["period"], "marker": {"color": "#555555"}},
        {
            **common,
            "type": "bar",
            "orientation": "h",
            "name": words["vague"],
            "marker": {"color": "#dddddd", "pattern": {"shape": "/", "fgcolor": "#555555", "solidity": 0.18}},
        },
    ]


def _band_shapes(all_bands: Sequence[Band]) -> list[dict[str, Any]]:
    """Return two shapes per lane: a light tinted band and a coloured stripe at its left edge."""
    shapes: list[dict[str, Any]] = []
    for band in all_bands:
        colour = "#777777" if band.lane == PIN_LANE else lane_colour(band.lane)
        common = {"type": "rect", "xref": "paper", "yref": "y", "y0": band.y0, "y1": band.y1, "layer": "below"}
        shapes.append({**common, "x0": 0, "x1": 1, "fillcolor": tint(colour, 0.9), "line": {"width": 0}})
        shapes.append({**common, "x0": 0, "x1": 0.005, "fillcolor": colour, "line": {"width": 0}})
    return shapes


def _year_dtick(low: date, high: date) -> str:
    years = (high - low).days / 365.25
    return "M12" if years <= 24 else "M24" if years <= 48 else "M60"


class FigureOptions(TypedDict, total=False):
    """What ``build_figure`` and ``figure_json`` pass on to ``figure_dict`` (whose signature holds the defaults)."""

    lang: str
    title: str | None
    height: int | None
    width: int | None


def figure_dict(
    events: Iterable[Event],
    pins: Iterable[Pin] = (),
    *,
    lang: str = "nl",
    title: str | None = None,
    height: int | None = None,
    width: int | None = None,
) -> dict[str, Any]:
    """Return the life-line figure as a plain plotly dict (data and layout), unvalidated and fast."""
    language = norm_lang(lang)
    words = _WORDS[language]
    all_events = list(events)
    pinned = _pin_events(pins, all_events, language)
    lanes = lanes_in_order(all_events, all_standard=not all_events)
    if pinned:
        lanes = [PIN_LANE, *lanes]
    everything = all_events + [pseudo for _, pseudo in pinned]
    plot_px = (width or NOMINAL_WIDTH) - MARGIN_LEFT - MARGIN_RIGHT
    if everything:
        horizon = horizon_of(everything)
        assert horizon is not None
        placements, x_low, x_high = _pack(everything, lang=language, plot_px=plot_px, horizon=horizon)
    else:
        horizon = date(2000, 1, 1)
        placements, x_low, x_high = [], date(1999, 1, 1), date(2001, 1, 1)
    all_bands = bands(lanes, rows_per_lane(placements))
    band_of = {band.lane: band for band in all_bands}
    y_of: dict[object, float] = {p.event_id: band_of[p.lane].top + p.row for p in placements}

    per_lane: dict[str, _LaneTraces] = {lane: _LaneTraces() for lane in lanes if lane != PIN_LANE}
    labels: dict[str, list[Any]] = {"x": [], "y": [], "text": []}
    dawn = min((event.earliest() for event in everything), default=None)
    for event in all_events:
        _add_event(per_lane[event.lane], event, y_of[event.id], horizon, language, labels, dawn)

    data: list[dict[str, Any]] = []
    for lane, traces in per_lane.items():
        data.extend(_lane_traces(lane, lane_label(lane, language), traces))
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": labels["x"],
            "y": labels["y"],
            "text": labels["text"],
            "textposition": "middle right",
            "textfont": {"size": LABEL_FONT_PX, "color": "#1a1a1a", "shadow": _TEXT_HALO},
            "hoverinfo": "skip",
            "showlegend": False,
            "cliponaxis": False,
        }
    )
    data.extend(_legend_keys(words))
    y_bottom = all_bands[-1].y1 if all_bands else 0.5
    if pinned:
        data.extend(_pin_traces(pinned, y_of, -0.5, y_bottom, language))

    tick_bands = [band for band in all_bands]
    tick_text = [
        f"<b>{html.escape(words['pins'] if b.lane == PIN_LANE else lane_label(b.lane, language))}</b>"
        for b in tick_bands
    ]
    units = y_bottom + 0.5
    fig_height = height or max(420, int(170 + units * ROW_PX))
    figure_layout: dict[str, Any] = {
        "title": {
            "text": html.escape(title if title is not None else words["title"]),
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 26},
        },
        "font": {"family": FONT, "size": BASE_FONT_PX, "color": "#1a1a1a"},
        "barmode": "overlay",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "height": fig_height,
        "margin": {"l": MARGIN_LEFT, "r": MARGIN_RIGHT, "t": 110, "b": 50},
        "xaxis": {
            "type": "date",
            "range": [iso(x_low), iso(x_high)],
            "rangeslider": {"visible": False},
            "dtick": _year_dtick(x_low, x_high),
            "tickformat": "%Y",
            "ticklabelmode": "period",
            "showgrid": True,
            "gridcolor": "#c8c8c8",
            "griddash": "dot",
            "ticks": "outside",
            "showline": True,
            "linecolor": "#888888",
            "zeroline": False,
            "tickfont": {"size": BASE_FONT_PX},
        },
        "yaxis": {
            "range": [y_bottom + 0.15, -0.65],
            "tickvals": [b.centre for b in tick_bands],
            "ticktext": tick_text,
            "tickfont": {"size": 20},
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "ticks": "",
        },
        "shapes": _band_shapes(all_bands),
        "hoverlabel": {"font": {"size": 16, "family": FONT}, "bgcolor": "white", "align": "left"},
        "hovermode": "closest",
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 16},
            "itemclick": "toggle",
            "traceorder": "normal",
        },
        "uirevision": "lifeline",
        "template": {},  # our own styling; plotly's default template would add ~8 KB of JSON
    }
    if width is not None:
        figure_layout["width"] = width
    return {"data": data, "layout": figure_layout}


def build_figure(events: Iterable[Event], pins: Iterable[Pin] = (), **options: Unpack[FigureOptions]) -> go.Figure:
    """Build the life-line figure: one band per lane, bars for periods, markers for moments, pins on top."""
    return go.Figure(figure_dict(events, pins, **options))


def figure_json(events: Iterable[Event], pins: Iterable[Pin] = (), **options: Unpack[FigureOptions]) -> str:
    """Return the life-line figure as compact plotly JSON for ``Plotly.newPlot``, safe inside a script tag."""
    figure = figure_dict(events, pins, **options)
    text = json.dumps(figure, separators=(",", ":"), ensure_ascii=False)
    # as plotly.io.to_json does: no "<", ">" or "/" that could close a surrounding <script> element
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")
