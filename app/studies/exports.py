"""The study's matrix as files, by the rules of the review's exports: CSV for Dutch Excel (``;`` and decimal
commas for Dutch, a ``sep`` for others, a BOM, every cell neutralised against formulas — through
``app.reports.exports.csv_document``) and an XLSX workbook with typed cells (numbers as numbers, text always
text, never a formula), a bold header row and theme column that stay in view, and its own document properties.
"""

import io
from typing import Any

from app.i18n import _
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
    from app.reports.exports import csv_document

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
