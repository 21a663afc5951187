"""The life-line in a real browser: add an event with a vague date, see it in the table and on the chart, zoom,
click its marker to reach its row. The screenshot goes to tests/artifacts/lifeline.png."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import marker_of, open_demo_review

pytestmark = pytest.mark.browser

TITLE = "Noor wisselt van school"

# Pairs of event labels on the chart whose boxes overlap (by more than a hair).
_OVERLAPPING_LABELS = """(chart) => {
  const boxes = [...document.querySelectorAll(`${chart} .scatterlayer .textpoint text`)]
    .map((e) => e.getBoundingClientRect()).filter((b) => b.width > 0);
  const pairs = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 2 && h > 2) { pairs.push([a.x, a.y, b.x, b.y]); }
  }));
  return [boxes.length, pairs];
}"""


def test_add_a_vague_event_see_it_on_the_chart_zoom_and_click(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_review(page, "/lifeline")
    chart = page.locator("#lifeline-chart")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator(".main-svg text", has_text="Ondertoezichtstelling").first).to_be_visible()
    # The page's figure is packed for 1600 px; this chart is narrower, so it is packed again for its width,
    # and no two labels overlap (with the 1600 px packing at this width, some did).
    expect(chart).to_have_attribute("data-fitted-width", re.compile(r"^\d+$"))
    fitted = int(chart.get_attribute("data-fitted-width") or 0)
    assert abs(fitted - chart.bounding_box()["width"]) < 40 and fitted < 1600  # type: ignore[index]
    labels, overlapping = page.evaluate(_OVERLAPPING_LABELS, "#lifeline-chart")
    assert labels > 15 and overlapping == []

    # A new event with a vague date through the form.
    page.locator("#add #f-title").fill(TITLE)
    page.locator("#add #f-lane").fill("school")
    page.locator("#add #f-when").fill("voorjaar 2019")
    page.locator("#add #f-source").fill("interview intern begeleider")
    page.locator("#add button.btn-primary").click()
    page.wait_for_url(re.compile(r"/lifeline(#events)?$"))

    row = page.locator("table.events-table tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator("td.when")).to_have_text("voorjaar 2019")
    expect(row).to_contain_text("School")
    event_id = int((row.get_attribute("id") or "").removeprefix("event-"))

    expect(chart).to_have_attribute("data-ready", "1")
    label = chart.locator(".main-svg text", has_text=TITLE)
    expect(label).to_have_count(1)
    expect(label).to_be_visible()

    # Zoom to 2018–2020: the axis shows those years only, the new event stays in view.
    page.locator("#zoom-from").fill("2018")
    page.locator("#zoom-to").fill("2020")
    page.locator("#zoom-form button:not([type='button'])").first.click()
    expect(chart.locator(".xtick text").first).to_have_text(re.compile(r"^2018$"))
    assert chart.locator(".xtick text").all_text_contents() == ["2018", "2019", "2020"]  # one tick per year
    assert page.evaluate("document.getElementById('lifeline-chart').layout.xaxis.range[0]").startswith("2018-01-01")
    expect(label).to_be_visible()

    # Pointing at the event's marker shows its hover label (plotly's hover layer needs its stylesheet under our
    # CSP); a click on it brings its table row into view.
    marker = marker_of(page, "#lifeline-chart", event_id)
    assert marker is not None, "the new event has no marker carrying its id"
    page.mouse.move(marker["x"], marker["y"])
    hover = chart.locator(".hoverlayer .hovertext")
    expect(hover).to_have_count(1)
    expect(hover).to_contain_text(TITLE)
    expect(hover).to_contain_text("voorjaar 2019")
    # plotly's <b> becomes a style attribute the CSP refuses; our stylesheet makes it bold all the same
    assert hover.locator("tspan", has_text=TITLE).last.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    lane = chart.locator(".ytick tspan", has_text="School")
    assert lane.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    screenshot("lifeline-hover")
    page.mouse.click(marker["x"], marker["y"])
    expect(row).to_have_class(re.compile(r"\bis-flash\b"))
    expect(row).to_be_in_viewport()

    page.evaluate("window.scrollTo(0, 0)")
    screenshot("lifeline")

    # The whole life-line again.
    page.locator("#zoom-reset").click()
    expect(chart.locator(".xtick text", has_text="2006")).to_have_count(1)
    assert len(chart.locator(".xtick text").all_text_contents()) < 18  # back to the whole life-line's ticks
