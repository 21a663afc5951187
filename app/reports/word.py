"""Word documents (python-docx) as the reports' exports make them: fields (TOC, PAGE), the document's language on
every style, pictures drawn from our SVGs with CairoSVG (with alternative text), tables with fixed column widths
and a header row that repeats on every page, and real document properties. Used by the review's report
(``app.reports._docx``) and the study report (``app.studies.report``).
"""

import datetime as dt
import io

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.i18n import _

BRAND = RGBColor(0x1D, 0x4E, 0x5C)
MUTED = RGBColor(0x5B, 0x6B, 0x71)
WORD_LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}
PICTURE_WIDTH_CM = 16.6
PICTURE_PIXELS = 2400
"""The width of a picture on the page, and of the PNG drawn for it (about 370 dpi: sharp when printed)."""


def field(paragraph: Paragraph, instruction_text: str, shown: list[str] | None = None) -> None:
    """A Word field (PAGE, TOC …); ``shown`` is its result until Word updates it (one line each)."""
    run = paragraph.add_run()
    begin, instruction = OxmlElement("w:fldChar"), OxmlElement("w:instrText")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # Word updates it when the file is opened
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {instruction_text} "
    run._r.append(begin)
    run._r.append(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    for index, line in enumerate(shown or []):
        result = paragraph.add_run(line)
        if index < len(shown or []) - 1:
            result.add_break()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def page_number(paragraph: Paragraph) -> None:
    """A PAGE field (Word fills in the number)."""
    field(paragraph, "PAGE", ["1"])


def set_language(document: DocxDocument, lang: str) -> None:
    """The document's language (spelling, hyphenation, screen readers) on the defaults and every style."""
    tag = WORD_LANGUAGES.get(lang, "nl-NL")
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [defaults.find(qn("w:rPrDefault"))] if defaults is not None else []
    targets += [style for style in styles.findall(qn("w:style"))]
    for target in targets:
        if target is None:
            continue
        properties = target.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            target.append(properties)
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        element = OxmlElement("w:lang")
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            element.set(qn(attribute), tag)
        properties.append(element)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def svg_png(svg: str, width_px: int = PICTURE_PIXELS) -> bytes:
    """An SVG of ours drawn as PNG (CairoSVG, which fetches no external files)."""
    import cairosvg  # deferred: only needed for Word

    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px, background_color="white")
    return png


def picture(document: DocxDocument, svg: str, caption: str) -> None:
    """A picture with its caption as alternative text (for screen readers) and below it."""
    document.add_picture(io.BytesIO(svg_png(svg)), width=Cm(PICTURE_WIDTH_CM))
    shape = document.inline_shapes[-1]
    shape._inline.docPr.set("descr", caption)
    shape._inline.docPr.set("title", caption)
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    document.add_paragraph(caption, style="Caption")


def table(document: DocxDocument, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """A table with fixed column widths (cm) whose header row repeats on every page it runs over."""
    grid: Table = document.add_table(rows=1, cols=len(header))
    grid.style = "Light Grid Accent 1"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    look = grid._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # the schema's order: tblLayout before tblLook (Word is strict about it)
        look.addprevious(layout)
        look.set(qn("w:firstColumn"), "0")  # only the header row stands out: long first cells stay plain
        look.set(qn("w:val"), "0420")
    else:
        grid._tbl.tblPr.append(layout)
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        row = grid.add_row()  # type: ignore[no-untyped-call]
        no_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(no_split)
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return grid


def contents(document: DocxDocument, headings: list[str]) -> None:
    """The table of contents: a TOC field over headings 1–2, showing the chapters until Word fills it in."""
    document.add_heading(_("Contents"), level=1)
    field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', headings)
    document.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)


def house_style(document: DocxDocument, footer_text: str) -> None:
    """A4 portrait with our margins, Calibri 10 pt, headings in the brand colour, and a footer of
    ``footer_text`` followed by the page number."""
    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.color.rgb = BRAND
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.2)
    footer = section.footer.paragraphs[0]
    footer.text = footer_text
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page_number(footer)


def set_properties(
    document: DocxDocument, *, title: str, subject: str, author: str, lang: str, now: dt.datetime, keywords: str = ""
) -> None:
    """The document's own properties (what Word shows under File > Info), not python-docx's template's."""
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.author = author
    properties.last_modified_by = author
    properties.created = properties.modified = now.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    properties.revision = 1
    properties.language = WORD_LANGUAGES.get(lang, "nl-NL")
    properties.comments = _("Confidential — pseudonyms only.")
    properties.keywords = keywords
    properties.category = ""
