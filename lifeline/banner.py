"""The printed life-line: one long SVG banner (the ~10 m wallpaper roll) and a PDF split over glued pages."""

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Final, TypedDict, Unpack

from lifeline._geometry import (
    HINDERING_COLOUR,
    PIN_LANE,
    SUCCESS_COLOUR,
    Band,
    bands,
    lane_colour,
    tint,
)
from lifeline._labels import MAX_LABEL_CHARS, event_label
from lifeline._lang import Lang, norm_lang
from lifeline.dates import Period
from lifeline.events import Event, Pin, lane_label, pin_when
from lifeline.layout import Packer, Placement, horizon_of, lanes_in_order, rows_per_lane
from lifeline.text import escape, quoteattr

PAPER_MM: Final[dict[str, tuple[float, float]]] = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}  # landscape
PRINTER_MARGIN_MM: Final = 10.0
"""Nothing is drawn closer to the paper's edge than this: most office printers cannot print there."""
MARK_BAND_MM: Final = 8.0
"""Inside the printer margin, a band around the banner for crop and glue marks and the page number."""
PAGE_MARGIN_MM: Final = PRINTER_MARGIN_MM + MARK_BAND_MM
"""From the paper's edge to the banner on every page."""
PDF_VARIANT: Final = "pdf/ua-1"
"""Every PDF we make is tagged PDF/UA-1 (title, language, structure) for screen readers."""
CHAR_WIDTH_EM: Final = 0.56
FONT_FAMILY: Final = "sans-serif"

_WORDS: Final[dict[Lang, dict[str, str]]] = {
    "nl": {
        "title": "Levenslijn",
        "pins": "Groepsgesprek",
        "page": "pagina",
        "glue": "lijmrand",
        "scale": "Druk af op 100 % (werkelijke grootte), niet ‘passend maken’: deze balk is dan precies 10 cm.",
        "banner": "Levenslijn als spandoek, pagina {n} van {count}",
        "undated": "Nog niet gedateerd",
    },
    "en": {
        "title": "Life-line",
        "pins": "Group interview",
        "page": "page",
        "glue": "glue strip",
        "scale": "Print at 100 % (actual size), not ‘fit to page’: this bar is then exactly 10 cm.",
        "banner": "Life-line banner, page {n} of {count}",
        "undated": "Not dated yet",
    },
}


def _attr(value: str) -> str:
    return quoteattr(value)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class _Scale:
    """Maps dates to millimetres along the banner."""

    def __init__(self, low: date, high: date, x0: float, x1: float) -> None:
        self.low = low
        self.x0 = x0
        self.mm_per_day = (x1 - x0) / max(1, (high - low).days)

    def x(self, day: date) -> float:
        return self.x0 + (day - self.low).days * self.mm_per_day


def _pin_events(pins: Iterable[Pin], events: Sequence[Event]) -> list[tuple[Pin, Event]]:
    result: list[tuple[Pin, Event]] = []
    for index, pin in enumerate(pins):
        when = pin_when(pin, events)
        if when is not None and pin.label.strip():
            result.append((pin, Event(id=f"pin-{index}", title=pin.label, when=when, lane=PIN_LANE)))
    return result


