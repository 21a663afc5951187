"""Sharing in a real browser: a researcher creates a share link on the report page; a fresh browser context
(no account, no cookies) opens it and sees the findings tree, the life-line and the report. Screenshots go to
tests/artifacts/share.png and tests/artifacts/report-page.png."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer
from tests.browser.pages import open_demo_review

pytestmark = pytest.mark.browser


@pytest.fixture
def stranger(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A second, fresh browser context: someone from a team who only got the link."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    foreign: list[str] = []
    context.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).netloc not in ("", live_server.netloc) and request.url.startswith("http")
            else None
        ),
    )
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not foreign, foreign


def test_share_link_opens_in_a_fresh_context(
    page: Page, stranger: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_review(page)
    page.locator(".subnav a", has_text="Rapport & delen").click()
    expect(page.locator(".page-head h1")).to_have_text("Rapport & delen")
    expect(page.locator(".report h2").first).to_be_visible()

    expires = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    page.locator("#f-label").fill("Wijkteam Oost")
    page.locator("#f-expires_at").fill(expires)
    page.locator("form.share-form button").click()
    url_box = page.locator(".share-url input")
    expect(url_box).to_be_visible()
    url = url_box.input_value()
    assert re.search(r"/s/[A-Za-z0-9_-]{43}$", url)
    expect(page.locator(".share-item", has_text="Wijkteam Oost")).to_be_visible()
    screenshot("report-page")

    path = urlsplit(url).path
    stranger.goto(path)
    expect(stranger.locator(".page-head h1")).to_have_text("Casusonderzoek gezin Bakker")
    expect(stranger.locator(".share-success")).to_contain_text("Noor woont sinds 2023")
    expect(stranger.locator(".share-node-row", has_text="Eén casemanager met mandaat").first).to_be_visible()
    expect(stranger.locator(".share-figure svg").first).to_be_visible()
    expect(stranger.locator("form[action='/logout']")).to_have_count(0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stranger.screenshot(path=str(ARTIFACTS / "share.png"), full_page=False)

    stranger.locator(".share-tabs a", has_text="Rapport").first.click()
    expect(stranger.locator(".report h2", has_text="De casus in het kort")).to_be_visible()

    # revoked: the same link shows that it is no longer valid
    page.locator(".share-item", has_text="Wijkteam Oost").locator("button").click()
    expect(page.locator(".share-item.share-inactive", has_text="Wijkteam Oost")).to_be_visible()
    response = stranger.goto(path)
    assert response is not None and response.status == 404
    expect(stranger.locator("main")).to_contain_text("niet meer geldig")
