"""CSV export and all-or-nothing import of life-line events, for Excel in Dutch (";") and English (",").

The export carries, besides the typed date texts, an EDTF column and a sortable ISO date (the earliest day);
lanes and statuses are written in the file's language and read in either. On import the date texts win (people
edit those in Excel); the EDTF column is used only where "when" is empty. Dates that Excel rewrote when the
file was saved again (``sep-20``, ``1-9-2020``, ``2020-09-01 00:00:00``) are read as the dates they were.
"""

import _csv
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from lifeline._lang import norm_lang
from lifeline._words import MONTH_WORDS
from lifeline.dates import DateParseError, FuzzyDate, Period, when_from_edtf
from lifeline.events import Event, EventId, lane_label, status_label
from lifeline.text import printable

COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "title",
    "when",
    "until",
    "edtf",
    "sort_date",
    "lane",
    "description",
    "people",
    "organisation",
    "sources",
    "status",
)
DUTCH_COLUMNS: Final[dict[str, str]] = {
    "id": "id",
    "title": "titel",
    "when": "wanneer",
    "until": "tot",
    "edtf": "edtf",
    "sort_date": "sorteerdatum",
    "lane": "baan",
    "description": "beschrijving",
    "people": "betrokkenen",
    "organisation": "organisatie",
    "sources": "bronnen",
    "status": "status",
}
_HEADER_ALIASES: Final[dict[str, str]] = {
    **{name: name for name in COLUMNS},
    **{dutch: name for name, dutch in DUTCH_COLUMNS.items()},
    "nr": "id",
    "gebeurtenis": "title",
    "event": "title",
    "datum": "when",
    "date": "when",
    "van": "when",
    "from": "when",
    "start": "when",
    "tot en met": "until",
    "t/m": "until",
    "einde": "until",
    "end": "until",
    "to": "until",
    "lane": "lane",
    "omschrijving": "description",
    "personen": "people",
    "organization": "organisation",
    "bron": "sources",
    "source": "sources",
}
MAX_ROWS: Final = 5000
"""At most this many event rows per file."""
MAX_CELL: Final = 10_000
"""No cell longer than this many characters (a description's limit) is read at all."""
MAX_DATE_CELL: Final = 100
"""No "when" or "until" longer than this many characters is handed to the date parser."""
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR: Final = "; "
SEPARATORS: Final[dict[str, str]] = {";": ";", ",": ",", "tab": "\t"}
"""The field separators a caller may ask for (by name); Dutch Excel expects ";", English Excel ","."""

# A formula may start a cell, or any piece of it after a separator a spreadsheet might split on (a file read
# with the other separator, a cell pasted into Excel): every such piece gets an apostrophe before it.
_FORMULA_PIECE: Final = re.compile(r"(?<![^,;\t\r\n])( *)(?=[=+\-@])")
_NEUTRALISED_PIECE: Final = re.compile(r"(?<![^,;\t\r\n])( *)'(?=[=+\-@])")


@dataclass(frozen=True)
class RowError:
    """What is wrong with one line of an imported CSV file, in Dutch and English."""

    line: int
    message_nl: str
    message_en: str

    def message(self, lang: str = "nl") -> str:
        """Return the message in Dutch or English, prefixed with the line number."""
        if norm_lang(lang) == "nl":
            return f"Regel {self.line}: {self.message_nl}"
        return f"Line {self.line}: {self.message_en}"