def _body(
    events: Sequence[Event],
    pins: Iterable[Pin],
    *,
    width_mm: float,
    height_mm: float,
    lang: Lang,
    title: str | None,
    undated: Sequence[tuple[str, str]] = (),
) -> str:
    """Return the SVG content (defs and drawing) of a banner of the given size, in millimetre user units;
    ``undated`` (title, words as said) are listed beside the heading, so that the wall shows them too."""
    words = _WORDS[lang]
    pinned = _pin_events(pins, events)
    everything = [*events, *(pseudo for _, pseudo in pinned)]
    lanes = lanes_in_order(events, all_standard=not events)
    if pinned:
        lanes = [PIN_LANE, *lanes]
    title_size = min(height_mm * 0.045, 40.0)
    axis_size = min(height_mm * 0.03, 16.0)
    top = title_size * 1.6 + axis_size * 1.8
    bottom = height_mm - axis_size * 1.8
    left = min(width_mm * 0.06, 220.0)
    right = width_mm - min(width_mm * 0.01, 40.0)

    horizon = horizon_of(everything) or date(2000, 1, 1)
    low = min((e.earliest() for e in everything), default=date(1999, 1, 1))
    high = max(horizon, low + timedelta(days=365))
    placements: list[Placement] = []
    font = 10.0
    packer = Packer(everything, lang=lang, horizon=horizon, point_lanes=(PIN_LANE,))
    for _ in range(4):
        scale = _Scale(low, high, left, right)
        rows = rows_per_lane(placements)
        units = sum(max(1, rows.get(lane, 0)) for lane in lanes) + 0.5 * max(0, len(lanes) - 1)
        font = max(3.0, min(14.0, (bottom - top) / max(units, 1) * 0.5))
        days_per_char = font * CHAR_WIDTH_EM / scale.mm_per_day
        placements = packer.pack(days_per_char)
        new_high = max((p.x_end for p in placements), default=high)
        if new_high <= high and rows_per_lane(placements) == rows:
            break
        high = max(high, new_high)
    scale = _Scale(low, high + timedelta(days=30), left, right)
    all_bands = bands(lanes, rows_per_lane(placements))
    units = all_bands[-1].y1 + 0.5 if all_bands else 1.0
    row_mm = (bottom - top) / units
    font = max(3.0, min(14.0, row_mm * 0.5))

    def y(value: float) -> float:
        return top + (value + 0.5) * row_mm

    out: list[str] = []
    colours = {band.lane: ("#777777" if band.lane == PIN_LANE else lane_colour(band.lane)) for band in all_bands}
    out.append("<defs>")
    for index, band in enumerate(all_bands):
        colour = colours[band.lane]
        for name, (a, b) in (("out", (0.55, 0.0)), ("in", (0.0, 0.55))):  # fading edges of open ranges
            out.append(
                f'<linearGradient id="hatch{index}{name}"><stop offset="0" stop-color="{colour}" stop-opacity="{a}"/>'
                f'<stop offset="1" stop-color="{colour}" stop-opacity="{b}"/></linearGradient>'
            )
    out.append("</defs>")
    out.append(f'<rect x="0" y="0" width="{_num(width_mm)}" height="{_num(height_mm)}" fill="white"/>')
    heading = title if title is not None else words["title"]
    out.append(
        f'<text x="{_num(left)}" y="{_num(title_size * 1.2)}" font-size="{_num(title_size)}" '
        f'font-weight="bold" fill="#1a1a1a">{escape(heading)}</text>'
    )
    if undated:
        out.append(
            _shelf(undated, words["undated"], left + len(heading) * title_size * 0.62 + title_size, right, title_size)
        )
    # lane bands, with the lane name repeated along the roll
    for index, band in enumerate(all_bands):
        colour = colours[band.lane]
        y0, y1 = y(band.y0), y(band.y1)
        out.append(
            f'<rect x="0" y="{_num(y0)}" width="{_num(width_mm)}" height="{_num(y1 - y0)}" '
            f'fill="{tint(colour, 0.9)}"/>'
            f'<rect x="0" y="{_num(y0)}" width="{_num(min(6.0, width_mm * 0.002))}" height="{_num(y1 - y0)}" '
            f'fill="{colour}"/>'
        )
        name = words["pins"] if band.lane == PIN_LANE else lane_label(band.lane, lang)
        step = 2000.0
        x = font
        while x < width_mm - font * 8:
            out.append(
                f'<text x="{_num(x)}" y="{_num(y0 + font * 1.1)}" font-size="{_num(font * 0.9)}" '
                f'font-weight="bold" fill="{colour}" opacity="0.85">{escape(name)}</text>'
            )
            x += step
        _ = index
    # years
    year = low.year
    while date(year, 1, 1) <= scale.low + timedelta(days=int((right - left) / scale.mm_per_day)):
        x = scale.x(date(year, 1, 1))
        if left <= x <= right:
            out.append(
                f'<line x1="{_num(x)}" y1="{_num(top - axis_size * 0.4)}" x2="{_num(x)}" y2="{_num(bottom)}" '
                f'stroke="#9a9a9a" stroke-width="0.4" stroke-dasharray="2 2"/>'
            )
            middle = x + 182.6 * scale.mm_per_day
            for ty in (top - axis_size * 0.6, bottom + axis_size * 1.3):
                out.append(
                    f'<text x="{_num(middle)}" y="{_num(ty)}" font-size="{_num(axis_size)}" '
                    f'text-anchor="middle" fill="#333333">{year}</text>'
                )
        year += 1
    # events
    band_index = {band.lane: index for index, band in enumerate(all_bands)}
    band_of = {band.lane: band for band in all_bands}
    by_id = {p.event_id: p for p in placements}
    for event in events:
        _draw_event(
            out,
            event,
            by_id[event.id],
            band_of[event.lane],
            band_index[event.lane],
            scale,
            y,
            row_mm,
            font,
            horizon,
            lang,
        )
    for pin, pseudo in pinned:
        placement = by_id[pseudo.id]
        band = band_of[PIN_LANE]
        colour = SUCCESS_COLOUR if pin.kind == "success" else HINDERING_COLOUR
        x = scale.x(pseudo.when.midpoint())
        cy = y(band.top + placement.row)
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(bottom)}" stroke="{colour}" '
            f'stroke-width="0.6" stroke-dasharray="3 2" opacity="0.8"/>'
        )
        size = font * 0.8
        if pin.kind == "success":
            points = [(x, cy - size * 0.6), (x - size * 0.6, cy + size * 0.5), (x + size * 0.6, cy + size * 0.5)]
        else:
            points = [(x, cy + size * 0.6), (x - size * 0.6, cy - size * 0.5), (x + size * 0.6, cy - size * 0.5)]
        out.append(
            f'<polygon points="{" ".join(f"{_num(px)},{_num(py)}" for px, py in points)}" fill="{colour}" '
            f'stroke="white" stroke-width="0.3"/>'
        )
        out.append(_label(x + size * 0.8, cy, event_label(pseudo, lang), font))
    return "".join(out)


