"""Tests for the plotly life-line figure."""

import json
from typing import Any

from lifeline import Event, Pin, build_figure, figure_json, parse_when


def _traces(figure_dict: dict[str, Any], **match: object) -> list[dict[str, Any]]:
    return [t for t in figure_dict["data"] if all(t.get(k) == v for k, v in match.items())]


def test_lanes_traces_and_pins(events: list[Event], pins: list[Pin]) -> None:
    fig = json.loads(figure_json(events, pins, lang="nl", title="Casusonderzoek gezin Bakker"))
    ticks = fig["layout"]["yaxis"]["ticktext"]
    for name in ("Groepsgesprek", "Gezin", "Hulp", "Veiligheid", "School"):
        assert f"<b>{name}</b>" in ticks
    assert len(fig["layout"]["shapes"]) == 2 * len(ticks)
    assert len(fig["data"]) <= 4 * 4 + 1 + 3 + 4  # a few traces per lane (one fades open ends), never per event
    success = _traces(fig, name="Goede hulp")[0]
    hindering = _traces(fig, name="Geen goede hulp")[0]
    assert success["marker"]["symbol"] == "triangle-up" and success["marker"]["color"] == "#009E73"
    assert hindering["marker"]["symbol"] == "triangle-down" and hindering["marker"]["color"] == "#D55E00"
    assert len(success["x"]) == 3 and len(hindering["x"]) == 3
    assert fig["layout"]["xaxis"]["type"] == "date"
    assert fig["layout"]["xaxis"]["rangeslider"]["visible"] is False


def test_every_event_is_drawn_once(events: list[Event]) -> None:
    fig = build_figure(events).to_dict()
    markers = sum(len(t["x"]) for t in fig["data"] if t.get("mode") == "markers+text" and t.get("x"))
    cores = [t for t in fig["data"] if t["type"] == "bar" and t.get("marker", {}).get("opacity")]
    periods = sum(1 for e in events if e.is_period)
    assert markers == len(events) - periods
    assert sum(len(t["x"]) for t in cores) == periods


def test_hover_has_date_text_and_sources(events: list[Event]) -> None:
    fig = build_figure(events, lang="en").to_dict()
    hovers = [h for t in fig["data"] for h in (t.get("hovertext") or [])]
    assert any("approx. 2006" in h and "Sources: interview moeder" in h for h in hovers)
    assert any("Sept. 2020" in h and "interview intern begeleider" in h for h in hovers)
    assert any("Status: confirmed" in h for h in hovers)


def test_vague_event_drawn_with_its_range(events: list[Event]) -> None:
    fig = build_figure(events).to_dict()
    vague = [t for t in fig["data"] if t["type"] == "bar" and "pattern" in t.get("marker", {}) and t.get("base")]
    spans = {(b, x) for t in vague for b, x in zip(t["base"], t["x"], strict=True)}
    first = events[0]  # ca. 2006: 2005-01-01 .. 2007-12-31
    assert ("2005-01-01", (first.latest() - first.earliest()).days * 86_400_000 + 86_400_000) in spans
    labels = [text for t in fig["data"] for text in (t.get("text") or [])]
    assert "ca. Ouders leren elkaar kennen" in labels


def test_user_text_is_escaped() -> None:
    event = Event(id=1, title="<script>alert(1)</script>", when=parse_when("2019"), sources=["<b>x"])
    text = figure_json([event], title="<i>t</i>")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "&lt;i&gt;t&lt;" in text


def test_empty_figure_has_the_standard_lanes() -> None:
    fig = build_figure([], lang="en").to_dict()
    assert [t.strip("</b>") for t in fig["layout"]["yaxis"]["ticktext"]] == ["Family", "Care", "Safety", "School"]


def test_open_ended_and_member_lane() -> None:
    events = [
        Event(id=1, title="Wijkteam", when=parse_when("sinds 2022"), lane="care"),
        Event(id=2, title="Eigen traject", when=parse_when("2023"), lane="Vader"),
    ]
    fig = build_figure(events).to_dict()
    assert "<b>Vader</b>" in fig["layout"]["yaxis"]["ticktext"]
    fades = [t for t in fig["data"] if t.get("meta") == "fade"]
    assert len(fades) == 1 and set(fades[0]["customdata"]) == {1}
    opacity = list(fades[0]["marker"]["opacity"])
    assert opacity == sorted(opacity, reverse=True) and opacity[-1] < 0.1  # fades out towards the open end
    assert fades[0]["base"][0] >= "2022-12-31"  # after the known start year


def test_an_open_start_fades_in_from_the_start_of_the_life_line() -> None:
    events = [
        Event(id=1, title="Bij oma", when=parse_when("voor 2010"), lane="family"),
        Event(id=2, title="Geboorte", when=parse_when("2004"), lane="family"),
    ]
    fig = build_figure(events).to_dict()
    fade = next(t for t in fig["data"] if t.get("meta") == "fade")
    opacity = list(fade["marker"]["opacity"])
    assert opacity == sorted(opacity) and opacity[0] < 0.1  # clear at the unknown start
    assert fade["base"][0] <= "2004-01-01"  # from the start of the life-line
