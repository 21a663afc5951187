"""Helpers shared by the browser tests: opening the demo case, finding a chart marker."""

import re

from playwright.sync_api import Page

# Scrolls the plotly marker whose trace customdata holds ``id`` into view and returns its centre on the screen
# (plotly keeps each point's trace and index on its SVG element; our figures put ids in customdata).
_MARKER_OF = """([chart, id]) => {
  for (const trace of document.querySelectorAll(`${chart} .scatterlayer .trace`)) {
    const customdata = trace.__data__?.[0]?.trace?.customdata || [];
    for (const point of trace.querySelectorAll('path.point')) {
      if (customdata[point.__data__.i] === id) {
        point.scrollIntoView({block: 'center'});
        const box = point.getBoundingClientRect();
        return {x: box.x + box.width / 2, y: box.y + box.height / 2};
      }
    }
  }
  return null;
}"""


def marker_of(page: Page, chart: str, item_id: int) -> dict[str, float] | None:
    """Where on the screen the chart's marker for ``item_id`` is (scrolled into view), or None."""
    where: dict[str, float] | None = page.evaluate(_MARKER_OF, [chart, item_id])
    return where


def open_demo_review(page: Page) -> None:
    """From the dashboard, open the demo case (gezin Bakker)."""
    page.locator("a.review-card-link", has_text="gezin Bakker").first.click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
