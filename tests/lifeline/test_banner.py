"""Tests for the printed banner (SVG and PDF)."""

import io
import re

import pytest
from pypdf import PdfReader

from lifeline import Event, Pin, banner_page_count, banner_pdf, banner_svg, parse_when


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
    # A3 landscape prints 400 mm per page (10 mm margins); each next page repeats 20 mm.
    assert banner_page_count(10.0, "A3", 20) == 27
    assert banner_page_count(0.4, "A3", 20) == 1
    assert banner_page_count(0.5, "A3", 20) == 2
    assert banner_page_count(10.0, "A4", 20) == 39
    with pytest.raises(ValueError):
        banner_page_count(10.0, "A5", 20)


def test_pdf_pages_and_size(events: list[Event], pins: list[Pin]) -> None:
    pdf = banner_pdf(events, pins, length_m=10.0, paper="A3", overlap_mm=20, title="Gezin Bakker")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == banner_page_count(10.0, "A3", 20) == 27
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 420
    assert round(float(box.height) / 72 * 25.4) == 297
    assert "pagina3/27" in re.sub(r"\s", "", reader.pages[2].extract_text())


def test_pdf_in_english_on_a4_refuses_external_resources() -> None:
    event = Event(id=1, title='<img src="file:///etc/passwd">', when=parse_when("2019"))
    pdf = banner_pdf([event], length_m=0.5, paper="A4", lang="en")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == banner_page_count(0.5, "A4", 20)
    assert "page1/2" in re.sub(r"\s", "", reader.pages[0].extract_text())


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
