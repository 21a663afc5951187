"""The findings tree in a real browser: the figure, clicking a node shows its evidence, reordering by keyboard
(Alt+↓) persists after a reload. The screenshot goes to tests/artifacts/findings.png."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import marker_of, open_demo_review

pytestmark = pytest.mark.browser

FIRST = "Eén casemanager met mandaat"
SECOND = "Noor praat zelf over wat ze nodig heeft"
TOP_TITLES = "#tree-region .tree-top[data-branch='success'] > li.tree-item > .node-row .node-title"


def test_reorder_by_keyboard_and_see_evidence(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_review(page, "/findings")
    expect(page.locator("h1")).to_have_text("Bevindingenboom")
    chart = page.locator("#findings-chart")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator(".main-svg text", has_text="Noor woont sinds 2023").first).to_be_visible()

    titles = page.locator(TOP_TITLES)
    expect(titles.nth(0)).to_have_text(FIRST)
    expect(titles.nth(1)).to_have_text(SECOND)

    # Click the first main factor in the figure: its evidence appears beside it.
    row = page.locator(".node-row", has=page.locator(".node-title", has_text=FIRST)).first
    node_id = int(row.get_attribute("data-node-id") or "0")
    where = marker_of(page, "#findings-chart", node_id)
    assert where is not None
    page.mouse.click(where["x"], where["y"])
    panel = page.locator("#evidence-panel")
    expect(panel.locator(".panel-title")).to_have_text(FIRST)
    expect(panel.locator(".evidence-item").first).to_be_visible()

    # Alt+↓ on the first main factor moves it one down among its siblings.
    row.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(titles.nth(0)).to_have_text(SECOND)
    expect(titles.nth(1)).to_have_text(FIRST)
    expect(page.locator(f"#node-{node_id}")).to_be_focused()

    page.reload()
    expect(titles.nth(0)).to_have_text(SECOND)
    expect(titles.nth(1)).to_have_text(FIRST)

    # Alt+↑ puts it back; then select it for the screenshot.
    page.locator(f"#node-{node_id}").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(titles.nth(0)).to_have_text(FIRST)
    expect(chart).to_have_attribute("data-ready", "1")
    page.locator(f"#node-{node_id}").click()
    expect(page.locator("#inspector .panel-title")).to_have_text(FIRST)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("findings")
