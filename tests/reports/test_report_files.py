"""The report as PDF and Word: the expected sections in both languages, consented quotes only, no contact
details, hostile text escaped, every download logged; the PDF's URL fetcher serves only our own assets."""

import pytest
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.interviews.service import exportable_quotes
from app.reports.service import ASSET_HOST, static_path
from tests.docx_checks import assert_real_word_document
from tests.office_text import docx_text, flat, pdf_text
from tests.pdf_tags import assert_tagged
from tests.reports.demo_case import CONTACT, DEMO_OWNER, HOSTILE_TITLE, WITHDRAWN_QUOTE, Demo
from tests.world import form_client

SECTIONS = {
    "en": [
        "The case in brief",
        "The method followed",
        "The life-line",
        "The success and the findings tree",
        "Factors and stickers",
        "In their own words",
        "Hindering factors and recommendations",
        "What works",
    ],
    "nl": [
        "De casus in het kort",
        "De gevolgde methode",
        "De levenslijn",
        "Het succes en de bevindingenboom",
        "Factoren en stickers",
        "In hun eigen woorden",
        "Belemmerende factoren en aanbevelingen",
        "Wat werkt",
    ],
}


FIGURES = {  # a figure's caption and a text drawn in the figure itself
    "nl": [("De bevindingenboom: het succes als stam", "Bevindingenboom"), ("De levenslijn van het gezin", "2014")],
    "en": [("The findings tree: the success at the root", "Findings tree"), ("The family's life-line", "2014")],
}


def consented_quotes(demo: Demo) -> list[str]:
    with Session(demo.engine) as session:
        return [q.text for q in exportable_quotes(session=session, review_id=demo.review_id)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_has_the_sections_and_only_consented_quotes(demo: Demo, lang: str) -> None:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/report.pdf", params={"lang": lang})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    text, pages = pdf_text(response.content)
    assert pages >= 6
    for heading in SECTIONS[lang]:
        assert heading in text, heading
    assert "Casusonderzoek gezin Bakker" in text
    quotes = consented_quotes(demo)
    assert quotes
    for quote in quotes:
        assert flat(quote)[:40] in text
    assert "XQZ-ingetrokken" not in text
    assert WITHDRAWN_QUOTE not in text
    assert "oom.kees" not in text and "99887766" not in text
    assert "1 / " in text or f"1 / {pages}" in text or f"2 / {pages}" in text  # page numbers
    reader = assert_tagged(response.content, lang=lang, title="Casusonderzoek gezin Bakker")
    page_texts = [flat(page.extract_text()) for page in reader.pages]
    for caption, drawn in FIGURES[lang]:  # each caption on the page of its figure, never alone
        (page,) = [t for t in page_texts if caption in t]
        assert drawn in page, caption


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_docx_has_the_sections_and_only_consented_quotes(demo: Demo, lang: str) -> None:
    response = demo.api.get(f"/api/v1/reviews/{demo.review_id}/report.docx", params={"lang": lang})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    text, headings = docx_text(response.content)
    for heading in SECTIONS[lang]:
        assert heading in headings, (heading, headings)
    for quote in consented_quotes(demo):
        assert flat(quote) in text
    assert "XQZ-ingetrokken" not in text
    assert CONTACT not in text and "oom.kees" not in text
    assert "Oom Kees" in text  # the participant by pseudonym, without contact details
    assert HOSTILE_TITLE in text  # stored text stays text
    _assert_a_real_word_report(response.content, lang)


def _assert_a_real_word_report(content: bytes, lang: str) -> None:
    """A real Word document (tests/docx_checks.py) with the life-line and the findings tree as pictures that
    carry alternative text."""
    document = assert_real_word_document(content, lang=lang, title="Casusonderzoek gezin Bakker")
    pictures = document.inline_shapes
    assert len(pictures) == 2  # the life-line and the findings tree
    for picture in pictures:
        assert picture._inline.docPr.get("descr")
        blob = document.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG") and len(blob) > 20_000


def test_report_downloads_are_logged_as_exports(demo: Demo) -> None:
    with Session(demo.engine) as session:
        before = len(session.exec(select(AuditEntry.id)).all())
    demo.api.get(f"/api/v1/reviews/{demo.review_id}/report.docx", params={"lang": "en"})
    with Session(demo.engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()[before:]
    assert [(e.action, e.detail, e.review_id) for e in entries] == [("export", "report.docx:en", demo.review_id)]


def test_report_preview_escapes_hostile_text_and_hides_withdrawn_quote(demo: Demo) -> None:
    browser = form_client(demo.app, DEMO_OWNER[0], DEMO_OWNER[1])
    response = browser.get(f"/reviews/{demo.review_id}/report?lang=nl")

    assert response.status_code == 200
    assert '<img src="file:///etc/passwd">' not in response.text
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in response.text
    assert "XQZ-ingetrokken" not in response.text
    assert "De casus in het kort" in response.text
    assert 'aria-current="page">Rapport & delen' in response.text  # the nav entry (the demo user reads Dutch)
    browser.client.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/static/css/report.css",
        f"{ASSET_HOST}/etc/passwd",
        f"{ASSET_HOST}/static/../app/config.py",
        f"{ASSET_HOST}/static/%2e%2e/pyproject.toml",
        f"{ASSET_HOST}/static/js/app.js",
        "data:text/css,body{}",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_bundled_assets(url: str) -> None:
    with pytest.raises(ValueError):
        static_path(url)


def test_the_pdf_fetcher_serves_our_stylesheet() -> None:
    path = static_path(f"{ASSET_HOST}/static/css/report.css")
    assert path.name == "report.css"
    assert b"@page" in path.read_bytes()
