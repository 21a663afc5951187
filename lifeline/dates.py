"""Fuzzy dates and periods for the life-line: parsing Dutch/English text, formatting, ranges and EDTF.

Design choices (documented here because other modules and the UI rely on them):

- Seasons are astronomical: spring = 21 Mar–20 Jun, summer = 21 Jun–22 Sep, autumn = 23 Sep–20 Dec and
  winter YYYY = 21 Dec YYYY – 20 Mar YYYY+1 (the winter that *starts* in that year).
- Parts of a year follow the EDTF quadrimesters: early ("begin") = Jan–Apr, mid ("midden", "medio") = May–Aug,
  late ("eind") = Sep–Dec.
- "approximate" ("ca.", "rond", "approx.", EDTF ``~``) widens the range on both sides by: 7 days for a day,
  1 month for a month or a season, 2 months for a part of a year, 1 year for a year and 5 years for a decade.
- Numeric dates are read in Dutch order, also in English: ``12-03-2019`` is 12 March 2019;
  ``2019-03-12`` is ISO.
- Two-digit decades ("jaren 90", "'90s") mean 1920–1990 for 20–90 and 2000/2010 for 00/10.
- An open-ended period ("sinds 2022") has ``latest()`` equal to its start's latest; drawings extend it to the
  horizon of the whole life-line. A period without a known start ("voor 2010", "tot de zomer van 2018") has
  ``earliest()`` equal to its end's earliest and is drawn from the start of the life-line (EDTF ``../2009``).
- Halves, quarters and weeks are periods of months or days ("tweede helft 2017" = jul.–dec. 2017, "week 40
  2020" = the ISO week, Monday to Sunday). A Dutch school year runs from 1 August to 31 July
  ("schooljaar 2016/2017"). School holidays are the span over all three Dutch regions, approximately:
  herfstvakantie 10 Oct–1 Nov, kerstvakantie 18 Dec–8 Jan, voorjaarsvakantie 8 Feb–8 Mar, meivakantie
  20 Apr–10 May, zomervakantie 1 Jul–5 Sep; Easter (Pasen) is Easter Sunday, approximately (± 7 days).
- Two-digit years ("juni '17", "in '02") pivot at ``TWO_DIGIT_PIVOT``: '00–'39 are 2000–2039, '40–'99 are
  1940–1999. Parts of a decade: begin = years 0–3, midden = 3–6, eind = 7–9 ("midden jaren 80" = 1983–1986).
- A text longer than ``MAX_TEXT_LENGTH`` characters is refused before any parsing, and the parser never
  tries more than a fixed number of ways to split a period: parsing is linear in the text's length.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property, total_ordering
from typing import Final, Literal, cast

from lifeline._lang import norm_lang
from lifeline._words import (
    APPROX_LABEL,
    APPROX_PREFIXES,
    DECADE_WORDS,
    HALF_WORDS,
    HOLIDAY_SPANS,
    HOLIDAY_WORDS,
    MONTH_LONG,
    MONTH_SHORT,
    MONTH_WORDS,
    PART_NAMES,
    PART_WORDS,
    QUARTER_WORDS,
    SEASON_NAMES,
    SEASON_WORDS,
    UNDATED_WORDS,
)

Season = Literal["spring", "summer", "autumn", "winter"]
Part = Literal["early", "mid", "late"]

SEASONS: Final[tuple[Season, ...]] = ("spring", "summer", "autumn", "winter")
PARTS: Final[tuple[Part, ...]] = ("early", "mid", "late")
MIN_YEAR: Final = 1000
MAX_YEAR: Final = 2999
MAX_TEXT_LENGTH: Final = 200
TWO_DIGIT_PIVOT: Final = 40
_MAX_SPLITS: Final = 8

# (start month, start day, end month, end day, end year offset)
_SEASON_RANGE: Final[dict[Season, tuple[int, int, int, int, int]]] = {
    "spring": (3, 21, 6, 20, 0),
    "summer": (6, 21, 9, 22, 0),
    "autumn": (9, 23, 12, 20, 0),
    "winter": (12, 21, 3, 20, 1),
}
_PART_MONTHS: Final[dict[Part, tuple[int, int]]] = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_EDTF_SEASON: Final[dict[Season, int]] = {"spring": 21, "summer": 22, "autumn": 23, "winter": 24}
_EDTF_PART: Final[dict[Part, int]] = {"early": 37, "mid": 38, "late": 39}


class Precision(StrEnum):
    """How exact a fuzzy date is, from a single day to a whole decade."""

    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"


_PRECISION_RANK: Final[dict[Precision, int]] = {p: i for i, p in enumerate(Precision)}


class DateParseError(ValueError):
    """A text that is not a date or period the life-line understands; ``message(lang)`` says what works."""

    _PROBLEMS: Final[dict[str, tuple[str, str]]] = {
        "empty": ("Er is geen datum ingevuld.", "No date was entered."),
        "unknown": ("“{text}” is geen datum die ik herken.", "“{text}” is not a date I recognise."),
        "no_such_day": ("“{text}” bestaat niet als dag.", "“{text}” is not an existing day."),
        "year_range": (
            "In “{text}” ligt het jaar niet tussen 1000 en 2999.",
            "The year in “{text}” is not between 1000 and 2999.",
        ),
        "end_before_start": (
            "In “{text}” ligt het einde vóór het begin.",
            "In “{text}” the end lies before the start.",
        ),
        "edtf": ("“{text}” is geen geldige EDTF-datum.", "“{text}” is not a valid EDTF date."),
        "double_period": (
            "“{text}” is al een periode; vul dan geen einddatum apart in.",
            "“{text}” is already a period; do not give a separate end date.",
        ),
        "open_start": (
            "“{text}” heeft geen begin; geef een begindatum, bijvoorbeeld “2014–2018”.",
            "“{text}” has no start; give a start date, for example “2014–2018”.",
        ),
        "too_long": (
            "Deze datumtekst is te lang (meer dan 200 tekens).",
            "This date text is too long (more than 200 characters).",
        ),
        "no_such_week": ("“{text}” is geen bestaande week.", "“{text}” is not an existing week."),
        "no_reference": (
            "“{text}” hangt af van de datum van het gesprek, maar die is niet bekend; vul een datum van "
            "referentie in of schrijf de datum zelf.",
            "“{text}” depends on the date of the conversation, which is not known; give a reference date or "
            "write the date itself.",
        ),
        "no_person": (
            "In “{text}” is niet duidelijk om wie het gaat; noem het kind of zet het bij het gebeurtenis "
            "(personen van de levenslijn: {names}).",
            "“{text}” does not say who it is about; name the child or add them to the event "
            "(people of the life-line: {names}).",
        ),
        "no_birth": (
            "Van {names} is geen geboortedatum bekend; vul die in bij de personen van de levenslijn.",
            "{names} has no date of birth; add it to the people of the life-line.",
        ),
        "no_anchor": (
            "In “{text}” vind ik geen gebeurtenis van de levenslijn die zo heet.",
            "“{text}” names no event of the life-line that I can find.",
        ),
        "ambiguous_anchor": (
            "“{text}” past bij meer dan één gebeurtenis: {names}. Maak de woorden preciezer.",
            "“{text}” matches more than one event: {names}. Make the words more precise.",
        ),
        "cycle": (
            "“{text}” zou deze gebeurtenis laten afhangen van zichzelf (via {names}).",
            "“{text}” would make this event depend on itself (through {names}).",
        ),
    }
    _HELP: Final[tuple[str, str]] = (
        "Bruikbaar zijn bijvoorbeeld: 2014, ca. 2006, voorjaar 2014, sept. 2020, juni '17, "
        "12-03-2019 (dag-maand-jaar), eind 2018, tweede helft 2017, Q2 2016, week 40 2020, "
        "schooljaar 2016/2017, kerstvakantie 2016, midden jaren 80; "
        "en perioden: 2014–2017, van 2014 tot 2018, tussen 2014 en 2016, sinds 2022, voor 2010; "
        "of “weet ik niet meer”.",
        "Formats that work, for example: 2014, approx. 2006, spring 2014, Sept. 2020, June '17, "
        "12-03-2019 (day-month-year), 2019-03-12, late 2018, second half of 2017, Q2 2016, week 40 2020, "
        "the 2016-17 school year, Easter 2015, the mid 1980s; "
        "and periods: 2014–2017, from 2014 to 2018, between 2014 and 2016, since 2022, before 2010; "
        "or “not known”.",
    )

    def __init__(self, text: str, reason: str = "unknown", names: tuple[str, ...] = ()) -> None:
        self.text = text if len(text) <= MAX_TEXT_LENGTH else text[:MAX_TEXT_LENGTH] + "…"
        self.reason = reason if reason in self._PROBLEMS else "unknown"
        self.names = names
        super().__init__(self.message("en"))

    def message(self, lang: str = "nl") -> str:
        """Explain in Dutch or English what is wrong and which formats work, with examples."""
        index = 0 if norm_lang(lang) == "nl" else 1
        problem = self._PROBLEMS["empty" if not self.text.strip() else self.reason][index]
        names = ", ".join(f"“{name}”" for name in self.names) or "–"
        return f"{problem.format(text=self.text.strip(), names=names)} {self._HELP[index]}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def shift_months(day: date, months: int, *, snap_end: bool = False) -> date:
    """``day`` moved by whole months, its day clamped to the month's length (31 January + 1 month: 28 or 29
    February); ``snap_end`` keeps a month's last day at the last day (30 April + 1 month: 31 May)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _last_day(year, month)
    if snap_end and day.day == _last_day(day.year, day.month):
        return date(year, month, last)
    return date(year, month, min(day.day, last))