def _shelf(undated: Sequence[tuple[str, str]], heading: str, x: float, right: float, title_size: float) -> str:
    """The undated events in one line beside the heading: "Nog niet gedateerd (2): Eerste melding (“weet ik
    niet meer”) · …", cut to the space there is."""
    font = title_size * 0.45
    room = max(0, int((right - x) / (font * CHAR_WIDTH_EM)))
    items = [f"{name} (“{said}”)" if said else name for name, said in undated]
    text = f"{heading} ({len(items)}): " + " · ".join(items)
    if len(text) > room:
        text = text[: max(0, room - 1)].rstrip() + "…"
    return (
        f'<text x="{_num(x)}" y="{_num(title_size * 1.2)}" font-size="{_num(font)}" fill="#333333" '
        f'font-style="italic">{escape(text)}</text>'
    )


def hatch_step(font: float) -> float:
    """The distance between hatch lines, rounded to 0.5 mm so that their grid is exact in the SVG's numbers."""
    return max(0.5, round(font * 0.5 * 2) / 2)


def _hatched(x0: float, y0: float, width: float, height: float, colour: str, step: float) -> str:
    """A rectangle hatched with diagonal lines on one grid for the whole banner (``x + y`` a multiple of
    ``step``), so that the hatching of an event cut by a page edge lines up on the glued pages. Lines are
    drawn, not a pattern: a pattern tiles from each drawing's own origin in some PDF renderers."""
    x1, y1 = x0 + width, y0 + height
    segments = []
    k = math.ceil((x0 + y0) / step)
    while k * step <= x1 + y1:
        c = k * step
        ax, bx = max(x0, c - y1), min(x1, c - y0)
        if bx > ax:
            segments.append(f"M{_num(ax)} {_num(c - ax)}L{_num(bx)} {_num(c - bx)}")
        k += 1
    return (
        f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(width)}" height="{_num(height)}" '
        f'fill="{tint(colour, 0.75)}"/>'
        f'<path class="hatch" d="{"".join(segments)}" stroke="{colour}" stroke-width="{_num(step * 0.3)}"/>'
    )