class CsvImportError(ValueError):
    """A CSV import that was refused as a whole; ``errors`` lists every bad line."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.message("en") for error in errors[:5]))

    def message(self, lang: str = "nl") -> str:
        """Return all row errors, one per line, in Dutch or English."""
        return "\n".join(error.message(lang) for error in self.errors)


def neutralise(value: object) -> str:
    """The text of a CSV cell that no spreadsheet runs as a formula: an apostrophe before a leading
    ``= + - @`` (or tab, CR) and before every such sign that follows a ``,`` ``;`` tab or line break."""
    text = printable("" if value is None else str(value))
    text = _FORMULA_PIECE.sub(r"\1'", text)
    return "'" + text if text[:1] in ("\t", "\r") else text


def restore(cell: str) -> str:
    """Undo ``neutralise`` (on import)."""
    if cell[:2] in ("'\t", "'\r"):
        cell = cell[1:]
    return _NEUTRALISED_PIECE.sub(r"\1", cell)


def separator_for(lang: str, sep: str | None = None) -> str:
    """The field separator: the one named (``;``, ``,`` or ``tab``), else ``;`` for Dutch and ``,`` for English."""
    if sep is not None:
        if sep not in SEPARATORS:
            raise ValueError(f"unknown separator {sep!r}: use ;, , or tab")
        return SEPARATORS[sep]
    return ";" if norm_lang(lang) == "nl" else ","


def write_rows(header: list[str], rows: list[list[object]], *, delimiter: str = ";") -> str:
    """CSV text (CRLF lines, every cell quoted and neutralised against formulas) without a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def sort_date(when: FuzzyDate | Period) -> str:
    """The earliest day a date or period may mean, as ISO ``YYYY-MM-DD`` (sorts as text and in Excel)."""
    return when.earliest().isoformat()


def export_csv(
    events: list[Event] | tuple[Event, ...],
    *,
    lang: str = "nl",
    delimiter: str | None = None,
    undated: Iterable[Mapping[str, str]] = (),
    said: Mapping[EventId, str] | None = None,
) -> str:
    """Return the events as CSV text with English or Dutch headers, lanes and statuses (separator ``;`` for
    Dutch and ``,`` for English unless given); every cell is neutralised against formulas.

    ``undated`` are events nobody has dated yet, as cells by column name: their "when" is the words as said
    ("weet ik niet meer"), "until", "edtf" and the sort date are empty; they come last. ``said`` gives, by
    event id, the words of a date that was read from a person or another event ("toen Sem 7 was"): written as
    its "when" (importing the file again reads them again), beside the range it means."""
    language = norm_lang(lang)
    rows: list[list[object]] = []
    for event in events:
        words = (said or {}).get(event.id)
        when, until = (words, "") if words else when_texts(event.when, language)
        rows.append(
            [
                str(event.id),
                event.title,
                when,
                until,
                event.when.to_edtf(),
                sort_date(event.when),
                lane_label(event.lane, language),
                event.description,
                LIST_SEPARATOR.join(event.people),
                event.organisation or "",
                LIST_SEPARATOR.join(event.sources),
                status_label(event.status, language),
            ]
        )
    for cells in undated:
        labelled = {
            **cells,
            "lane": lane_label(cells.get("lane", ""), language),
            "status": status_label(cells.get("status", ""), language),
        }
        rows.append([labelled.get(column, "") for column in COLUMNS])
    header = [DUTCH_COLUMNS[c] if language == "nl" else c for c in COLUMNS]
    return write_rows(header, rows, delimiter=delimiter or separator_for(language))


def _sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


_EXCEL_MONTH_YEAR: Final = re.compile(r"([a-z]{3,9})\.?[-/ ]'?(\d{2}|\d{4})")
_EXCEL_DAY_MONTH_YEAR: Final = re.compile(r"(\d{1,2})[-/. ]([a-z]{3,9}|\d{1,2})\.?[-/. ](\d{2}|\d{4})")
_EXCEL_TIMESTAMP: Final = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