@total_ordering
@dataclass(frozen=True)
class FuzzyDate:
    """A date that may be vague: a day, month, season, (part of a) year or decade, optionally approximate."""

    year: int
    month: int | None = None
    day: int | None = None
    season: Season | None = None
    part: Part | None = None
    precision: Precision = Precision.YEAR
    approximate: bool = False

    def __post_init__(self) -> None:
        inferred = self._inferred_precision()
        if self.precision is Precision.YEAR and inferred is not Precision.YEAR:
            object.__setattr__(self, "precision", inferred)
        elif self.precision is Precision.DECADE:
            if inferred is not Precision.YEAR or self.part is not None or self.year % 10:
                raise ValueError("a decade has only a year that ends in 0")
        elif self.precision is not inferred:
            raise ValueError(f"precision {self.precision} does not match the fields given")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year {self.year} is outside {MIN_YEAR}–{MAX_YEAR}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            if not 1 <= self.day <= _last_day(self.year, self.month):
                raise ValueError(f"day {self.day} does not exist in {self.year}-{self.month:02d}")
        if self.season is not None and (self.season not in SEASONS or self.month is not None):
            raise ValueError(f"bad season {self.season!r}")
        if self.part is not None and (self.part not in PARTS or self.month is not None or self.season):
            raise ValueError(f"bad part of year {self.part!r}")

    def _inferred_precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        if self.season is not None:
            return Precision.SEASON
        return Precision.YEAR

    def _exact_range(self) -> tuple[date, date]:
        year = self.year
        match self.precision:
            case Precision.DAY:
                assert self.month is not None and self.day is not None
                day = date(year, self.month, self.day)
                return day, day
            case Precision.MONTH:
                assert self.month is not None
                return date(year, self.month, 1), date(year, self.month, _last_day(year, self.month))
            case Precision.SEASON:
                assert self.season is not None
                m1, d1, m2, d2, offset = _SEASON_RANGE[self.season]
                return date(year, m1, d1), date(year + offset, m2, d2)
            case Precision.DECADE:
                return date(year, 1, 1), date(year + 9, 12, 31)
            case _:
                if self.part is None:
                    return date(year, 1, 1), date(year, 12, 31)
                first, last = _PART_MONTHS[self.part]
                return date(year, first, 1), date(year, last, _last_day(year, last))

    def _range(self) -> tuple[date, date]:
        return self._bounds

    @cached_property
    def _bounds(self) -> tuple[date, date]:
        """The widened range, computed once: frozen instances never change."""
        start, end = self._exact_range()
        if not self.approximate:
            return start, end
        match self.precision:
            case Precision.DAY:
                return start - timedelta(days=7), end + timedelta(days=7)
            case Precision.MONTH | Precision.SEASON:
                return shift_months(start, -1), shift_months(end, 1, snap_end=True)
            case Precision.DECADE:
                return start.replace(year=start.year - 5), end.replace(year=end.year + 5)
            case _:
                if self.part is not None:
                    return shift_months(start, -2), shift_months(end, 2, snap_end=True)
                return start.replace(year=start.year - 1), end.replace(year=end.year + 1)

    def earliest(self) -> date:
        """Return the first day this date can mean (widened when approximate)."""
        return self._range()[0]

    def latest(self) -> date:
        """Return the last day this date can mean (widened when approximate)."""
        return self._range()[1]

    def midpoint(self) -> date:
        """Return the middle of the possible range, where a point event is drawn."""
        start, end = self._range()
        return start + (end - start) // 2

    def format(self, lang: str = "nl") -> str:
        """Format as canonical Dutch or English text that ``parse_date`` reads back to the same value."""
        language = norm_lang(lang)
        match self.precision:
            case Precision.DAY:
                assert self.month is not None and self.day is not None
                if language == "nl":
                    body = f"{self.day:02d}-{self.month:02d}-{self.year}"
                else:
                    body = f"{self.day} {MONTH_LONG['en'][self.month - 1]} {self.year}"
            case Precision.MONTH:
                assert self.month is not None
                body = f"{MONTH_SHORT[language][self.month - 1]} {self.year}"
            case Precision.SEASON:
                assert self.season is not None
                body = f"{SEASON_NAMES[language][self.season]} {self.year}"
            case Precision.DECADE:
                if language == "en":
                    body = f"the {self.year}s"
                elif 1920 <= self.year <= 1990:
                    body = f"jaren {self.year % 100:02d}"
                else:
                    body = f"jaren {self.year}"
            case _:
                part = "" if self.part is None else f"{PART_NAMES[language][self.part]} "
                body = f"{part}{self.year}"
        return f"{APPROX_LABEL[language]} {body}" if self.approximate else body

    def to_edtf(self) -> str:
        """Return the ISO 8601-2 / EDTF form, e.g. ``2018~``, ``2014-21``, ``2019-37``, ``201X``.

        EDTF readers (python-edtf) refuse a qualified season or part of a year ("2017-22~"), so an approximate
        season or part is written as the interval of its first and last month, each approximate
        ("2017-06~/2017-09~"); reading that back gives those months, not the season.
        """
        if self.approximate and (self.season is not None or self.part is not None):
            if self.season is not None:
                m1, _, m2, _, offset = _SEASON_RANGE[self.season]
            else:
                assert self.part is not None
                (m1, m2), offset = _PART_MONTHS[self.part], 0
            return f"{self.year:04d}-{m1:02d}~/{self.year + offset:04d}-{m2:02d}~"
        match self.precision:
            case Precision.DAY:
                body = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            case Precision.MONTH:
                body = f"{self.year:04d}-{self.month:02d}"
            case Precision.SEASON:
                assert self.season is not None
                body = f"{self.year:04d}-{_EDTF_SEASON[self.season]}"
            case Precision.DECADE:
                body = f"{self.year // 10:03d}X"
            case _:
                body = f"{self.year:04d}" if self.part is None else f"{self.year:04d}-{_EDTF_PART[self.part]}"
        return body + ("~" if self.approximate else "")

    @classmethod
    def from_edtf(cls, text: str) -> "FuzzyDate":
        """Read an EDTF date (``~``, ``?`` and ``%`` mean approximate); raise DateParseError if invalid."""
        match = _EDTF_RE.fullmatch(text.strip())
        if match is None:
            raise DateParseError(text, "edtf")
        decade, year, second, third, qualifier = match.groups()
        approximate = qualifier is not None
        try:
            if decade is not None:
                return cls(int(decade) * 10, precision=Precision.DECADE, approximate=approximate)
            y = int(year)
            if second is None:
                return cls(y, approximate=approximate)
            code = int(second)
            if third is not None:
                return cls(y, code, int(third), approximate=approximate)
            if 1 <= code <= 12:
                return cls(y, code, approximate=approximate)
            for season, value in _EDTF_SEASON.items():
                if value == code:
                    return cls(y, season=season, approximate=approximate)
            for part, value in _EDTF_PART.items():
                if value == code:
                    return cls(y, part=part, approximate=approximate)
        except ValueError:
            pass
        raise DateParseError(text, "edtf")

    def sort_key(self) -> tuple[date, date, int, bool, int, int, int, str, str]:
        """Return the ordering key: by earliest, then latest, then the remaining fields."""
        start, end = self._range()
        return (
            start,
            end,
            _PRECISION_RANK[self.precision],
            self.approximate,
            self.year,
            self.month or 0,
            self.day or 0,
            self.season or "",
            self.part or "",
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()


_EDTF_RE: Final = re.compile(r"(?:(\d{3})[Xx]|(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)([~?%])?")


@total_ordering
@dataclass(frozen=True)
class Period:
    """A span between two fuzzy dates ("2014–2017"), open-ended from a start ("sinds 2022"), or without a
    known start up to an end ("voor 2010": ``start`` is None and ``open_start`` is set)."""

    start: FuzzyDate | None
    end: FuzzyDate | None = None
    open_ended: bool = False
    open_start: bool = False

    def __post_init__(self) -> None:
        if self.open_ended != (self.end is None):
            raise ValueError("a period has an end unless it is open-ended")
        if self.open_start != (self.start is None):
            raise ValueError("a period has a start unless its start is open")
        if self.start is None and self.end is None:
            raise ValueError("a period needs a start or an end")
        if self.start is not None and self.end is not None and self.end.latest() < self.start.earliest():
            raise ValueError("the end of a period lies before its start")

    @property
    def known(self) -> FuzzyDate:
        """The start, or for a period without a known start its end."""
        known = self.start or self.end
        assert known is not None
        return known

    def earliest(self) -> date:
        """Return the first day the period can start (for an open start: the end's earliest)."""
        return self.known.earliest()

    def latest(self) -> date:
        """Return the last day the period can end (for an open-ended period: the start's latest)."""
        return (self.end or self.known).latest()

    def midpoint(self) -> date:
        """Return the middle of the possible range."""
        start, end = self.earliest(), self.latest()
        return start + (end - start) // 2

    def format(self, lang: str = "nl") -> str:
        """Format as "2014–2017", "sinds 2022" / "since 2022" or "tot en met 2009" / "until 2009"."""
        language = norm_lang(lang)
        if self.start is None:
            assert self.end is not None
            return f"{'tot en met' if language == 'nl' else 'until'} {self.end.format(language)}"
        start = self.start.format(language)
        if self.end is None:
            return f"{'sinds' if language == 'nl' else 'since'} {start}"
        end = self.end.format(language)
        separator = " – " if any(c in start + end for c in " -") else "–"
        return f"{start}{separator}{end}"

    def to_edtf(self) -> str:
        """Return the EDTF interval, e.g. ``2014/2017``, ``2022/..`` or ``../2009``."""
        start = ".." if self.start is None else _edtf_endpoint(self.start, first=True)
        end = ".." if self.end is None else _edtf_endpoint(self.end, first=False)
        if (
            self.start is not None
            and self.end is not None
            and FuzzyDate.from_edtf(end).latest() < (FuzzyDate.from_edtf(start).earliest())
        ):
            # approximate ends may overlap ("ca. mid 1900 – ca. winter 1900"); written as months, the end would
            # come first, which EDTF refuses: the interval then ends where the start's own months end
            end = _edtf_endpoint(self.start, first=False)
        return f"{start}/{end}"

    @classmethod
    def from_edtf(cls, text: str) -> "Period":
        """Read an EDTF interval such as ``2014/2017``, ``2022/..`` or ``../2009``; raise DateParseError if
        invalid."""
        parts = text.strip().split("/")
        if len(parts) != 2 or "" in parts or parts == ["..", ".."]:
            raise DateParseError(text, "edtf")
        if parts[0] == "..":
            return cls(None, FuzzyDate.from_edtf(parts[1]), open_start=True)
        start = FuzzyDate.from_edtf(parts[0])
        if parts[1] == "..":
            return cls(start, None, open_ended=True)
        end = FuzzyDate.from_edtf(parts[1])
        try:
            return cls(start, end)
        except ValueError:
            raise DateParseError(text, "end_before_start") from None

    def sort_key(self) -> tuple[date, date, tuple[object, ...], tuple[object, ...]]:
        """Return the ordering key: by earliest, then latest, then start and end."""
        start_key: tuple[object, ...] = () if self.start is None else self.start.sort_key()
        end_key: tuple[object, ...] = () if self.end is None else self.end.sort_key()
        return (self.earliest(), self.latest(), start_key, end_key)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key() < other.sort_key()


When = FuzzyDate | Period


def _edtf_endpoint(value: FuzzyDate, *, first: bool) -> str:
    """One side of an EDTF interval in a form python-edtf reads: it refuses most decades ("190X/..") and
    parts of a year (2019-37) inside an interval, so these are written as their first or last year or month."""
    qualifier = "~" if value.approximate else ""
    if value.precision is Precision.DECADE:
        return f"{value.year if first else value.year + 9:04d}{qualifier}"
    if value.part is not None:  # python-edtf reads no part of a year (2019-37) inside an interval
        month = _PART_MONTHS[value.part][0 if first else 1]
        return f"{value.year:04d}-{month:02d}{qualifier}"
    text = value.to_edtf()
    return text.split("/")[0 if first else -1]


def when_from_edtf(text: str) -> When:
    """Read an EDTF date or interval."""
    return Period.from_edtf(text) if "/" in text else FuzzyDate.from_edtf(text)


# --- parsing ---

_SPACES: Final = re.compile(r"\s+")
_DECADE_2 = r"'?(\d)0'?s?"


def _normalise(text: str) -> str:
    cleaned = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'").replace("\u00a0", " ")
    return _SPACES.sub(" ", cleaned).strip()


def _strip_approx(s: str) -> tuple[str, bool]:
    if re.fullmatch(r"\d{3}\?", s):
        return s, False
    for suffix in ("~", "?", "%"):
        if s.endswith(suffix):
            return s[: -len(suffix)].rstrip(), True
    for prefix in APPROX_PREFIXES:
        if s.startswith(prefix):
            rest = s[len(prefix) :]
            if rest.startswith("."):
                rest = rest[1:]
            elif prefix[-1].isalpha() and rest[:1].isalnum():
                continue  # "c" must not eat the start of a word such as "circa"
            rest = rest.strip()
            if rest:
                return rest, True
    return s, False


def _two_digit_decade(digit: str) -> int:
    tens = int(digit)
    return 2000 + tens * 10 if tens < 2 else 1900 + tens * 10


def _make(text: str, **fields: object) -> FuzzyDate:
    year = fields.get("year")
    if isinstance(year, int) and not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(text, "year_range")
    try:
        return FuzzyDate(**fields)  # type: ignore[arg-type]
    except ValueError:
        raise DateParseError(text, "no_such_day") from None


def _word_date(text: str, word: str, year: int, approximate: bool) -> FuzzyDate | None:
    if word in MONTH_WORDS:
        return _make(text, year=year, month=MONTH_WORDS[word], approximate=approximate)
    if word in SEASON_WORDS:
        return _make(text, year=year, season=cast(Season, SEASON_WORDS[word]), approximate=approximate)
    if word in PART_WORDS:
        return _make(text, year=year, part=cast(Part, PART_WORDS[word]), approximate=approximate)
    return None


def parse_date(text: str) -> FuzzyDate:
    """Parse a Dutch or English fuzzy date such as "ca. 2006", "voorjaar 2014", "sept. 2020" or "jaren 90"."""
    s = prepare(text)
    if not s:
        raise DateParseError(text, "empty")
    s = re.sub(r"^(?:in\s+)?(?:het|de|the)\s+", "", s)
    s = re.sub(r"^in\s+(?=\S)", "", s)
    s, approximate = _strip_approx(s)
    s = re.sub(r"^(?:het|de|the)\s+", "", s)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
        return _make(text, year=int(m[1]), month=int(m[2]), day=int(m[3]), approximate=approximate)
    if m := re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})", s):
        return _make(text, year=int(m[3]), month=int(m[2]), day=int(m[1]), approximate=approximate)
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", s)) and 1 <= int(m[2]) <= 12:
        return _make(text, year=int(m[1]), month=int(m[2]), approximate=approximate)
    if m := re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{4})", s):
        return _make(text, year=int(m[2]), month=int(m[1]), approximate=approximate)
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th|e)?\.?\s*([a-z]+)\.?,?\s*(\d{4})", s)
    if m and m[2] in MONTH_WORDS:
        return _make(text, year=int(m[3]), month=MONTH_WORDS[m[2]], day=int(m[1]), approximate=approximate)
    m = re.fullmatch(r"([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", s)
    if m and m[1] in MONTH_WORDS:
        return _make(text, year=int(m[3]), month=MONTH_WORDS[m[1]], day=int(m[2]), approximate=approximate)
    if m := re.fullmatch(r"([a-z]+)\.?(?:\s+(?:van|of|in))?\s*-?\s*(\d{4})", s):
        found_word = _word_date(text, m[1], int(m[2]), approximate)
        if found_word is not None:
            return found_word
    if m := re.fullmatch(r"(\d{4})", s):
        return _make(text, year=int(m[1]), approximate=approximate)
    decade = _parse_decade(s)
    if decade is not None:
        return _make(text, year=decade, precision=Precision.DECADE, approximate=approximate)
    raise DateParseError(text)


