"""The group interview live, in three Chromium contexts: the facilitator's console, the shared screen and a phone.

The phone joins by code and places stickers; the shared screen shows no result until the facilitator reveals it,
then shows it; closing the group interview ends the phone's access. Screenshots go to tests/artifacts/gi_*.png.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import APIResponse, Browser, BrowserContext, Page, Route, expect

from tests.browser.pages import PHONE, add_consenting, api, join_room, open_room

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DEMO_OWNER = ("onderzoeker.a@example.org", "demo-leerreview")

PEOPLE = (
    ("Moeder (Anja)", "parent"),
    ("Jongere (Sam)", "child"),
    ("Wijkteam", "professional"),
)


class Room:
    """Extra browser contexts on the live server that fail the test on foreign requests or script errors."""

    def __init__(self, browser: Browser, server: Any) -> None:
        self.browser, self.server = browser, server
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def page(self, **options: Any) -> Page:
        context = self.browser.new_context(base_url=self.server.url, locale="nl-NL", **options)
        context.set_default_timeout(10_000)
        context.on("request", self._check_host)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        return page

    def _check_host(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server.netloc:
            self.problems.append(f"third-party request: {request.url}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def room(browser: Browser, live_server: Any) -> Iterator[Room]:
    extra = Room(browser, live_server)
    try:
        yield extra
    finally:
        extra.close()
    assert not extra.problems, "\n".join(extra.problems)


def log_in(page: Page) -> None:
    page.goto("/login")
    page.locator("#f-email").fill(DEMO_OWNER[0])
    page.locator("#f-password").fill(DEMO_OWNER[1])
    page.locator("form[action='/login'] button").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def new_review(page: Page) -> int:
    """A review with three consenting participants and a small life-line, made through the API."""
    call = api(page)
    review_id = int(
        call("POST", "/reviews", {"title": "Groepsinterview browsertest", "case_pseudonym": "gezin Jansen"})["id"]
    )
    add_consenting(call, review_id, PEOPLE)
    for title, when, lane in (
        ("Sam geboren", "2010", "family"),
        ("Verhuizing naar de stad", "zomer 2016", "family"),
        ("Wijkteam betrokken", "jan. 2021", "care"),
        ("Sam weer naar school", "2022", "school"),
    ):
        call("POST", f"/reviews/{review_id}/lifeline/events", {"title": title, "when": when, "lane": lane})
    return review_id


def shoot(page: Page, name: str, *, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def test_console_screen_and_phone_run_a_sticker_round(page: Page, login: Callable[..., None], room: Room) -> None:
    # The facilitator prepares and opens the group interview on a fresh review.
    login()
    review_id = new_review(page)
    console = f"/reviews/{review_id}/group-interview"
    page.goto(console)
    expect(page.locator("#gi-gate")).to_have_class(re.compile(r"\bgate-ok\b"))
    code = open_room(page, console, "gi")

    # The shared screen (a second laptop window) shows the code and the QR code while joining is open.
    screen = room.page(viewport={"width": 1600, "height": 900})
    log_in(screen)
    screen.goto(f"{console}/screen")
    expect(screen.locator("#scr-code")).to_have_text(code)
    expect(screen.locator("#scr-qr")).to_have_attribute("src", re.compile(r"qr\.svg"))
    expect(screen.locator("#scr-qr")).to_have_js_property("complete", True)
    qr = screen.request.get(screen.locator("#scr-qr").get_attribute("src") or "")
    assert qr.ok and qr.headers["content-type"].startswith("image/svg+xml")
    expect(screen.locator("#scr-figure .main-svg").first).to_be_attached()

    # A phone joins with the code and taps a name.
    phone = room.page(**PHONE, has_touch=True)
    join_room(phone, code, "Moeder (Anja)", landing="/p")
    expect(page.locator("#people-list .gi-person.is-joined")).to_have_count(1)

    # Step 2: a factor from the facilitator and one from the phone appear on the screen.
    page.locator('.gi-step[data-step="2"]').click()
    expect(phone.locator("#ph-factor")).to_be_visible()
    page.locator("#fa-title").fill("Korte lijnen tussen school en wijkteam")
    event_id = page.locator("#fa-event option", has_text="Wijkteam betrokken").get_attribute("value") or ""
    page.locator("#fa-event").select_option(event_id)
    page.locator("#factor-submit").click()
    phone.locator("#fa-title").fill("Iemand die echt naar ons luisterde")
    phone.locator("#fa-moment").fill("voorjaar 2021")
    phone.locator("#factor-form button").click()
    expect(screen.locator(".scr-card")).to_have_count(2)
    expect(phone.locator("#ph-factors li")).to_have_count(2)
    expect(page.locator("#factor-list .gi-factor")).to_have_count(2)
    expect(screen.locator("#scr-figure text", has_text="Iemand die echt naar ons luisterde")).to_be_attached()
    expect(screen.locator(".scr-card.is-new")).to_have_count(0)
    shoot(screen, "gi_screen_factors", full_page=False)

    # Step 4: a round of strengths; the phone places its three stickers, the fourth is refused.
    page.locator('.gi-step[data-step="4"]').click()
    page.locator("#round-add summary").click()
    page.locator("#r-kind").select_option("success")
    page.locator("#round-form button.btn-primary").click()
    page.locator('.gi-round button[data-action="open"]').click()
    expect(page.locator(".gi-round .gi-pill-open")).to_have_count(1)
    votes = phone.locator("#ph-vote-list .ph-vote")
    expect(votes).to_have_count(2)
    first_plus = votes.nth(0).locator(".ph-step-plus")
    first_plus.click()
    expect(votes.nth(0).locator(".ph-vote-count .ph-dot")).to_have_count(1)
    first_plus.click()
    expect(votes.nth(0).locator(".ph-vote-count .ph-dot")).to_have_count(2)
    _take_back_while_the_answer_is_on_its_way(phone, page)
    votes.nth(1).locator(".ph-step-plus").click()
    expect(phone.locator("#ph-dots .ph-dot.is-free")).to_have_count(0)
    shoot(phone, "gi_phone")
    votes.nth(1).locator(".ph-step-plus").click()
    expect(phone.locator("#gi-toast")).to_have_attribute("data-kind", "error")
    expect(phone.locator("#gi-toast")).not_to_be_empty()

    # Pass the tablet: someone without a phone places one sticker on the room's tablet.
    tablet = page.context.new_page()
    tablet.goto(f"{console}/tablet")
    tablet.locator("#tb-names .ph-name", has_text="Jongere (Sam)").click()
    expect(tablet.locator("#tb-name")).to_contain_text("Jongere (Sam)")
    tablet_votes = tablet.locator("#ph-vote-list .ph-vote")
    expect(tablet_votes).to_have_count(2)
    tablet_votes.nth(1).locator(".ph-step-plus").click()
    expect(tablet_votes.nth(1).locator(".ph-vote-count .ph-dot")).to_have_count(1)
    expect(tablet.locator("#ph-dots .ph-dot.is-free")).to_have_count(2)
    shoot(tablet, "gi_tablet")
    tablet.locator("#tb-done").click()
    expect(tablet.locator("#tb-pick")).to_be_visible()
    tablet.close()

    # The facilitator sees the tallies; the screen shows nothing until the reveal.
    bars = page.locator(".gi-round .gi-bar-count")
    expect(bars).to_have_text(["2", "2"])
    expect(screen.locator(".scr-result")).to_have_count(0)
    expect(screen.locator(".gi-bar")).to_have_count(0)

    page.locator('.gi-round button[data-action="close"]').click()
    expect(page.locator(".gi-round .gi-pill-closed")).to_have_count(1)
    page.locator('.gi-round button[data-action="reveal"]').click()
    expect(screen.locator(".scr-result .gi-bar")).to_have_count(2)
    expect(screen.locator(".scr-result .gi-bar-count")).to_have_text(["2", "2"])
    expect(phone.locator("#ph-results .gi-bar")).to_have_count(2)

    shoot(screen, "gi_screen", full_page=False)
    expect(page.locator("#gi-toast")).to_be_hidden(timeout=8_000)
    shoot(page, "gi_console")

    # Closing the group interview ends the phone's access; nothing it did is lost.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#gi-close").click()
    expect(page.locator("#gi-status")).to_have_attribute("data-status", "closed")
    expect(phone.locator("#ph-ended")).to_be_visible()
    expect(page.locator("#summary-rounds .gi-bar-count").first).to_have_text("2")


def _take_back_while_the_answer_is_on_its_way(phone: Page, console: Page) -> None:
    """A "+" whose answer is slow: the room's live update already shows the sticker, and a "−" pressed then waits
    for that answer and takes it back (it was dropped while the "+" was busy)."""
    held: list[tuple[Route, APIResponse]] = []
    # The POST only (a take-back is …/stickers/{id}): the server places it, the answer is kept from the phone.
    phone.route("**/rounds/*/stickers", lambda route: held.append((route, route.fetch())))
    votes = phone.locator("#ph-vote-list .ph-vote")
    dots = votes.nth(1).locator(".ph-vote-count .ph-dot")
    votes.nth(1).locator(".ph-step-plus").click()
    expect(dots).to_have_count(1)  # from the live update: the phone has no answer yet
    votes.nth(1).locator(".ph-step-btn:not(.ph-step-plus)").click()
    for _ in range(500):  # each round trip to the browser lets the route handler finish its fetch
        if held:
            break
        phone.evaluate("0")
    (route, answer), *_more = held
    assert answer.status == 201
    route.fulfill(response=answer)
    phone.unroute("**/rounds/*/stickers")
    expect(dots).to_have_count(0)
    expect(console.locator(".gi-round .gi-bar-count")).to_have_text(["2", "0"])
