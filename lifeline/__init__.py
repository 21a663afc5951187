"""The family life-line (levenslijn) as a pure library: fuzzy dates, events, layout, figure, banner, CSV."""

from lifeline.banner import banner_page_count, banner_pdf, banner_svg
from lifeline.csvio import CsvImportError, RowError, export_csv, import_csv
from lifeline.dates import (
    DateParseError,
    FuzzyDate,
    Period,
    Precision,
    When,
    parse_date,
    parse_when,
    when_from_edtf,
)
from lifeline.events import Event, EventId, Lane, Pin, lane_label, pin_when, sorted_events, status_label
from lifeline.figure import NOMINAL_WIDTH, build_figure, figure_dict, figure_json
from lifeline.layout import Placement, lanes_in_order, layout

__all__ = [
    "NOMINAL_WIDTH",
    "CsvImportError",
    "DateParseError",
    "Event",
    "EventId",
    "FuzzyDate",
    "Lane",
    "Period",
    "Pin",
    "Placement",
    "Precision",
    "RowError",
    "When",
    "banner_page_count",
    "banner_pdf",
    "banner_svg",
    "build_figure",
    "export_csv",
    "figure_dict",
    "figure_json",
    "import_csv",
    "lane_label",
    "lanes_in_order",
    "layout",
    "parse_date",
    "parse_when",
    "pin_when",
    "sorted_events",
    "status_label",
    "when_from_edtf",
]