def _label(x: float, y: float, text: str, font: float) -> str:
    return (
        f'<text x="{_num(x)}" y="{_num(y + font * 0.35)}" font-size="{_num(font)}" fill="#1a1a1a">{escape(text)}</text>'
    )


def _draw_event(
    out: list[str],
    event: Event,
    placement: Placement,
    band: Band,
    hatch: int,
    scale: _Scale,
    y: Any,
    row_mm: float,
    font: float,
    horizon: date,
    lang: Lang,
) -> None:
    """Append one event's shapes: hatched uncertain range, solid core bar or diamond, and its label."""
    colour = lane_colour(event.lane)
    cy = y(band.top + placement.row)
    first, last = event.earliest(), event.latest() + timedelta(days=1)
    when = event.when
    label = event_label(event, lang, MAX_LABEL_CHARS)
    if isinstance(when, Period):
        thick = row_mm * 0.56
        fade: tuple[date, date, str] | None = None
        if when.end is None:  # open end: fades out towards the end of the life-line
            last = max(last, horizon)
            start = when.known.latest()
            fade_from = max(start, last - timedelta(days=max(365, round((last - start).days * 0.4))))
            fade, core, last = (fade_from, last, "out"), (start, fade_from), fade_from
        elif when.start is None:  # no known start: fades in from the start of the life-line
            end = when.end.earliest() + timedelta(days=1)
            first = min(first, scale.low, end - timedelta(days=730))
            fade_to = min(end, first + timedelta(days=max(365, round((end - first).days * 0.4))))
            fade, core, first = (first, fade_to, "in"), (fade_to, end), fade_to
        else:
            core = (when.start.latest(), when.end.earliest() + timedelta(days=1))
        if fade is not None:
            f0, f1 = scale.x(fade[0]), scale.x(fade[1])
            out.append(
                f'<rect class="fade" x="{_num(f0)}" y="{_num(cy - thick / 2)}" width="{_num(max(0.5, f1 - f0))}" '
                f'height="{_num(thick)}" fill="url(#hatch{hatch}{fade[2]})"/>'
            )
        x0, x1 = scale.x(first), scale.x(last)
        out.append(_hatched(x0, cy - thick / 2, max(0.5, x1 - x0), thick, colour, hatch_step(font)))
        c0, c1 = scale.x(core[0]), scale.x(core[1])
        if c1 > c0:
            out.append(
                f'<rect x="{_num(c0)}" y="{_num(cy - thick / 2)}" width="{_num(c1 - c0)}" height="{_num(thick)}" '
                f'fill="{colour}" opacity="0.55"/>'
            )
        out.append(_label(x0 + font * 0.3, cy, label, font))
        return
    if (last - first).days >= 3:
        thick = row_mm * 0.26
        x0, x1 = scale.x(first), scale.x(last)
        out.append(_hatched(x0, cy - thick / 2, x1 - x0, thick, colour, hatch_step(font)))
    x = scale.x(when.midpoint())
    r = font * 0.5
    out.append(
        f'<polygon points="{_num(x)},{_num(cy - r)} {_num(x + r)},{_num(cy)} {_num(x)},{_num(cy + r)} '
        f'{_num(x - r)},{_num(cy)}" fill="{colour}" stroke="white" stroke-width="0.3"/>'
    )
    out.append(_label(x + r * 1.6, cy, label, font))


def banner_svg(
    events: Iterable[Event],
    pins: Iterable[Pin] = (),
    *,
    length_m: float = 10.0,
    height_m: float = 0.9,
    lang: str = "nl",
    title: str | None = None,
    undated: Sequence[tuple[str, str]] = (),
) -> str:
    """Return the whole life-line as one long SVG banner, sized in millimetres (10 m → width="10000mm").

    Every text that comes from the caller (titles, lanes, pin labels, the heading) is XML-escaped, so the result
    is safe to embed in a page as markup.
    """
    if length_m <= 0 or height_m <= 0:
        raise ValueError("the banner needs a positive length and height")
    width, height = length_m * 1000, height_m * 1000
    body = _body(
        list(events), pins, width_mm=width, height_mm=height, lang=norm_lang(lang), title=title, undated=undated
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}mm" height="{_num(height)}mm" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" font-family="{FONT_FAMILY}">{body}</svg>'
    )


