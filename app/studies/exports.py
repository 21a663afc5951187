"""The study's matrix as files, by the rules of the review's exports: CSV for Dutch Excel (``;`` and decimal
commas for Dutch, a ``sep`` for others, a BOM, every cell neutralised against formulas — through
``app.reports.exports.csv_document``) and an XLSX workbook with typed cells (numbers as numbers, text always
text, never a formula), a bold header row and theme column that stay in view, and its own document properties.
"""

import io
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from app.i18n import _
from app.reports.exports import csv_document
from app.studies.schemas import MatrixOut
from lifeline.text import printable

MEASURES = ("factors", "evidence", "stickers", "sticker_share")


def _measure_title(measure: str) -> str:
    return {
        "factors": _("Factors"),
        "evidence": _("Evidence"),
        "stickers": _("Stickers"),
        "sticker_share": _("Sticker share"),
    }[measure]


def matrix_rows(data: MatrixOut, measure: str = "factors") -> list[list[object]]:
    """The matrix as rows: a header, then one row per theme; counts are numbers, "present in" is the number of
    cases with the theme followed by the number of cases (two numbers, never ``3/5``, which Excel reads as a date)."""
    by_cell = {(c.theme_key, c.review_id): c for c in data.cells}
    header: list[object] = [_("Theme"), *[c.title for c in data.cases], _("Present in cases"), _("Cases")]
    rows: list[list[object]] = [header]
    for theme in data.themes:
        values = [getattr(by_cell[(theme.key, c.review_id)], measure) for c in data.cases]
        rows.append([theme.title, *values, data.present[theme.key], len(data.cases)])
    return rows


def _csv_value(value: object, decimal: str) -> object:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", decimal)
    return "" if value is None else value


def matrix_csv(data: MatrixOut, measure: str, sep: str) -> str:
    """One measure of the matrix as CSV; with ``;`` (Dutch Excel) fractions get a decimal comma."""
    decimal = "," if sep == ";" else "."
    header, *rows = matrix_rows(data, measure)
    return csv_document([str(h) for h in header], [[_csv_value(v, decimal) for v in row] for row in rows], sep)


def matrix_xlsx(data: MatrixOut, *, title: str, author: str, lang: str) -> bytes:
    """The matrix as an XLSX workbook, one sheet per measure."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.properties.title = printable(title)
    book.properties.creator = book.properties.lastModifiedBy = printable(author)
    book.properties.language = {"nl": "nl-NL", "en": "en-GB"}.get(lang, "nl-NL")
    for index, measure in enumerate(MEASURES):
        sheet: Any = book.active if index == 0 else book.create_sheet()
        sheet.title = _measure_title(measure)[:31]
        for row_number, row in enumerate(matrix_rows(data, measure), start=1):
            for column, value in enumerate(row, start=1):
                cell: Cell = sheet.cell(row=row_number, column=column)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell.value = value
                    if measure == "sticker_share" and 1 < column <= len(data.cases) + 1:
                        cell.number_format = "0%"
                elif value is not None:
                    cell.value = printable(str(value))
                    cell.data_type = "s"  # text stays text: "=…" is shown, never run
                if row_number == 1 or column == 1:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"  # the header row and the theme column stay in view
        sheet.column_dimensions["A"].width = 48
        for column in range(2, len(data.cases) + 4):
            sheet.column_dimensions[get_column_letter(column)].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEAT_LOW, HEAT_HIGH = (0xF3, 0xF6, 0xF9), (0x1D, 0x5B, 0x86)  # the study page's heat map colours
CELL_W, CELL_H, LABEL_W, HEAD_H = 130.0, 34.0, 340.0, 64.0


def _heat(share: float) -> tuple[str, str]:
    """The cell's colour for ``share`` (0–1) and the ink with more contrast on it (white or near-black)."""
    rgb = [round(lo + (hi - lo) * share) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True)]
    linear = [(c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    dark = 0.0237  # #1f2a2e
    ink = "#ffffff" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / (dark + 0.05) else "#1f2a2e"
    return "#" + "".join(f"{c:02x}" for c in rgb), ink


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def matrix_svg(data: MatrixOut) -> Markup:
    """The matrix (coded factors per theme and case) as a heat map in SVG, as the study page draws it: darker
    is more; every number is written in its cell, so the picture needs no colour to be read. Text escaped."""
    by_cell = {(c.theme_key, c.review_id): c.factors for c in data.cells}
    top = max([1, *by_cell.values()])
    width = LABEL_W + CELL_W * max(1, len(data.cases))
    height = HEAD_H + CELL_H * max(1, len(data.themes))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="DejaVu Sans, sans-serif" font-size="13" '
        'aria-hidden="true">',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    for column, case in enumerate(data.cases):
        x = LABEL_W + CELL_W * column + CELL_W / 2
        parts.append(
            f'<text x="{x:.0f}" y="{HEAD_H - 12:.0f}" text-anchor="middle" font-weight="700" fill="#1f2a2e">'
            f"{escape(_clip(printable(case.title), 15))}</text>"
        )
    for row, theme in enumerate(data.themes):
        y = HEAD_H + CELL_H * row
        parts.append(
            f'<text x="{LABEL_W - 10:.0f}" y="{y + CELL_H / 2 + 5:.0f}" text-anchor="end" fill="#1f2a2e">'
            f"{escape(_clip(printable(theme.title), 40))}</text>"
        )
        for column, case in enumerate(data.cases):
            count = by_cell.get((theme.key, case.review_id), 0)
            fill, ink = _heat(count / top)
            x = LABEL_W + CELL_W * column
            parts.append(  # the numbers are large bold text: 3:1 is enough, and the worst cell has about 3.8:1
                f'<rect x="{x + 1:.0f}" y="{y + 1:.0f}" width="{CELL_W - 2:.0f}" height="{CELL_H - 2:.0f}" '
                f'fill="{fill}"/><text x="{x + CELL_W / 2:.0f}" y="{y + CELL_H / 2 + 7:.0f}" text-anchor="middle" '
                f'font-size="19" font-weight="700" fill="{ink}">{count}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
