"""The foundation in a real browser: log in, create a review, add a participant, record consent for the group
interview, read the stepper and the readiness gate, switch to English. Screenshots go to tests/artifacts/."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_review_participant_consent_stepper_and_language(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_text("gezin Bakker").first).to_be_visible()  # the demo case is on the dashboard
    screenshot("dashboard")

    # A new review through the form.
    page.goto("/reviews/new")
    page.locator("#f-title").fill("Casusonderzoek browsertest")
    page.locator("#f-case_pseudonym").fill("gezin Visser")
    page.locator("#f-collaboration").fill("Wijkteam Noord, basisschool De Regenboog")
    page.locator("#f-success_statement").fill("Het gezin en de hulpverleners besloten samen over de hulp.")
    page.locator("form[action='/reviews/new'] button.btn-primary").click()
    page.wait_for_url(re.compile(r"/reviews/\d+$"))
    review_url = page.url
    review_path = review_url[review_url.index("/reviews/") :]
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.locator("ol.stepper")).to_be_visible()
    expect(page.locator("ol.stepper > li.stepper-phase")).to_have_count(3)
    gate = page.locator("section.gate")
    expect(gate).to_have_class(re.compile(r"\bgate-blocked\b"))
    blocked_message = gate.locator("p").first.inner_text()
    assert blocked_message.strip()

    # A participant, selected to take part.
    page.goto(f"{review_path}/participants")
    page.locator("#f-pseudonym").fill("Moeder (Petra)")
    page.locator("#f-role_category").select_option("parent")
    page.locator("#f-role_label").fill("Moeder")
    page.locator("#add input[name='selected']").check()
    page.locator("#add button.btn-primary").click()
    page.wait_for_url(re.compile(r"/participants/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Moeder (Petra)")

    # The gate names her until she consents to the group interview.
    page.goto(review_path)
    expect(page.locator("section.gate")).to_contain_text("Moeder (Petra)")
    page.go_back()

    # Consent for the group interview.
    page.locator("#f-scope").select_option("group_interview")
    page.locator("#f-given_on").fill("2026-11-02")
    page.locator("#f-method").select_option("written")
    page.locator("#f-information_version").fill("v1")
    page.locator("form[action$='/consents'] button.btn-primary").click()
    expect(page.locator(".consent-history .consent-item.is-active")).to_have_count(1)
    screenshot("participant")

    # The stepper with the gate open now.
    page.goto(review_path)
    expect(page.locator("ol.stepper")).to_be_visible()
    expect(page.locator("section.gate")).to_have_class(re.compile(r"\bgate-ok\b"))
    nl_gate_heading = page.locator("section.gate h2").inner_text()
    screenshot("review-stepper")

    # Switch to English: the page is in English and says so.
    page.locator("form.lang-switch button[value='en']").click()
    page.wait_for_url(re.compile(re.escape(review_path) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("form.lang-switch button[value='en']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("section.gate h2")).to_have_text("Ready for the group interview?")
    expect(page.locator("section.gate")).to_contain_text("Everyone selected has consented to the group interview.")
    screenshot("review-stepper-en")
    assert nl_gate_heading != "Ready for the group interview?", (
        "the Dutch page shows the English source text: app/locale/nl/*.po translates none of the review page"
    )

    # Back to Dutch (the choice is remembered for the account).
    page.locator("form.lang-switch button[value='nl']").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
