"""Tests for the printed banner (SVG and PDF)."""

import io
import re
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from lifeline import Event, Pin, banner_page_count, banner_pdf, banner_svg, parse_when
from lifeline.banner import PAPER_MM, banner_document
from tests.pdf_tags import assert_tagged


def test_svg_width_matches_length(events: list[Event], pins: list[Pin]) -> None:
    svg = banner_svg(events, pins, length_m=10.0, height_m=0.9)
    assert 'width="10000mm"' in svg and 'height="900mm"' in svg
    assert 'viewBox="0 0 10000 900"' in svg
    assert "Noor start op Het Baken" in svg


def test_svg_escapes_user_text() -> None:
    event = Event(id=1, title="<script>alert('x')</script> & co", when=parse_when("2019"), lane="<Noor>")
    pin = Pin(kind="hindering", label="<img src=x onerror=alert(1)>", event_id=1)
    svg = banner_svg([event], [pin], title="<b>titel</b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;Noor&gt;" in svg and "&lt;b&gt;titel" in svg
    assert "<img" not in svg and "&lt;img src=x" in svg  # pin labels are user text too


def test_page_count() -> None:
    # A3 landscape prints 384 mm of banner per page (18 mm each side: 10 mm the printer cannot reach and
    # 8 mm for the marks); each next page repeats 20 mm: ceil((10000 - 20) / 364) = 28.
    assert banner_page_count(10.0, "A3", 20) == 28
    assert banner_page_count(0.38, "A3", 20) == 1
    assert banner_page_count(0.4, "A3", 20) == 2
    assert banner_page_count(10.0, "A4", 20) == 42
    with pytest.raises(ValueError):
        banner_page_count(10.0, "A5", 20)


def test_pdf_pages_and_size(events: list[Event], pins: list[Pin]) -> None:
    pdf = banner_pdf(events, pins, length_m=10.0, paper="A3", overlap_mm=20, title="Gezin Bakker")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == banner_page_count(10.0, "A3", 20) == 28
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 420
    assert round(float(box.height) / 72 * 25.4) == 297
    assert "pagina3/28" in re.sub(r"\s", "", reader.pages[2].extract_text())
    assert_tagged(pdf, lang="nl", title="Levenslijn — Gezin Bakker")
    first = re.sub(r"\s", "", reader.pages[0].extract_text())
    assert "Drukafop100%" in first and "Drukafop100%" not in re.sub(r"\s", "", reader.pages[1].extract_text())


def test_pdf_in_english_on_a4_refuses_external_resources() -> None:
    event = Event(id=1, title='<img src="file:///etc/passwd">', when=parse_when("2019"))
    pdf = banner_pdf([event], length_m=0.5, paper="A4", lang="en")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == banner_page_count(0.5, "A4", 20)
    assert "page1/2" in re.sub(r"\s", "", reader.pages[0].extract_text())
    assert "Printat100%" in re.sub(r"\s", "", reader.pages[0].extract_text())
    assert_tagged(pdf, lang="en", title="Life-line")


SVG = "{http://www.w3.org/2000/svg}"


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


@pytest.mark.parametrize("paper", ["A3", "A4"])
def test_marks_and_page_numbers_stay_10_mm_inside_the_paper(events: list[Event], paper: str) -> None:
    document = banner_document(events, length_m=2.0, paper=paper, overlap_mm=20, title="Gezin Bakker")
    pages = ElementTree.fromstring(document.split("<body>", 1)[1].removesuffix("</body></html>").join(["<b>", "</b>"]))
    page_w, page_h = PAPER_MM[paper]
    low_x, high_x, low_y, high_y = 10.0, page_w - 10.0, 10.0, page_h - 10.0
    assert len(pages) == banner_page_count(2.0, paper, 20) > 1
    for page in pages:
        outer = page[0]
        drawn = [child for child in outer if child.tag != f"{SVG}svg"]  # the banner itself is clipped inside
        assert any(child.tag == f"{SVG}line" for child in drawn)
        for element in (e for child in drawn for e in child.iter()):
            if element.tag == f"{SVG}line":
                xs = [float(element.get(k, "0")) for k in ("x1", "x2")]
                ys = [float(element.get(k, "0")) for k in ("y1", "y2")]
            elif element.tag in (f"{SVG}text", f"{SVG}rect"):
                size = float(element.get("font-size", "0"))
                xs = [float(element.get("x", "0"))]
                ys = [float(element.get("y", "0")) + size * 0.25, float(element.get("y", "0")) - size]
            else:
                continue
            assert all(low_x <= x <= high_x for x in xs), (element.tag, element.attrib)
            assert all(low_y <= y <= high_y for y in ys), (element.tag, element.attrib)
        inner = next(child for child in outer if child.tag == f"{SVG}svg")
        assert float(inner.get("x", "0")) >= 10 and float(inner.get("y", "0")) >= 10


def test_hatching_lies_on_one_grid_for_the_whole_banner_so_glued_pages_line_up(events: list[Event]) -> None:
    svg = banner_svg(events, length_m=10.0, height_m=0.277)
    paths = [p for p in ElementTree.fromstring(svg).iter(f"{SVG}path") if p.get("class") == "hatch"]
    assert paths
    steps = set()
    for path in paths:
        segments = [_numbers(s) for s in path.get("d", "").split("M") if s]
        assert segments
        sums = {round(ax + ay, 1) for ax, ay, _bx, _by in segments}
        assert all(abs((ax + ay) - (bx + by)) < 0.05 for ax, ay, bx, by in segments)  # 45° lines
        step = min(b - a for a, b in zip(sorted(sums), sorted(sums)[1:], strict=False)) if len(sums) > 1 else None
        if step is not None:
            steps.add(round(step, 1))
            assert all(abs(c / step - round(c / step)) < 0.02 for c in sums)  # on the grid from the origin
    assert len(steps) == 1  # one spacing on the whole banner


def test_open_ranges_fade_on_the_banner() -> None:
    events = [
        Event(id=1, title="Bij oma", when=parse_when("voor 2010"), lane="family"),
        Event(id=2, title="Geboorte", when=parse_when("2004"), lane="family"),
        Event(id=3, title="Wijkteam", when=parse_when("sinds 2016"), lane="care"),
        Event(id=4, title="Einde", when=parse_when("2022"), lane="care"),
    ]
    svg = banner_svg(events, length_m=2)
    fades = re.findall(r'class="fade"[^>]*fill="url\(#\w*hatch\d+(in|out)\)"', svg)
    assert sorted(fades) == ["in", "out"]  # the unknown start fades in, the open end fades out


def test_hostile_text_in_open_ranges_lanes_and_pins_stays_text() -> None:
    """The report embeds the banner as markup: every caller text (titles, lanes, pins, the heading) is escaped,
    also on the fading edges of open ranges."""
    hostile = '</text><script>alert(1)</script>"&'
    events = [
        Event(id=1, title=hostile, when=parse_when("2014"), lane=hostile),
        Event(id=2, title=hostile, when=parse_when("voor 2010"), lane="family"),
        Event(id=3, title=hostile, when=parse_when("sinds 2016"), lane="care"),
    ]
    pins = [Pin(kind="success", label=hostile, at=parse_when("2015")), Pin(kind="hindering", label=hostile, event_id=1)]
    svg = banner_svg(events, pins, length_m=2, height_m=0.3, title=hostile)
    texts = "".join(ElementTree.fromstring(svg).itertext())
    assert "<script" not in svg
    assert "alert(1)" in texts  # drawn as text, not dropped
    document = banner_document(events, length_m=2.0, paper="A3", overlap_mm=20, title=hostile)
    assert "<script" not in document


def test_undated_events_are_listed_and_cut_to_the_room_beside_the_heading() -> None:
    from lifeline import banner_svg

    many = [(f"Gebeurtenis {n}", "weet ik niet meer") for n in range(400)]
    svg = banner_svg([], length_m=2, lang="en", undated=many)
    line = svg.split("Not dated yet (400): ", 1)[1].split("</text>", 1)[0]
    assert line.startswith("Gebeurtenis 0 (“weet ik niet meer”) · Gebeurtenis 1") and line.endswith("…")
    assert "Gebeurtenis 399" not in line
