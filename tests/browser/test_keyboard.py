"""Keyboard only, as someone without a mouse works: the facilitator's console, a phone and the room's tablet run a
group interview (prepare, open, join, name factors, a sticker round), and a researcher reorders and rewrites the
findings tree. Every control is reached with Tab and used with Enter or the arrow keys; nothing is clicked. On the
way, axe-core checks the states that the page-type test does not show (proposals, factors, the tablet between two
people).

When the room changes step, the phone moves its focus to the new step's heading and says the step in a live
region (the console and the shared screen say it too); after a sticker the focus stays on the button that placed
it, so the next Enter places the next one. In the share-back meeting the phone does the same for each finding
the facilitator shows, and a reaction and a comment need only Tab and Enter.
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible, tab_and_press, tab_to
from tests.browser.pages import PHONE, join_room, open_demo_review, open_room
from tests.browser.test_group_interview import Room, new_review, room  # noqa: F401  (the room fixture)

pytestmark = pytest.mark.browser


def _step(console: Page, phone: Page, step: int) -> None:
    """The console goes to ``step`` (Tab, Enter): the phone says it and puts its focus on the step's heading."""
    tab_and_press(console, f'.gi-step[data-step="{step}"]')
    expect(phone.locator("#ph-step-title")).to_be_focused()
    expect(phone.locator("#ph-step-live")).to_contain_text(f"Stap {step} van 5")


def test_console_and_phone_by_keyboard_only(
    page: Page,
    login: Callable[..., None],
    room: Room,  # noqa: F811  (the fixture imported above)
) -> None:
    login()
    console = f"/reviews/{new_review(page)}/group-interview"
    page.goto(console)

    # The facilitator prepares and opens the group interview.
    code = open_room(page, console, "gi", keyboard=True)
    screen = page.context.new_page()  # the shared screen, in a second window of the facilitator's laptop
    screen.goto(f"{console}/screen")
    expect(screen.locator("#gi-conn")).to_have_attribute("data-status", "live")

    # A phone joins: the code, then a name.
    phone = room.page(**PHONE)
    join_room(phone, code, "Moeder (Anja)", landing="/p", keyboard=True)
    expect(phone.locator("#ph-propose")).to_be_visible()
    assert_accessible(phone, "the phone in step 1 (proposals)")
    assert_accessible(page, "the console in step 1 (proposals)")

    # Step 2: the phone is told, and its focus is on the new step's heading.
    _step(page, phone, 2)
    expect(page.locator("#gi-step-live")).to_contain_text("Stap 2 van 5")
    expect(screen.locator("#scr-step-live")).to_contain_text("Stap 2 van 5")

    # A factor from the console (Enter in the field sends it) and one from the phone.
    expect(page.locator("#panel-factors")).to_be_visible()
    tab_to(page, "#fa-title")
    page.keyboard.type("Korte lijnen tussen school en wijkteam")
    page.keyboard.press("Enter")
    expect(page.locator("#factor-list .gi-factor")).to_have_count(1)
    tab_to(phone, "#fa-title")
    phone.keyboard.type("Iemand die echt naar ons luisterde")
    tab_and_press(phone, "#factor-form button")
    expect(phone.locator("#ph-factors li")).to_have_count(2)
    assert_accessible(phone, "the phone in step 2 (factors)")
    assert_accessible(page, "the console in step 2 (factors)")

    # Step 4: a round, prepared and opened from the console.
    _step(page, phone, 4)
    expect(page.locator("#panel-rounds")).to_be_visible()  # the console shows the step's panel first
    tab_and_press(page, "#round-add summary")
    tab_and_press(page, "#round-form button.btn-primary")
    expect(page.locator(".gi-round")).to_have_count(1)
    tab_and_press(page, '.gi-round button[data-action="open"]')
    expect(page.locator(".gi-round .gi-pill-open")).to_have_count(1)

    # Two stickers with two presses of Enter: the focus stays on the "+" that placed the first.
    votes = phone.locator("#ph-vote-list .ph-vote")
    expect(votes).to_have_count(2)
    tab_and_press(phone, ".ph-vote .ph-step-plus")
    counts = phone.locator(".ph-vote-count .ph-dot")
    expect(counts).to_have_count(1)
    expect(phone.locator(":focus")).to_have_class(re.compile(r"\bph-step-plus\b"))
    phone.keyboard.press("Enter")
    expect(counts).to_have_count(2)
    # "−" takes one back and keeps the focus; at zero it is disabled and the focus goes to "+"
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Enter")
    expect(counts).to_have_count(1)
    phone.keyboard.press("Enter")
    expect(counts).to_have_count(0)
    expect(phone.locator(":focus")).to_have_class(re.compile(r"\bph-step-plus\b"))
    expect(page.locator(".gi-round .gi-bar-count")).to_have_text(["0", "0"])

    # Pass the tablet: a name, a sticker, "done"; the focus follows to where the next person starts.
    tablet = page.context.new_page()
    tablet.goto(f"{console}/tablet")
    tab_to(tablet, "#tb-names .ph-name")
    expect(tablet.locator(":focus")).to_have_text("Moeder (Anja)")
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#tb-name")).to_be_focused()
    tab_and_press(tablet, ".ph-vote .ph-step-plus")
    expect(tablet.locator(".ph-vote-count .ph-dot")).to_have_count(1)
    expect(tablet.locator(":focus")).to_have_class(re.compile(r"\bph-step-plus\b"))
    tab_and_press(tablet, "#tb-done")
    expect(tablet.locator("#tb-pick-title")).to_be_focused()
    assert_accessible(tablet, "the tablet between two people")


