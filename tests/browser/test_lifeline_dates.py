"""Dates as people say them, in a real browser: the event form previews what a phrase will mean (and why a
text means nothing), an undated event waits on the shelf beside the chart, an open-ended one is drawn with a
fading edge. The screenshot goes to tests/artifacts/lifeline-dates.png."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import open_demo_review

pytestmark = pytest.mark.browser


def test_preview_shelf_and_open_ends(page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]) -> None:
    login()
    open_demo_review(page, "/lifeline")
    when = page.locator("#add #f-when")
    preview = page.locator("#when-preview")

    when.fill("Q4 2016")
    expect(preview).to_have_text("= okt.–dec. 2016")
    expect(preview).not_to_have_class(re.compile(r"\bis-error\b"))
    when.fill("vorige zomer")
    expect(preview).to_have_class(re.compile(r"\bis-error\b"))
    expect(preview).to_contain_text("datum van het gesprek")
    page.locator("#add #f-reference_date").fill("2020-03-10")
    expect(preview).to_have_text(re.compile(r"^= zomer 2019, afgeleid van de datum van het gesprek"))
    # A person of the life-line (the demo has Noor and Sem), then a phrase anchored on her birth date.
    page.locator("#p-name").fill("Mila")
    page.locator("#p-born").fill("2008")
    page.locator("#people button", has_text="Persoon toevoegen").click()
    page.wait_for_url(re.compile(r"/lifeline(#people)?$"))
    expect(page.locator("#people .lifeline-person", has_text="Mila")).to_have_count(1)
    page.locator("#add #f-people").fill("Mila")
    when.fill("in groep 3")
    expect(preview).to_have_text("= aug. 2014 – jul. 2016, afgeleid van het geboortejaar van Mila")
    page.locator("#add #f-people").fill("")
    when.fill("toen Noor klein was ergens")
    expect(preview).to_contain_text("Bruikbaar zijn bijvoorbeeld")

    # An undated event: kept on the shelf as it was said.
    page.locator("#add #f-reference_date").fill("")
    page.locator("#add #f-title").fill("Eerste zorgen van school")
    when.fill("weet ik niet meer")
    expect(preview).to_have_text("= nog niet gedateerd")
    page.locator("#add button.btn-primary").click()
    page.wait_for_url(re.compile(r"/lifeline(#events)?$"))
    shelf = page.locator("#shelf")
    expect(shelf.locator(".shelf-item", has_text="Eerste zorgen van school")).to_contain_text("“weet ik niet meer”")

    # An open start: on the chart with a fading edge, in the table as said.
    page.locator("#add #f-title").fill("Bij oma gewoond")
    page.locator("#add #f-when").fill("voor 2008")
    page.locator("#add button.btn-primary").click()
    page.wait_for_url(re.compile(r"/lifeline(#events)?$"))
    chart = page.locator("#lifeline-chart")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator(".main-svg text", has_text="Bij oma gewoond")).to_have_count(1)
    row = page.locator("table.events-table tbody tr", has_text="Bij oma gewoond")
    expect(row.locator("td.when")).to_contain_text("tot en met 2007")
    fades = page.evaluate(
        "() => document.getElementById('lifeline-chart').data.filter((t) => (t.meta || '') === 'fade').length"
    )
    assert fades >= 1
    # People: Sem has events dated from his birth, so removing him asks what they do; Mila goes at once.
    sem = page.locator("#people .lifeline-person", has_text="Sem")
    expect(sem.locator("button[name=dependents]")).to_have_count(2)
    page.locator("#people .lifeline-person", has_text="Mila").locator(".person-delete button").click()
    page.wait_for_url(re.compile(r"/lifeline(#people)?$"))
    expect(page.locator("#people .lifeline-person", has_text="Mila")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("lifeline-dates")
