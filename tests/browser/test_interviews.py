"""In the browser: write interview notes (saved as you type), select a passage, make it a life-line event with
its date pre-filled, and find it on the life-line."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

PASSAGE = "In het voorjaar 2015 verhuisde het gezin naar Zuiderveen-Oost"


@pytest.mark.browser
def test_a_passage_of_the_notes_becomes_a_life_line_event(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    page.goto("/reviews/1/interviews")
    page.get_by_role("link", name=re.compile("Aantekeningen openen|Open notes")).first.click()
    notes = page.locator("#notes-care_history")
    expect(notes).to_be_visible()

    notes.click()
    page.keyboard.press("End")
    page.keyboard.press("Control+End")
    notes.press_sequentially(f"\n{PASSAGE}; moeder vond dat een nieuwe start.", delay=5)
    state = page.locator("#save-state")
    expect(state).to_have_attribute("data-state", "saved", timeout=10_000)

    # Select the passage in the textarea, as a researcher would with the mouse.
    notes.evaluate(
        """(area, passage) => {
            const start = area.value.indexOf(passage);
            area.focus();
            area.setSelectionRange(start, start + passage.length);
            area.dispatchEvent(new Event('select'));
        }""",
        PASSAGE,
    )
    bar = page.locator("#topic-care_history [data-selection-bar]")
    expect(bar).to_be_visible()
    bar.locator("[data-action=event]").click()

    dialog = page.locator("#dialog-event")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#ev-when")).to_have_value("voorjaar 2015")
    dialog.locator("#ev-title").fill("Gezin verhuist naar Zuiderveen-Oost")
    screenshot("interviews")
    dialog.get_by_role("button", name=re.compile("levenslijn|life-line", re.IGNORECASE)).click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#from-notes-events")).to_contain_text("Gezin verhuist naar Zuiderveen-Oost")
    expect(page.locator("#toast")).to_be_visible()

    # The notes survive a reload (they were saved), and the event is on the life-line with this interview as source.
    page.reload()
    expect(page.locator("#notes-care_history")).to_have_value(re.compile(PASSAGE))
    page.goto("/reviews/1/lifeline")
    row = page.locator("tr", has_text="Gezin verhuist naar Zuiderveen-Oost")
    expect(row).to_be_visible()
    expect(row).to_contain_text("voorjaar 2015")
    expect(row).to_contain_text("interview Moeder (Sandra), Vader (Erik)")