def test_findings_tree_by_keyboard_only(page: Page, login: Callable[..., None]) -> None:
    login()
    open_demo_review(page, "/findings")
    titles = page.locator("#tree-region .tree-top[data-branch='success'] > li.tree-item > .node-row .node-title")
    first, second = titles.nth(0).inner_text(), titles.nth(1).inner_text()

    # Into the tree with Tab (the success at its root), down to the first main factor with ↓.
    tab_to(page, "#tree-region .node-row")
    expect(page.locator(":focus")).to_have_id("node-0")
    page.keyboard.press("ArrowDown")
    row = page.locator(":focus")
    expect(row.locator(".node-title")).to_have_text(first)
    expect(page.locator("#inspector .panel-title")).to_have_text(first)  # the focused node is the one shown
    node = row.get_attribute("id") or ""

    # Alt+↓ moves it below its sibling and keeps the focus on it; Alt+↑ puts it back.
    page.keyboard.press("Alt+ArrowDown")
    expect(titles.nth(0)).to_have_text(second)
    expect(page.locator(f"#{node}")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(titles.nth(0)).to_have_text(first)
    expect(page.locator(f"#{node}")).to_be_focused()

    # Rewrite its title in the inspector: Tab to the field, type, Enter saves; then the old title again.
    for title in (f"{first} (herschreven)", first):
        tab_to(page, "#ins-title")
        page.keyboard.press("Control+A")
        page.keyboard.type(title)
        page.keyboard.press("Enter")
        expect(titles.nth(0)).to_have_text(title)


def test_share_back_phone_by_keyboard_only(
    page: Page,
    login: Callable[..., None],
    room: Room,  # noqa: F811  (the fixture imported above)
) -> None:
    from tests.browser.test_share_back import new_review as share_back_review

    login()
    review_id, nodes = share_back_review(page)
    base = f"/api/v1/reviews/{review_id}/share-back"
    console = f"/reviews/{review_id}/share-back"

    # The facilitator prepares and opens the meeting on the console, by keyboard.
    page.goto(console)
    code = open_room(page, console, "sb", keyboard=True)
    first, second = "Eén vaste casemanager die het gezin kende", "Sam werd zelf gehoord"

    phone = room.page(**PHONE)
    join_room(phone, code, "Moeder (Anja)", landing="/p/share-back", keyboard=True)
    expect(phone.locator("#sb-react")).to_be_hidden()  # the success: nothing to react to

    # The facilitator steps to the first finding (Tab to "Next", Enter): the phone says it and focuses it.
    tab_and_press(page, "#sb-next")
    expect(phone.locator("#sb-title")).to_have_text(first)
    expect(phone.locator("#sb-title")).to_be_focused()
    expect(phone.locator("#sb-live")).to_contain_text(f"1 van 2: {first}")

    # A reaction with Enter, then a comment: open the box, type, send.
    tab_and_press(phone, '.sb-btn[data-reaction="partly"]')
    expect(phone.locator('.sb-btn[data-reaction="partly"]')).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".sb-btn.is-pending")).to_have_count(0)  # confirmed by the server
    tab_and_press(phone, "#sb-comment-box summary")
    tab_to(phone, "#sb-comment")
    phone.keyboard.type("Alleen in het begin.")
    tab_and_press(phone, "#sb-send-comment")
    expect(phone.locator("#gi-toast")).to_be_visible()
    assert_accessible(phone, "the share-back phone with its comment box open")
    assert_accessible(page, "the share-back console during the meeting")
    summary = page.request.get(f"{base}/summary").json()
    mine = next(t for t in summary if t["node_id"] == nodes[first])
    assert (mine["partly"], mine["comments"]) == (1, ["Alleen in het begin."])

    # The next finding (Enter again on "Next"): said again, the focus on it, the buttons fresh.
    expect(page.locator("#sb-next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(phone.locator("#sb-title")).to_have_text(second)
    expect(phone.locator("#sb-title")).to_be_focused()
    expect(phone.locator("#sb-live")).to_contain_text(f"2 van 2: {second}")
    expect(phone.locator('.sb-btn[aria-pressed="true"]')).to_have_count(0)
    tab_and_press(phone, '.sb-btn[data-reaction="agree"]')
    expect(phone.locator('.sb-btn[data-reaction="agree"]')).to_have_attribute("aria-pressed", "true")
