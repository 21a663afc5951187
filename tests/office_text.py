"""The text of the files the service makes, for assertions: a PDF's and a Word document's, white space folded."""

import io

from docx import Document
from pypdf import PdfReader


def flat(text: str) -> str:
    """The text with every run of white space folded to one space."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> tuple[str, int]:
    """All text of a PDF (whitespace folded) and its number of pages."""
    reader = PdfReader(io.BytesIO(content))
    return flat(" ".join(page.extract_text() for page in reader.pages)), len(reader.pages)


def docx_text(content: bytes) -> tuple[str, list[str]]:
    """All text of a Word file (paragraphs and table cells) and the texts of its headings."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    return flat(" ".join(parts)), headings
