"""Helpers shared by the browser tests: the API as the logged-in page, consenting participants, opening the demo
case, finding a chart marker, opening a room (group
interview or share-back meeting) on its console and joining it from a phone, by mouse or by keyboard only."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.axe import tab_and_press, tab_to

PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
"""A phone's browser context (``Room.page(**PHONE)``)."""

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


def open_demo_review(page: Page, tail: str = "") -> None:
    """From the dashboard, open the demo case (gezin Bakker), then its page ``tail`` ("/findings") if given."""
    page.locator("a.review-card-link", has_text="gezin Bakker").first.click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    if tail:
        page.goto(page.url + tail)


def open_demo_study(page: Page) -> None:
    """From the list of studies, open the demo study (three cases)."""
    page.goto("/studies")
    page.locator("a.review-card-link", has_text="Drie casussen").click()


_PREPARED = {"gi": "draft", "sb": "prepared"}  # a room's status once prepared, before it opens


def _use(page: Page, selector: str, keyboard: bool) -> None:
    """Click ``selector``, or (``keyboard``) Tab to it and press Enter."""
    if keyboard:
        tab_and_press(page, selector)
    else:
        page.locator(selector).click()


def open_room(page: Page, console: str, prefix: str, *, keyboard: bool = False) -> str:
    """On the room's console, open at ``console`` (``prefix`` "gi": a group interview, "sb": a share-back
    meeting), prepare the room, see it live and prepared, open it; returns the join code it shows."""
    _use(page, f"#{prefix}-gate button.btn-primary", keyboard)
    page.wait_for_url(re.compile(re.escape(console) + "$"))
    expect(page.locator("#gi-conn")).to_have_attribute("data-status", "live")
    expect(page.locator(f"#{prefix}-status")).to_have_attribute("data-status", _PREPARED[prefix])
    _use(page, f"#{prefix}-open", keyboard)
    expect(page.locator(f"#{prefix}-status")).to_have_attribute("data-status", "open")
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    return page.locator("#join-code").inner_text()


def join_room(phone: Page, code: str, name: str, *, landing: str, keyboard: bool = False) -> None:
    """A phone joins with the code and picks ``name`` (by keyboard: the first name, Tab and Enter only, the code
    typed as shown), then lands on ``landing`` with that name on it."""
    phone.goto("/join")
    if keyboard:
        tab_to(phone, "#join-code")
        phone.keyboard.type(code)
        phone.keyboard.press("Enter")
        tab_to(phone, "#join-names .ph-name")
        expect(phone.locator(":focus")).to_have_text(name)
        phone.keyboard.press("Enter")
    else:
        phone.locator("#join-code").fill(code.replace("-", "").lower())
        phone.locator("#join-next").click()
        phone.locator("#join-names .ph-name", has_text=name).click()
    phone.wait_for_url(lambda url: urlsplit(url).path == landing)
    expect(phone.locator(".ph-me")).to_contain_text(name)


def api(page: Page) -> Callable[..., Any]:
    """``call(method, path, body=None)``: the JSON API under /api/v1 as the page's logged-in user (its CSRF token
    read from the page it shows); fails on any answer but 2xx, returns the JSON (None for 204)."""
    token = page.locator("form[action='/logout'] input[name='csrf_token']").get_attribute("value") or ""

    def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = page.request.fetch(f"/api/v1{path}", method=method, data=body, headers={"x-csrf-token": token})
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json() if response.status != 204 else None

    return call


def add_consenting(call: Callable[..., Any], review_id: int, people: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """Participants (pseudonym, role category) who consented in writing to the group interview; their ids."""
    ids: dict[str, int] = {}
    for pseudonym, category in people:
        person = call("POST", f"/reviews/{review_id}/participants", {"pseudonym": pseudonym, "role_category": category})
        ids[pseudonym] = int(person["id"])
        call(
            "POST",
            f"/reviews/{review_id}/participants/{person['id']}/consents",
            {"scope": "group_interview", "given_on": "2026-11-02", "method": "written"},
        )
    return ids