def _excel_year(digits: str) -> int:
    """A year as Excel reads two digits: 00–29 are 2000–2029, 30–99 are 1930–1999."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year < 30 else 1900 + year


def excel_date(text: str) -> str:
    """The date text with the forms Excel writes when it saves a CSV again made readable for the date parser:
    ``sep-20`` → ``sep 2020``, ``1-9-2020``/``01-09-20``/``1-sep-20`` → ``2020-09-01``, a timestamp → its day.
    Anything else comes back unchanged (the day comes first, as in Dutch Excel)."""
    cleaned = text.strip().lower()
    if match := _EXCEL_TIMESTAMP.fullmatch(cleaned):
        return match.group(1)
    if (match := _EXCEL_MONTH_YEAR.fullmatch(cleaned)) and match.group(1) in MONTH_WORDS:
        return f"{match.group(1)} {_excel_year(match.group(2))}"
    if match := _EXCEL_DAY_MONTH_YEAR.fullmatch(cleaned):
        day, month_text, year = match.groups()
        month = int(month_text) if month_text.isdigit() else MONTH_WORDS.get(month_text, 0)
        if 1 <= month <= 12:
            return f"{_excel_year(year):04d}-{month:02d}-{int(day):02d}"
    return text


def _split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.replace("|", ";").split(";") if item.strip()]


@dataclass(frozen=True)
class CsvRecord:
    """One row of a life-line CSV file as read: its line, its event's fields, and its date texts as said.
    ``event`` is None when the date is not a plain date ("toen Sem 7 was", "weet ik niet meer", empty): the
    texts are then for the caller to read against the life-line; ``fields`` holds everything else."""

    line: int
    event: Event | None
    fields: Event  # the row's other fields, checked (its ``when`` is the row's date only when ``event`` is set)
    when_text: str
    until_text: str


def _row_record(values: dict[str, str], line: int, *, said: bool) -> tuple[CsvRecord | None, RowError | None]:
    """A row as a record; ``said`` keeps a date that is not a plain date as its words instead of refusing it."""

    def error(nl: str, en: str) -> tuple[None, RowError]:
        return None, RowError(line, nl, en)

    raw_id = values.get("id", "").strip()
    event_id: EventId = int(raw_id) if raw_id.isdigit() else (raw_id or f"row-{line}")
    title = values.get("title", "").strip()
    if not title:
        return error("de titel ontbreekt.", "the title is missing.")
    when_text, until_text = excel_date(values.get("when", "")), excel_date(values.get("until", ""))

    def event_of(when: str, until: str | None) -> Event:
        return Event.from_text(
            id=event_id,
            title=title,
            when=when,
            until=until,
            lane=values.get("lane", "").strip() or "family",
            description=values.get("description", "").strip(),
            people=_split_list(values.get("people", "")),
            organisation=values.get("organisation", "").strip() or None,
            sources=_split_list(values.get("sources", "")),
            status=values.get("status", "").strip() or "draft",
        )

    try:
        if not when_text.strip() and values.get("edtf", "").strip():
            when_text, until_text = when_from_edtf(values["edtf"].strip()).to_edtf(), ""
        try:
            event: Event | None = event_of(when_text, until_text or None)
        except DateParseError:
            if not said or until_text.strip():  # a period's two ends are plain dates
                raise
            event = None
        fields = event or event_of("2000", None)  # the other fields are checked all the same
    except DateParseError as exc:
        return error(exc.message("nl"), exc.message("en"))
    except ValueError as exc:
        if "status" in str(exc):
            return error(
                f"onbekende status “{values.get('status', '')}”; gebruik concept, bevestigd of betwist.",
                f"unknown status “{values.get('status', '')}”; use draft, confirmed or disputed.",
            )
        return error(f"ongeldige waarde ({exc}).", f"invalid value ({exc}).")
    return CsvRecord(line, event, fields, when_text.strip(), until_text.strip()), None


def _rows(reader: "_csv.Reader") -> Iterator[list[str]]:
    """The reader's rows; a cell over the csv module's own limit (or a broken quote) is a refusal, not a crash."""
    try:
        yield from reader
    except csv.Error:
        raise CsvImportError(
            [
                RowError(
                    reader.line_num,
                    f'deze regel kan niet gelezen worden (een cel van meer dan {MAX_CELL} tekens of een losse ").',
                    f'this line cannot be read (a cell over {MAX_CELL} characters, or a stray ").',
                )
            ]
        ) from None


def _too_long(values: dict[str, str], line: int) -> RowError | None:
    """A cell too long to be read further: refused before anything parses it."""
    for name, cell in values.items():
        limit = MAX_DATE_CELL if name in ("when", "until") else MAX_CELL
        if len(cell) > limit:
            column = DUTCH_COLUMNS.get(name, name)
            return RowError(
                line,
                f"de kolom {column} is te lang (hoogstens {limit} tekens).",
                f"the column {name} is too long (at most {limit} characters).",
            )
    return None


def import_csv(text: str) -> list[Event]:
    """Read events from CSV (``;``, ``,`` or tab, optional BOM, Dutch or English headers, lanes and statuses);
    all rows or none; every date must be a plain date (see ``read_records`` for dates as said)."""
    return [record.fields for record in _read(text, said=False)]


def read_records(text: str) -> list[CsvRecord]:
    """Read the rows of a life-line CSV file as ``import_csv`` does, but keep a date that is not a plain date
    ("toen Sem 7 was", "weet ik niet meer", an empty cell) as its words for the caller to read against the
    life-line; all rows or none."""
    return _read(text, said=True)


def _read(text: str, *, said: bool) -> list[CsvRecord]:
    """The rows of a CSV file; ``said``: see ``read_records``.

    Raises CsvImportError listing every bad line (line numbers as a spreadsheet shows them; the header is 1).
    Bounded before anything is parsed: at most ``MAX_ROWS`` rows, no cell over ``MAX_CELL`` characters, no date
    over ``MAX_DATE_CELL``.
    """
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0][:MAX_CELL]
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first_line))
    try:
        header = next(_rows(reader))
    except StopIteration:
        raise CsvImportError([RowError(1, "het bestand is leeg.", "the file is empty.")]) from None
    columns = [_HEADER_ALIASES.get(name.strip().lower().removeprefix("'")) for name in header]
    missing = [name for name in ("title", "when") if name not in columns]
    if missing:
        nl = ", ".join(DUTCH_COLUMNS[name] for name in missing)
        raise CsvImportError(
            [
                RowError(
                    1,
                    f"kolom(men) {nl} ontbreken; verwacht: {', '.join(DUTCH_COLUMNS.values())}.",
                    f"column(s) {', '.join(missing)} missing; expected: {', '.join(COLUMNS)}.",
                )
            ]
        )
    events: list[CsvRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = 0
    for row in _rows(reader):
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise CsvImportError(
                [
                    RowError(
                        line,
                        f"het bestand heeft meer dan {MAX_ROWS} regels; splits het op.",
                        f"the file has more than {MAX_ROWS} rows; split it up.",
                    )
                ]
            )
        values: dict[str, str] = {}
        for name, cell in zip(columns, row, strict=False):
            if name is not None:
                values[name] = restore(cell)
        problem = _too_long(values, line)
        record, problem = (None, problem) if problem else _row_record(values, line, said=said)
        if problem is not None:
            errors.append(problem)
            continue
        assert record is not None
        key = str(record.fields.id)
        if key in seen:
            errors.append(
                RowError(
                    line,
                    f"id “{key}” komt al voor op regel {seen[key]}.",
                    f"id “{key}” already appears on line {seen[key]}.",
                )
            )
            continue
        seen[key] = line
        events.append(record)
    if errors:
        raise CsvImportError(errors)
    return events


def when_texts(when: FuzzyDate | Period, lang: str = "nl") -> tuple[str, str]:
    """Return the "when" and "until" cells for a date or period."""
    if isinstance(when, Period) and when.end is not None and when.start is not None:
        return when.start.format(lang), when.end.format(lang)
    return when.format(lang), ""
