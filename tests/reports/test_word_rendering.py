"""The Word reports as a reader sees them: LibreOffice (headless, Writer) turns the review's and the study's
.docx into PDF, poppler draws the pages as PNG (tests/artifacts/word_*.png, to look at). The PDF LibreOffice
made shows the table of contents filled in, the life-line and the findings tree as pictures, and the tables'
header rows again on every page a table runs over.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.reports.demo_case import Demo

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def _as_pdf(docx: bytes, name: str, work: Path) -> tuple[PdfReader, Path]:
    """The document as LibreOffice prints it (its own throw-away profile; no network, no macros)."""
    source = work / f"{name}.docx"
    source.write_bytes(docx)
    profile = (work / "profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(work), str(source)],
        check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(work)},
    )  # fmt: skip
    pdf = work / f"{name}.pdf"
    return PdfReader(pdf), pdf


def _pictures(pdf: Path, name: str) -> list[Path]:
    """Every page as a PNG in tests/artifacts (60 dpi: enough to see the layout)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def _text(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_review_report_in_libreoffice(demo: Demo, lang: str, tmp_path: Path) -> None:
    docx = demo.api.get(f"/api/v1/reviews/{demo.review_id}/report.docx", params={"lang": lang})
    reader, pdf = _as_pdf(docx.content, f"word_review_{lang}", tmp_path)
    pages = _text(reader)
    assert len(pages) >= 6
    contents = {"nl": "Inhoud", "en": "Contents"}[lang]
    toc = next(i for i, page in enumerate(pages) if page.startswith(contents) or f" {contents} " in page[:200])
    lifeline = {"nl": "De levenslijn", "en": "The life-line"}[lang]
    assert lifeline in pages[toc]  # the table of contents lists the chapters
    drawn = {hashlib.sha256(image.data).hexdigest() for page in reader.pages for image in page.images}
    assert len(drawn) >= 2  # the life-line and the findings tree
    # the member check's table runs over two pages: its header row comes back on the second
    header = {"nl": "Bevinding Herkend Deels Herkent niet Besluit", "en": "Finding Recognised Partly Not recognised"}
    assert sum(1 for page in pages if header[lang] in page) >= 2  # and no header word broken in two
    assert len(_pictures(pdf, f"word_review_{lang}")) == len(pages)


def test_the_study_report_in_libreoffice(demo: Demo, tmp_path: Path) -> None:
    study = demo.api.get("/api/v1/studies").json()[0]["id"]
    docx = demo.api.get(f"/api/v1/studies/{study}/report.docx", params={"lang": "nl"})
    reader, pdf = _as_pdf(docx.content, "word_study_nl", tmp_path)
    pages = _text(reader)
    assert len(pages) >= 3
    assert "Inhoud" in pages[1] and "Vergelijking met de literatuur" in pages[1]
    assert any("Thema" in page for page in pages[2:])
    assert len(_pictures(pdf, "word_study_nl")) == len(pages)
