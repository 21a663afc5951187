"""CSV export and all-or-nothing import of life-line events, for Excel in Dutch (";") and English (",")."""

import csv
import io
from dataclasses import dataclass
from typing import Final

from lifeline._lang import norm_lang
from lifeline.dates import DateParseError, FuzzyDate, Period
from lifeline.events import Event, EventId
from lifeline.text import printable

COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "title",
    "when",
    "until",
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
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR: Final = "; "


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


def _neutralise(cell: str) -> str:
    """Prefix an apostrophe to cells a spreadsheet would run as a formula; control characters removed."""
    cell = printable(cell)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _restore(cell: str) -> str:
    """Undo ``_neutralise`` on import."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS) else cell


def export_csv(events: list[Event] | tuple[Event, ...], *, lang: str = "nl", delimiter: str = ",") -> str:
    """Return the events as CSV text with English or Dutch headers; formula-like cells get a leading apostrophe."""
    language = norm_lang(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([DUTCH_COLUMNS[c] if language == "nl" else c for c in COLUMNS])
    for event in events:
        when, until = when_texts(event.when, language)
        row = [
            str(event.id),
            event.title,
            when,
            until,
            event.lane,
            event.description,
            LIST_SEPARATOR.join(event.people),
            event.organisation or "",
            LIST_SEPARATOR.join(event.sources),
            event.status,
        ]
        writer.writerow([_neutralise(cell) for cell in row])
    return buffer.getvalue()


def _sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.replace("|", ";").split(";") if item.strip()]


def _row_event(values: dict[str, str], line: int) -> tuple[Event | None, RowError | None]:
    def error(nl: str, en: str) -> tuple[None, RowError]:
        return None, RowError(line, nl, en)

    raw_id = values.get("id", "").strip()
    event_id: EventId = int(raw_id) if raw_id.isdigit() else (raw_id or f"row-{line}")
    title = values.get("title", "").strip()
    if not title:
        return error("de titel ontbreekt.", "the title is missing.")
    try:
        event = Event.from_text(
            id=event_id,
            title=title,
            when=values.get("when", ""),
            until=values.get("until") or None,
            lane=values.get("lane", "").strip() or "family",
            description=values.get("description", "").strip(),
            people=_split_list(values.get("people", "")),
            organisation=values.get("organisation", "").strip() or None,
            sources=_split_list(values.get("sources", "")),
            status=values.get("status", "").strip() or "draft",
        )
    except DateParseError as exc:
        return error(exc.message("nl"), exc.message("en"))
    except ValueError as exc:
        if "status" in str(exc):
            return error(
                f"onbekende status “{values.get('status', '')}”; gebruik concept, bevestigd of betwist.",
                f"unknown status “{values.get('status', '')}”; use draft, confirmed or disputed.",
            )
        return error(f"ongeldige waarde ({exc}).", f"invalid value ({exc}).")
    return event, None


def import_csv(text: str) -> list[Event]:
    """Read events from CSV (``,`` or ``;``, optional BOM, Dutch or English headers); all rows or none.

    Raises CsvImportError listing every bad line (line numbers as a spreadsheet shows them; the header is 1).
    """
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first_line))
    try:
        header = next(reader)
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
    events: list[Event] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values: dict[str, str] = {}
        for name, cell in zip(columns, row, strict=False):
            if name is not None:
                values[name] = _restore(cell)
        event, problem = _row_event(values, line)
        if problem is not None:
            errors.append(problem)
            continue
        assert event is not None
        key = str(event.id)
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
        events.append(event)
    if errors:
        raise CsvImportError(errors)
    return events


def when_texts(when: FuzzyDate | Period, lang: str = "nl") -> tuple[str, str]:
    """Return the "when" and "until" cells for a date or period."""
    if isinstance(when, Period) and when.end is not None:
        return when.start.format(lang), when.end.format(lang)
    return when.format(lang), ""