def _page_geometry(paper: str, overlap_mm: float) -> tuple[float, float, float, float]:
    """Return page width, page height, printable banner width and the step from page to page, in mm."""
    if paper not in PAPER_MM:
        raise ValueError(f"unknown paper {paper!r}: use A3 or A4")
    page_w, page_h = PAPER_MM[paper]
    content_w = page_w - 2 * PAGE_MARGIN_MM
    if not 0 <= overlap_mm < content_w / 2:
        raise ValueError("the overlap must be between 0 and half the printable width")
    return page_w, page_h, content_w, content_w - overlap_mm


def banner_page_count(length_m: float, paper: str = "A3", overlap_mm: float = 20) -> int:
    """Return how many landscape pages a banner of ``length_m`` needs: each page prints its width minus
    18 mm on each side (10 mm the printer cannot reach, 8 mm for the marks), and each next page repeats the
    last ``overlap_mm`` of the previous one to glue on."""
    _, _, content_w, step = _page_geometry(paper, overlap_mm)
    length = length_m * 1000
    if length <= content_w:
        return 1
    return math.ceil((length - overlap_mm) / step - 1e-9)


class BannerOptions(TypedDict, total=False):
    """What ``banner_pdf`` passes on to ``banner_document`` (whose signature holds the defaults)."""

    length_m: float
    paper: str
    overlap_mm: float
    lang: str
    title: str | None
    undated: Sequence[tuple[str, str]]


def banner_pdf(events: Iterable[Event], pins: Iterable[Pin] = (), **options: Unpack[BannerOptions]) -> bytes:
    """Return the banner as a tagged PDF (PDF/UA-1, with title and language) over landscape pages with
    overlap; crop and glue marks, page numbers and (on page 1) a 10 cm bar to check the print scale, all
    inside the printable area, at least 10 mm from the paper's edge."""
    return self_contained_pdf(banner_document(events, pins, **options))


def self_contained_pdf(document: str) -> bytes:
    """Return a standalone HTML document as tagged PDF/UA-1 (title and language from its ``<title>`` and
    ``<html lang>``), every URL it names refused: nothing is read from files or the network while printing."""
    import weasyprint  # deferred: WeasyPrint is slow to import and only needed for print

    pdf = weasyprint.HTML(string=document, url_fetcher=_refusing_fetcher()).write_pdf(pdf_variant=PDF_VARIANT)
    return bytes(pdf)


def banner_document(
    events: Iterable[Event],
    pins: Iterable[Pin] = (),
    *,
    length_m: float = 10.0,
    paper: str = "A3",
    overlap_mm: float = 20,
    lang: str = "nl",
    title: str | None = None,
    undated: Sequence[tuple[str, str]] = (),
) -> str:
    """Return the HTML that ``banner_pdf`` prints: one ``div.page`` with one SVG (in mm) per page."""
    language = norm_lang(lang)
    words = _WORDS[language]
    page_w, page_h, content_w, step = _page_geometry(paper, overlap_mm)
    count = banner_page_count(length_m, paper, overlap_mm)
    length = length_m * 1000
    m, p = PAGE_MARGIN_MM, PRINTER_MARGIN_MM
    content_h = page_h - 2 * m
    body = _body(list(events), pins, width_mm=length, height_mm=content_h, lang=language, title=title, undated=undated)
    heading = escape(title if title is not None else words["title"])
    pages: list[str] = []
    for index in range(count):
        x0 = index * step
        marks = _page_marks(page_w, page_h, content_w, overlap_mm, last=index == count - 1)
        glue = ""
        if index < count - 1 and overlap_mm > 0:
            gx = m + content_w - overlap_mm
            glue = (
                f'<text x="{_num(gx + overlap_mm / 2)}" y="{_num(page_h - p - 1.5)}" font-size="2.6" '
                f'text-anchor="middle" fill="#555555">{escape(words["glue"])}</text>'
            )
        label = escape(words["banner"].format(n=index + 1, count=count))
        pages.append(
            f'<div class="page"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label={_attr(label)} '
            f'width="{_num(page_w)}mm" height="{_num(page_h)}mm" viewBox="0 0 {_num(page_w)} {_num(page_h)}" '
            f'font-family="{FONT_FAMILY}"><title>{label}</title>'
            f'<svg x="{_num(m)}" y="{_num(m)}" width="{_num(content_w)}" height="{_num(content_h)}" '
            f'viewBox="{_num(x0)} 0 {_num(content_w)} {_num(content_h)}" overflow="hidden">'
            f"{body}</svg>"
            f"{marks}{glue}{_scale_bar(words['scale']) if index == 0 else ''}"
            f'<text x="{_num(page_w / 2)}" y="{_num(page_h - p - 2)}" font-size="3.2" text-anchor="middle" '
            f'fill="#333333">{heading} — {words["page"]} {index + 1} / {count}</text></svg></div>'
        )
    return (
        f"<!doctype html><html lang={_attr(language)}><head><meta charset='utf-8'>"
        f"<title>{escape(words['title'])}{' — ' + heading if title else ''}</title><style>"
        f"@page {{ size: {_num(page_w)}mm {_num(page_h)}mm; margin: 0 }}"
        "html, body { margin: 0; padding: 0 }"
        f".page {{ width: {_num(page_w)}mm; height: {_num(page_h)}mm; overflow: hidden; break-after: page }}"
        ".page:last-child { break-after: auto } svg { display: block }"
        "</style></head><body>" + "".join(pages) + "</body></html>"
    )


