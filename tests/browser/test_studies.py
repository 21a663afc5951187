"""A study in a real browser: open the demo study, the case × theme heat map is drawn; clicking a cell in the
figure shows the factors behind it with their place in the tree and their evidence. Screenshots go to
tests/artifacts/study.png and tests/artifacts/study-cell.png."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import open_demo_study

pytestmark = pytest.mark.browser

# Where a heat-map cell (theme row, case column) is on the screen, from plotly's own axes.
_CELL_AT = """([chart, themeKey, reviewId]) => {
  const gd = document.querySelector(chart);
  const trace = gd.data[0];
  const row = trace.customdata.findIndex((r) => r[0][0] === themeKey);
  const column = trace.customdata[row].findIndex((c) => c[1] === reviewId);
  const layout = gd._fullLayout;
  gd.scrollIntoView({block: 'center'});
  const box = gd.getBoundingClientRect();
  return {
    x: box.left + layout._size.l + layout.xaxis.c2p(column),
    y: box.top + layout._size.t + layout.yaxis.c2p(row),
  };
}"""


def test_open_the_matrix_click_a_cell_and_see_the_evidence(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    page.locator(".topnav a", has_text="Studies").click()
    page.locator("a.review-card-link", has_text="Drie casussen").click()
    expect(page.locator("h1")).to_have_text("Wat werkt in integrale hulp? Drie casussen")
    figure = page.locator("#matrix-figure")
    expect(figure).to_have_attribute("data-ready", "1", timeout=15_000)  # plotly on a busy machine
    expect(figure.locator(".main-svg text", has_text="gezin Yilmaz").first).to_be_visible()
    screenshot("study")

    bakker = page.locator(".cell-btn[data-theme='firm-mandate']").first
    review_id = int(bakker.get_attribute("data-review") or "0")
    where = page.evaluate(_CELL_AT, ["#matrix-figure", "firm-mandate", review_id])
    page.mouse.click(where["x"], where["y"])
    detail = page.locator("#cell-detail")
    expect(detail).to_be_visible()
    expect(detail.locator("h3")).to_contain_text("gezin Bakker")
    factor = detail.locator(".cell-factor", has_text="Eén casemanager met mandaat")
    expect(factor).to_be_visible()
    expect(factor.locator(".muted").first).to_contain_text("Noor woont sinds 2023")  # the tree path starts at the root
    expect(factor.locator(".evidence-list li").first).to_be_visible()
    screenshot("study-cell")

    # The same figures switch to stickers; the table follows.
    page.locator("#matrix-measure").select_option("stickers")
    expect(page.locator(f".cell-btn[data-theme='firm-mandate'][data-review='{review_id}']")).not_to_have_text("1")


def test_side_by_side_trees_light_the_factors_of_a_theme(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_study(page)
    trees = page.locator(".tree-small")
    expect(trees).to_have_count(3)
    expect(page.locator("#matrix-figure")).to_have_attribute("data-ready", "1")  # the layout has settled
    page.locator("[data-light-theme='firm-mandate']").focus()  # keyboard users light a theme too
    lit = page.locator(".tree-line.is-lit")
    expect(lit).to_have_count(3)  # one mandate factor in each of the three cases
    expect(trees.nth(0).locator(".is-lit")).to_contain_text("Eén casemanager met mandaat")
    expect(trees.nth(1).locator(".is-lit")).to_contain_text("De jeugdconsulent mocht zelf knopen doorhakken")
    page.locator("#trees").scroll_into_view_if_needed()
    screenshot("study-trees")
    page.locator("[data-light-nodes]").first.hover()
    expect(page.locator(".tree-line.is-lit")).to_have_count(3)


def test_code_a_factor_blind_on_the_study_page(page: Page, login: Callable[..., None]) -> None:
    login()
    open_demo_study(page)
    status = page.locator("#coding-status")
    expect(status).to_contain_text("34")  # the demo's 34 factors, all coded by the owner already
    unit = page.locator("#coding-units details", has_text="Eén casemanager met mandaat").first
    unit.locator("summary").click()
    box = unit.locator("input[value='one-face']")
    box.check()
    unit.locator("button[type=submit]").click()
    expect(status).to_contain_text("34 van de 34")
    page.reload()
    unit = page.locator("#coding-units details", has_text="Eén casemanager met mandaat").first
    unit.locator("summary").click()
    expect(unit.locator("input[value='one-face']")).to_be_checked()


def test_edit_an_overarching_element_on_the_page_and_meet_a_stale_edit(
    page: Page, login: Callable[..., None], screenshot: Callable[[str], Path]
) -> None:
    login()
    open_demo_study(page)
    element = page.locator("article.element", has_text="Een mandaat met duidelijke afspraken over rollen")
    element_id = (element.get_attribute("id") or "").removeprefix("element-")
    other = page.context.new_page()  # a second tab, opened before the change: it holds the old version
    other.goto(page.url)

    element.locator(".element-edit > summary").click()
    element.locator(f"#f-el{element_id}-explanation").fill("Een casemanager met mandaat, en heldere rollen.")
    element.locator(".element-form details > summary").click()
    line = element.locator(".link-list li", has_text="Duidelijke afspraken wie wat doet").first
    expect(line.locator("input[name=support]")).to_be_checked()
    line.locator("input[name=counter]").check()  # counter-evidence instead: the script unticks "supports"
    expect(line.locator("input[name=support]")).not_to_be_checked()
    element.locator(".element-form button.btn-primary").click()

    element = page.locator(f"#element-{element_id}")
    expect(element.locator(".element-support")).to_contain_text("tegenbewijs")
    expect(element.locator(".element-supports .is-counter")).to_contain_text("Duidelijke afspraken wie wat doet")
    expect(element).to_contain_text("Een casemanager met mandaat, en heldere rollen.")
    element.locator(".element-history > summary").click()
    expect(element.locator(".history-list li")).to_have_count(2)
    expect(element.locator(".history-list li").first).to_contain_text("versie 2")
    screenshot("study-element")

    stale = other.locator(f"#element-{element_id}")
    stale.locator(".element-edit > summary").click()
    stale.locator(f"#f-el{element_id}-title").fill("Mandaat, in mijn woorden")
    stale.locator(".element-form button.btn-primary").click()
    alert = other.locator(f"#element-{element_id} .conflict")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("iemand anders heeft dit element intussen gewijzigd")
    expect(other.locator(f"#element-{element_id}")).to_contain_text("Een casemanager met mandaat, en heldere rollen.")
    expect(other.locator(f"#f-el{element_id}-title")).to_have_value("Mandaat, in mijn woorden")
    # Only the title was changed here and only the explanation there: no clash, the form holds both changes.
    expect(alert).not_to_contain_text("allebei")
    explanation = other.locator(f"#f-el{element_id}-explanation")
    expect(explanation).to_have_value("Een casemanager met mandaat, en heldere rollen.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    other.locator(f"#element-{element_id}").screenshot(path=str(ARTIFACTS / "study-element-conflict.png"))
    other.close()


def test_a_matrix_cell_opens_its_evidence_from_the_table_too(page: Page, login: Callable[..., None]) -> None:
    login()
    open_demo_study(page)
    expect(page.locator("#matrix-figure")).to_have_attribute("data-ready", "1", timeout=15_000)
    page.locator("#matrix-table a.cell-btn[data-theme='firm-mandate']").first.click()
    detail = page.locator("#cell-detail")
    expect(detail.locator(".cell-factor").first).to_be_visible()
    expect(detail.locator(".evidence-list li").first).to_be_visible()
    assert "cell=" not in page.url  # opened in place by the script, the link is the no-script way
    page.locator("#matrix-group").select_option("gemeente")
    expect(page.locator("#matrix-table .matrix-group").first).to_contain_text("gemeente")
    assert "group=gemeente" in page.url  # the address follows the view
