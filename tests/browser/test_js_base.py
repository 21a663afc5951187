"""The JavaScript base (static/js/lib/) in a real browser: every write a page script sends carries the page's
CSRF token, and a call that cannot reach the service is said in the page's language in an aria-live region
(the findings tree threw an uncaught error before; the study's matrix failed silently) and changes nothing."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.browser.pages import open_demo_review

pytestmark = pytest.mark.browser

NO_CONNECTION = "Geen verbinding. Er is niets opgeslagen: controleer de wifi en probeer het opnieuw."
MATRIX = re.compile(r"/api/v1/studies/\d+/matrix\?")
TOP_ROWS = "#tree-region .tree-top[data-branch='success'] > li.tree-item > .node-row"


def _offline(route: Route) -> None:
    route.abort("internetdisconnected")


def test_a_tree_move_without_connection_is_said_and_changes_nothing(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_review(page, "/findings")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    writes: list[Request] = []
    page.on("request", lambda r: writes.append(r) if "/api/v1/" in r.url and r.method != "GET" else None)
    titles = page.locator(f"{TOP_ROWS} .node-title")
    first = titles.nth(0).inner_text()

    page.route("**/findings-tree/nodes/*/move", _offline)
    page.locator(TOP_ROWS).first.focus()
    page.keyboard.press("Alt+ArrowDown")
    error = page.locator("#tree-error[role='alert']")
    expect(error).to_have_text(NO_CONNECTION)
    expect(titles.nth(0)).to_have_text(first)
    screenshot("js-offline-tree")

    page.unroute("**/findings-tree/nodes/*/move")
    page.keyboard.press("Alt+ArrowDown")
    expect(titles.nth(1)).to_have_text(first)
    expect(error).to_be_hidden()
    page.keyboard.press("Alt+ArrowUp")  # put it back for the other tests
    expect(titles.nth(0)).to_have_text(first)
    assert len(writes) == 3
    assert all(r.headers.get("x-csrf-token") == token for r in writes)


def test_a_study_matrix_that_cannot_load_says_so(page: Page, login: Callable[..., None]) -> None:
    login()
    page.route(MATRIX, _offline)
    page.locator(".topnav a", has_text="Studies").click()
    page.locator("a.review-card-link", has_text="Drie casussen").click()
    status = page.locator("#matrix-status[role='alert']")
    expect(status).to_have_text(NO_CONNECTION)

    page.unroute(MATRIX)
    page.locator("#matrix-measure").select_option("stickers")
    expect(page.locator("#matrix-figure")).to_have_attribute("data-ready", "1")
    expect(status).to_be_hidden()
