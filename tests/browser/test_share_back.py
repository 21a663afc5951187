"""The share-back meeting live, in four Chromium contexts: the facilitator's console, the shared screen and two
phones. Both phones react to findings; one goes offline (Playwright's offline mode), taps while offline, and its
queued reaction is sent — once — when it is back. The facilitator rephrases a finding; the screen follows.
Screenshots go to tests/artifacts/sb_*.png.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import PHONE, add_consenting, api, join_room, open_room
from tests.browser.test_group_interview import Room, log_in, room, shoot  # noqa: F401  (the room fixture and helpers)

pytestmark = pytest.mark.browser

PEOPLE = (("Moeder (Anja)", "parent"), ("Jongere (Sam)", "child"), ("Wijkteam", "professional"))
SUCCESS = "Sam woont weer thuis en gaat elke dag naar school; moeder en Sam kozen daar samen voor."
TREE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("success", "Eén vaste casemanager die het gezin kende", ("Bereikbaar, ook 's avonds", "Mocht zelf beslissen")),
    ("success", "Sam werd zelf gehoord", ("Gesprekken apart van moeder",)),
    ("hindering", "Wisselende gezinsvoogden", ("Eén voogd voor de hele periode",)),
    ("what_works", "Regie bij het gezin, met één plan", ()),
)


def new_review(page: Page) -> tuple[int, dict[str, int]]:
    """A review with three consenting participants, a success and a small findings tree, through the API."""
    call = api(page)
    review_id = int(
        call("POST", "/reviews", {"title": "Terugkoppeling browsertest", "case_pseudonym": "gezin Jansen"})["id"]
    )
    call("PATCH", f"/reviews/{review_id}", {"success_statement": SUCCESS})
    add_consenting(call, review_id, PEOPLE)
    nodes: dict[str, int] = {}
    for branch, title, children in TREE:
        node = call("POST", f"/reviews/{review_id}/findings-tree/nodes", {"title": title, "branch": branch})
        nodes[title] = int(node["id"])
        for child in children:
            call("POST", f"/reviews/{review_id}/findings-tree/nodes", {"title": child, "parent_id": node["id"]})
    return review_id, nodes


def counts(screen: Page) -> list[str]:
    return [screen.locator(f"#n-{r}").inner_text() for r in ("agree", "partly", "disagree")]


def test_console_screen_and_two_phones_one_offline(
    page: Page,
    login: Callable[..., None],
    room: Room,  # noqa: F811  (the fixture imported above)
    live_server: Any,
) -> None:
    login()
    review_id, nodes = new_review(page)
    console = f"/reviews/{review_id}/share-back"
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(console)
    code = open_room(page, console, "sb")

    # The shared screen starts with the success and the join code.
    screen = room.page(viewport={"width": 1600, "height": 900})
    log_in(screen)
    screen.goto(f"{console}/screen")
    expect(screen.locator("#gi-conn")).to_have_attribute("data-status", "live")
    expect(screen.locator("#sb-title")).to_have_text(SUCCESS)
    expect(screen.locator("#scr-code")).to_have_text(code)
    expect(screen.locator("#scr-qr")).to_have_js_property("complete", True)
    shoot(screen, "sb_screen_success", full_page=False)

    # Two phones join with the meeting's code (the group interview's /join page, the same machinery).
    phone_a = room.page(**PHONE, has_touch=True)
    phone_b = room.page(**PHONE, has_touch=True)
    join_room(phone_a, code, "Moeder (Anja)", landing="/p/share-back")
    join_room(phone_b, code, "Jongere (Sam)", landing="/p/share-back")
    expect(page.locator("#people-list .gi-person.is-joined")).to_have_count(2)
    expect(phone_a.locator("#sb-react")).to_be_hidden()  # the success is not a finding to react to

    # The facilitator steps to the first main success factor: screen and phones follow.
    first = "Eén vaste casemanager die het gezin kende"
    page.locator("#sb-next").click()
    expect(screen.locator("#sb-title")).to_have_text(first)
    expect(screen.locator("#sb-children .sb-child")).to_have_count(2)
    expect(phone_a.locator("#sb-title")).to_have_text(first)
    expect(phone_b.locator("#sb-title")).to_have_text(first)

    phone_a.locator('.sb-btn[data-reaction="agree"]').click()
    phone_b.locator("#sb-comment-box summary").click()
    phone_b.locator("#sb-comment").fill("Alleen toen ze er was, daarna niet meer")
    phone_b.locator('.sb-btn[data-reaction="partly"]').click()
    expect(phone_a.locator('.sb-btn[data-reaction="agree"]')).to_have_attribute("aria-pressed", "true")
    expect(screen.locator("#n-agree")).to_have_text("1")
    expect(screen.locator("#n-partly")).to_have_text("1")
    card = page.locator(".sb-finding-card.is-current")
    expect(card.locator(".sb-comment-list li")).to_have_text(["Alleen toen ze er was, daarna niet meer"])
    expect(card).not_to_contain_text("Jongere")  # comments never name who wrote them

    # Phone B loses its connection, changes its mind; the tap waits on the phone.
    phone_b.context.set_offline(True)
    phone_b.locator('.sb-btn[data-reaction="disagree"]').click()
    expect(phone_b.locator("#sb-status")).to_have_attribute("data-kind", "queued")
    expect(phone_b.locator('.sb-btn[data-reaction="disagree"]')).to_have_class(re.compile(r"\bis-pending\b"))
    shoot(phone_b, "sb_phone_offline")
    expect(screen.locator("#n-partly")).to_have_text("1")
    # Back online: the queued tap is sent (with its client key) and counted once, replacing the earlier one.
    phone_b.context.set_offline(False)
    expect(screen.locator("#n-disagree")).to_have_text("1")
    expect(screen.locator("#n-partly")).to_have_text("0")
    expect(phone_b.locator("#sb-status")).to_be_empty()
    expect(phone_b.locator('.sb-btn[data-reaction="disagree"]')).not_to_have_class(re.compile(r"\bis-pending\b"))
    summary = page.request.get(f"/api/v1/reviews/{review_id}/share-back/summary").json()
    row = next(r for r in summary if r["node_id"] == nodes[first])
    assert (row["agree"], row["partly"], row["disagree"]) == (1, 0, 1)
    shoot(screen, "sb_screen_finding", full_page=False)
    shoot(phone_a, "sb_phone")

    # The facilitator rephrases the finding after hearing the room; the screen shows the new wording at once.
    card.locator(".sb-choice-rephrased input").check()
    card.locator(".sb-wording input").fill("Eén vaste casemanager, ook na de overdracht")
    card.locator(".sb-decide input[name='note']").fill("Na de overdracht ontbrak de vaste persoon")
    card.locator(".sb-decide button").click()
    expect(screen.locator("#sb-title")).to_have_text("Eén vaste casemanager, ook na de overdracht")
    expect(phone_a.locator("#sb-title")).to_have_text("Eén vaste casemanager, ook na de overdracht")
    expect(page.locator(".sb-finding-card.is-current .sb-decided")).to_contain_text(
        "Eén vaste casemanager die het gezin kende"
    )

    # On to a hindering factor with its recommendation.
    page.locator("#sb-next").click()
    expect(page.locator("#sb-progress")).to_have_text(re.compile(r"^3 "))
    page.locator("#sb-next").click()
    expect(screen.locator("#sb-title")).to_have_text("Wisselende gezinsvoogden")
    expect(screen.locator("#sb-children-title")).to_be_visible()
    phone_a.locator('.sb-btn[data-reaction="agree"]').click()
    expect(screen.locator("#n-agree")).to_have_text("1")
    # Pass the tablet: someone without a phone reacts on the room's one device.
    page.locator("#tablet-select").select_option(label="Wijkteam")
    page.locator("#tablet-pass").click()
    tablet = page.context.new_page()
    tablet.set_viewport_size({"width": 820, "height": 1100})
    tablet.goto(f"{console}/tablet")
    expect(tablet.locator("#sb-holder")).to_contain_text("Wijkteam")
    expect(tablet.locator("#sb-title")).to_have_text("Wisselende gezinsvoogden")
    tablet.locator('.sb-btn[data-reaction="partly"]').click()
    expect(screen.locator("#n-partly")).to_have_text("1")
    expect(tablet.locator('.sb-btn[data-reaction="partly"]')).to_have_attribute("aria-pressed", "true")
    shoot(tablet, "sb_tablet")
    tablet.close()
    shoot(screen, "sb_screen_hindering", full_page=False)
    shoot(page, "sb_console")

    # Closing the meeting ends the phones' access; the reactions stay.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#sb-close").click()
    expect(page.locator("#sb-status")).to_have_attribute("data-status", "closed")
    expect(phone_a.locator("#ph-ended")).to_be_visible()
    expect(phone_b.locator("#ph-ended")).to_be_visible()
    expect(screen.locator("#sb-closed")).to_be_visible()
    assert "Traceback" not in live_server.log.read_text()  # the offline phone and the retries left no error