def _parse_decade(s: str) -> int | None:
    if m := re.fullmatch(r"(\d{3})[x?]", s):
        return int(m[1]) * 10
    if m := re.fullmatch(r"(\d{3})0'?s", s):
        return int(m[1]) * 10
    if m := re.fullmatch(r"'?(\d)0'?s", s):
        return _two_digit_decade(m[1])
    if m := re.fullmatch(r"jaren\s*'?(\d)0", s):
        return _two_digit_decade(m[1])
    if m := re.fullmatch(r"jaren\s*(\d{3})0", s):
        return int(m[1]) * 10
    if m := re.fullmatch(r"(?:jaren\s+)?([a-z]+)", s):
        return DECADE_WORDS.get(m[1])
    return None


_OPEN_PREFIX: Final = re.compile(r"(?:sinds|vanaf|since|starting from|starting|from|van)\s+(.+)")
_RANGE_PREFIX: Final = re.compile(r"(?:van|from|tussen|between)\s+(.+)")
_OPEN_SUFFIX: Final = re.compile(
    r"(.+?)\s*(?:(?:[-–—/]|\s(?:tot|to|until|till)\s)\s*(?:heden|nu|now|present|today|vandaag|\.\.)|[-–—/]|/\.\.)"
)
_UNTIL_PREFIX: Final = re.compile(r"(?:tot en met|t/m|tot|until|till|up to|to)\s+(.+)")
_BEFORE_PREFIX: Final = re.compile(r"(?:voor|vóór|before|prior to)\s+(.+)")
_AFTER_PREFIX: Final = re.compile(r"(?:na|after)\s+(.+)")
_WORD_SEPARATORS: Final = re.compile(
    r"\s+(?:tot en met|t/m|tot|to|until|till|through|thru|en|and)\s+|\s*[–—]\s*|\s+-\s+"
)
_TWO_DIGIT_YEAR: Final = re.compile(r"(?<![\w'])(?<!jaren )'(\d{2})(?![\d's])")
_HALF: Final = re.compile(r"(eerste|1e|first|1st|tweede|2e|second|2nd)\s+(?:helft|half)(?:\s+(?:van|of))?\s+(\d{4})")
_HALF_CODE: Final = re.compile(r"(h[12])\s*(\d{4})|(\d{4})\s*-?\s*(h[12])")
_QUARTER: Final = re.compile(r"([a-z0-9]+)\s+(?:kwartaal|quarter)(?:\s+(?:van|of))?\s+(\d{4})")
_QUARTER_CODE: Final = re.compile(r"q([1-4])\s*(?:van\s+|of\s+)?(\d{4})|(\d{4})\s*-?\s*q([1-4])")
_SCHOOL_YEAR: Final = re.compile(
    r"(?:schooljaar|school year)\s+(\d{2}|\d{4})\s*[-/–—]\s*(\d{2}|\d{4})"
    r"|(\d{4})\s*[-/–—]\s*(\d{2}|\d{4})\s+(?:school year|schooljaar)"
)
_WEEK: Final = re.compile(r"(?:week|wk)\.?\s*(\d{1,2})(?:\s+(?:van|of|in))?\s+(\d{4})|(\d{4})-?w(\d{2})")
_HOLIDAY: Final = re.compile(r"([a-z ]+?)(?:\s+(?:van|of|in))?\s+(\d{4})")
_DECADE_PART: Final = re.compile(r"([a-z]+)[\s-]+(?:van\s+de\s+|of\s+the\s+|the\s+)?(.+)")
_DECADE_PART_YEARS: Final[dict[Part, tuple[int, int]]] = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}


