"""Checks shared by the Word tests (the review's report and the study report): a real Word document."""

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm

WORD_LANGUAGE = {"nl": "nl-NL", "en": "en-GB"}


def assert_real_word_document(content: bytes, *, lang: str, title: str) -> DocxDocument:
    """A TOC field (updated on opening), the language set on the defaults and the styles, tables with repeating
    header rows and fixed widths within the page (not all columns equal), and the document's own properties
    (title, author, made now, language). Returns the document."""
    document = Document(io.BytesIO(content))
    body = document.element.body
    assert any("TOC \\o" in (t.text or "") for t in body.iter(qn("w:instrText")))
    assert document.settings.element.find(qn("w:updateFields")) is not None
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    tags = {e.get(qn("w:val")) for e in defaults.iter(qn("w:lang"))}
    assert tags == {WORD_LANGUAGE[lang]}
    normal = document.styles["Normal"].element.find(qn("w:rPr"))
    assert normal is not None and normal.find(qn("w:lang")).get(qn("w:val")) == WORD_LANGUAGE[lang]
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert len(widths) == len(table.columns) and sum(widths) <= Cm(17).twips
    assert any(len({c.width for c in t.columns}) > 1 for t in document.tables)
    properties = document.core_properties
    assert properties.title == title
    assert properties.author and properties.author != "python-docx"
    assert properties.last_modified_by == properties.author
    created = properties.created
    assert created is not None
    created = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    assert abs((created - dt.datetime.now(dt.UTC)).total_seconds()) < 600  # made now, not the template's date
    assert properties.language == WORD_LANGUAGE[lang]
    return document