def _scale_bar(note: str) -> str:
    """A 10 cm bar with centimetre ticks and the note to print at 100 %, in the top mark band of page 1."""
    x, y = PAGE_MARGIN_MM + 10, PRINTER_MARGIN_MM + 4.5
    ticks = "".join(
        f'<line x1="{_num(x + i * 10)}" y1="{_num(y - 1.2)}" x2="{_num(x + i * 10)}" y2="{_num(y + 1.5)}" '
        f'stroke="#333333" stroke-width="0.25"/>'
        for i in range(11)
    )
    return (
        f'<g class="scale"><rect x="{_num(x)}" y="{_num(y)}" width="100" height="1.5" fill="#333333"/>{ticks}'
        f'<text x="{_num(x + 104)}" y="{_num(y + 1.5)}" font-size="3" fill="#333333">{escape(note)}</text></g>'
    )


def _page_marks(page_w: float, page_h: float, content_w: float, overlap: float, *, last: bool) -> str:
    """Return crop marks at the banner's corners and a dashed glue line where the next page overlaps, in the
    mark band between the printer margin and the banner (never closer than 10 mm to the paper's edge)."""
    m, p = PAGE_MARGIN_MM, PRINTER_MARGIN_MM
    gap = 2.0
    lines: list[tuple[float, float, float, float]] = []
    for cx in (m, m + content_w):
        lines.append((cx, p, cx, m - gap))
        lines.append((cx, page_h - m + gap, cx, page_h - p))
    for cy in (m, page_h - m):
        lines.append((p, cy, m - gap, cy))
        lines.append((m + content_w + gap, cy, page_w - p, cy))
    parts = [
        f'<line x1="{_num(a)}" y1="{_num(b)}" x2="{_num(c)}" y2="{_num(d)}" stroke="black" stroke-width="0.25"/>'
        for a, b, c, d in lines
    ]
    if not last and overlap > 0:
        gx = m + content_w - overlap
        for y0, y1 in ((p, m - gap), (page_h - m + gap, page_h - p)):
            parts.append(
                f'<line x1="{_num(gx)}" y1="{_num(y0)}" x2="{_num(gx)}" y2="{_num(y1)}" stroke="#555555" '
                f'stroke-width="0.3" stroke-dasharray="2 1.5"/>'
            )
    return "".join(parts)


def _refusing_fetcher() -> Any:
    """Return a WeasyPrint URL fetcher that refuses every URL: no file or network access while printing."""
    from weasyprint.urls import URLFetcher

    class _Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            raise ValueError(f"external resources are not allowed: {url}")

    return _Refuse()