def check_length(text: str) -> None:
    """Refuse a text longer than ``MAX_TEXT_LENGTH`` before any parsing (DateParseError "too_long")."""
    if len(text) > MAX_TEXT_LENGTH:
        raise DateParseError(text, "too_long")


def two_digit_year(digits: str) -> int:
    """Return the year of a two-digit year ("'17" → 2017, "'85" → 1985), pivoting at ``TWO_DIGIT_PIVOT``."""
    value = int(digits)
    return 2000 + value if value < TWO_DIGIT_PIVOT else 1900 + value


def easter(year: int) -> date:
    """Return Easter Sunday of a year (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _months(text: str, year: int, first: int, last: int) -> Period:
    return Period(_make(text, year=year, month=first), _make(text, year=year, month=last))


def _days(first: date, last: date) -> Period:
    return Period(FuzzyDate(first.year, first.month, first.day), FuzzyDate(last.year, last.month, last.day))


def _check_year(text: str, year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(text, "year_range")
    return year


def _special(text: str, s: str) -> When | None:
    """Halves, quarters, school years, holidays, weeks and parts of decades; None for anything else."""
    s = re.sub(r"^(?:in\s+)?(?:het|de|the)\s+", "", s)
    s = re.sub(r"^(?:in|during|tijdens)\s+(?=\S)", "", s)
    s = re.sub(r"^(?:het|de|the)\s+", "", s)
    if m := _HALF.fullmatch(s):
        half, year = HALF_WORDS[m[1]], _check_year(text, int(m[2]))
        return _months(text, year, 1, 6) if half == 1 else _months(text, year, 7, 12)
    if m := _HALF_CODE.fullmatch(s):
        code, year = (m[1], int(m[2])) if m[1] else (m[4], int(m[3]))
        return _months(text, _check_year(text, year), 1, 6) if code == "h1" else _months(text, year, 7, 12)
    if (m := _QUARTER.fullmatch(s)) and m[1] in QUARTER_WORDS:
        quarter, year = QUARTER_WORDS[m[1]], _check_year(text, int(m[2]))
        return _months(text, year, quarter * 3 - 2, quarter * 3)
    if m := _QUARTER_CODE.fullmatch(s):
        quarter, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        return _months(text, _check_year(text, year), quarter * 3 - 2, quarter * 3)
    if m := _SCHOOL_YEAR.fullmatch(s):
        first, second = (m[1], m[2]) if m[1] else (m[3], m[4])
        start = int(first) if len(first) == 4 else two_digit_year(first)
        end = int(second) if len(second) == 4 else start // 100 * 100 + int(second)
        if end != start + 1:
            raise DateParseError(text, "end_before_start" if end <= start else "unknown")
        _check_year(text, start)
        return Period(_make(text, year=start, month=8), _make(text, year=end, month=7))
    if m := _WEEK.fullmatch(s):
        week, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        _check_year(text, year)
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise DateParseError(text, "no_such_week") from None
        return _days(monday, monday + timedelta(days=6))
    if (m := _HOLIDAY.fullmatch(s)) and m[1] in HOLIDAY_WORDS:
        holiday, year = HOLIDAY_WORDS[m[1]], _check_year(text, int(m[2]))
        if holiday == "easter":
            day = easter(year)
            return FuzzyDate(year, day.month, day.day, approximate=True)
        if holiday == "christmas_day":
            return FuzzyDate(year, 12, 25, approximate=True)
        m1, d1, m2, d2, offset = HOLIDAY_SPANS[holiday]
        return _days(date(year, m1, d1), date(_check_year(text, year + offset), m2, d2))
    if (m := _DECADE_PART.fullmatch(s)) and m[1] in PART_WORDS:
        decade = _parse_decade(re.sub(r"^(?:de|the)\s+", "", m[2]))
        if decade is not None:
            first, last = _DECADE_PART_YEARS[cast(Part, PART_WORDS[m[1]])]
            return Period(_make(text, year=decade + first), _make(text, year=decade + last))
    return None


def _single(text: str, s: str) -> When:
    """One date or a closed period of one kind ("Q2 2016"); raise DateParseError."""
    return _special(text, s) or parse_date(s)


def _single_or_none(text: str, s: str) -> When | None:
    try:
        return _single(text, s)
    except DateParseError as error:
        if error.reason in ("unknown", "empty"):
            return None
        raise


def _period(text: str, start: str, end: str) -> Period | None:
    first, last = _single_or_none(text, start), _single_or_none(text, end)
    if first is None or last is None:
        return None
    begin = first.start if isinstance(first, Period) else first
    finish = last.end if isinstance(last, Period) else last
    assert begin is not None and finish is not None  # _single never returns an open period
    if finish.latest() < begin.earliest():
        raise DateParseError(text, "end_before_start")
    return Period(begin, finish)


def _split_period(text: str, s: str) -> Period | None:
    """Try the word separators, then "-" and "/": at most ``_MAX_SPLITS`` splits, so this stays linear."""
    tries = 0
    for m in _WORD_SEPARATORS.finditer(s):
        tries += 1
        if tries > _MAX_SPLITS:
            return None
        found = _period(text, s[: m.start()], s[m.end() :])
        if found is not None:
            return found
    for index, char in enumerate(s):
        if char in "-/":
            tries += 1
            if tries > _MAX_SPLITS:
                return None
            found = _period(text, s[:index], s[index + 1 :])
            if found is not None:
                return found
    return None


def _day_before(text: str, when: When) -> FuzzyDate:
    """The last moment before a date: the year before a year, the month before a month, else the day."""
    first = when.start if isinstance(when, Period) and when.start is not None else when
    assert isinstance(first, FuzzyDate)
    if first.precision is Precision.YEAR and first.part is None and not first.approximate:
        return _make(text, year=first.year - 1)
    if first.precision is Precision.MONTH and not first.approximate:
        day = shift_months(first.earliest(), -1)
        return _make(text, year=day.year, month=day.month)
    day = first.earliest() - timedelta(days=1)
    return _make(text, year=day.year, month=day.month, day=day.day)


def _day_after(text: str, when: When) -> FuzzyDate:
    """The first moment after a date: the year after a year, the month after a month, else the day."""
    last = when.end if isinstance(when, Period) and when.end is not None else when
    assert isinstance(last, FuzzyDate)
    if last.precision is Precision.YEAR and last.part is None and not last.approximate:
        return _make(text, year=last.year + 1)
    if last.precision is Precision.MONTH and not last.approximate:
        day = shift_months(last.earliest(), 1)
        return _make(text, year=day.year, month=day.month)
    day = last.latest() + timedelta(days=1)
    return _make(text, year=day.year, month=day.month, day=day.day)


def is_undated(text: str) -> bool:
    """Whether a text says the date is not known ("weet ik niet meer", "??", "not known", or nothing)."""
    if len(text) > MAX_TEXT_LENGTH:
        return False
    s = _normalise(text).rstrip(".!")
    return not s or s in UNDATED_WORDS or _normalise(text) in UNDATED_WORDS


def prepare(text: str) -> str:
    """Check the length, then normalise a date text: lower case, one space, two-digit years made four."""
    check_length(text)
    return _TWO_DIGIT_YEAR.sub(lambda m: str(two_digit_year(m[1])), _normalise(text))


def parse_when(text: str) -> FuzzyDate | Period:
    """Parse a fuzzy date or a period ("2014–2017", "van 2014 tot 2018", "sinds 2022", "voor 2010",
    "Q2 2016", "schooljaar 2016/2017") in Dutch or English; raise DateParseError with the reason."""
    s = prepare(text)
    if not s:
        raise DateParseError(text, "empty")
    found = parse_prepared(text, s)
    if found is None:
        raise DateParseError(text)
    return found


def parse_prepared(text: str, s: str) -> FuzzyDate | Period | None:
    """Parse a text already passed through ``prepare``; None when it is no date (other errors raise)."""
    if s.startswith(".."):
        if m := re.fullmatch(r"\.\./([\dxX~?%\-]+)", s):
            return Period.from_edtf(m[0])
        raise DateParseError(text, "open_start")
    if "/" in s and re.fullmatch(r"[\dxX~?%\-]+/(?:[\dxX~?%\-]+|\.\.)", s):
        try:
            return Period.from_edtf(s)
        except DateParseError as error:
            if error.reason == "end_before_start":
                raise DateParseError(text, "end_before_start") from None
    for pattern, inclusive in ((_UNTIL_PREFIX, True), (_BEFORE_PREFIX, False)):
        if m := pattern.fullmatch(s):
            found = _single_or_none(text, m[1])
            if found is not None:
                end = (found.end if isinstance(found, Period) else found) if inclusive else _day_before(text, found)
                return Period(None, end, open_start=True)
    if m := _AFTER_PREFIX.fullmatch(s):
        found = _single_or_none(text, m[1])
        if found is not None:
            return Period(_day_after(text, found), None, open_ended=True)
    if m := _RANGE_PREFIX.fullmatch(s):
        period = _split_period(text, m[1])
        if period is not None:
            return period
    for pattern in (_OPEN_PREFIX, _OPEN_SUFFIX):
        if m := pattern.fullmatch(s):
            found = _single_or_none(text, m[1])
            if found is not None:
                start = found.start if isinstance(found, Period) else found
                return Period(start, None, open_ended=True)
    found = _single_or_none(text, s)
    if found is not None:
        return found
    return _split_period(text, s)


def when_earliest(when: When) -> date:
    """Return the earliest day of a date or period."""
    return when.earliest()


def when_sort_key(when: When) -> tuple[date, date]:
    """Return a key that orders dates and periods together: by earliest, then latest."""
    return when.earliest(), when.latest()
