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
  horizon of the whole life-line.
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
    MONTH_LONG,
    MONTH_SHORT,
    MONTH_WORDS,
    PART_NAMES,
    PART_WORDS,
    SEASON_NAMES,
    SEASON_WORDS,
)

Season = Literal["spring", "summer", "autumn", "winter"]
Part = Literal["early", "mid", "late"]

SEASONS: Final[tuple[Season, ...]] = ("spring", "summer", "autumn", "winter")
PARTS: Final[tuple[Part, ...]] = ("early", "mid", "late")
MIN_YEAR: Final = 1000
MAX_YEAR: Final = 2999

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
    }
    _HELP: Final[tuple[str, str]] = (
        "Bruikbaar zijn bijvoorbeeld: 2014, ca. 2006, rond 2010, voorjaar 2014, zomer 2017, sept. 2020, "
        "12-03-2019 (dag-maand-jaar), begin 2019, eind 2018, jaren 90; "
        "en perioden: 2014–2017, van 2014 tot 2018, sinds 2022.",
        "Formats that work, for example: 2014, approx. 2006, around 2010, spring 2014, summer 2017, "
        "Sept. 2020, 12-03-2019 (day-month-year), 2019-03-12, early 2019, late 2018, the 1990s; "
        "and periods: 2014–2017, from 2014 to 2018, since 2022.",
    )

    def __init__(self, text: str, reason: str = "unknown") -> None:
        self.text = text
        self.reason = reason if reason in self._PROBLEMS else "unknown"
        super().__init__(self.message("en"))

    def message(self, lang: str = "nl") -> str:
        """Explain in Dutch or English what is wrong and which formats work, with examples."""
        index = 0 if norm_lang(lang) == "nl" else 1
        problem = self._PROBLEMS["empty" if not self.text.strip() else self.reason][index]
        return f"{problem.format(text=self.text.strip())} {self._HELP[index]}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_months(day: date, months: int, *, snap_end: bool) -> date:
    """Move a date by whole months, clamping the day; ``snap_end`` keeps month-ends at month-ends."""
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
                return _shift_months(start, -1, snap_end=False), _shift_months(end, 1, snap_end=True)
            case Precision.DECADE:
                return start.replace(year=start.year - 5), end.replace(year=end.year + 5)
            case _:
                if self.part is not None:
                    return _shift_months(start, -2, snap_end=False), _shift_months(end, 2, snap_end=True)
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
        """Return the ISO 8601-2 / EDTF form, e.g. ``2018~``, ``2014-21``, ``2019-37``, ``201X``."""
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
    """A span between two fuzzy dates ("2014–2017"), or open-ended from a start ("sinds 2022")."""

    start: FuzzyDate
    end: FuzzyDate | None = None
    open_ended: bool = False

    def __post_init__(self) -> None:
        if self.open_ended != (self.end is None):
            raise ValueError("a period has an end unless it is open-ended")
        if self.end is not None and self.end.latest() < self.start.earliest():
            raise ValueError("the end of a period lies before its start")

    def earliest(self) -> date:
        """Return the first day the period can start."""
        return self.start.earliest()

    def latest(self) -> date:
        """Return the last day the period can end (for an open-ended period: the start's latest)."""
        return (self.end or self.start).latest()

    def midpoint(self) -> date:
        """Return the middle of the possible range."""
        start, end = self.earliest(), self.latest()
        return start + (end - start) // 2

    def format(self, lang: str = "nl") -> str:
        """Format as "2014–2017" or "sinds 2022" / "since 2022"."""
        language = norm_lang(lang)
        start = self.start.format(language)
        if self.end is None:
            return f"{'sinds' if language == 'nl' else 'since'} {start}"
        end = self.end.format(language)
        separator = " – " if any(c in start + end for c in " -") else "–"
        return f"{start}{separator}{end}"

    def to_edtf(self) -> str:
        """Return the EDTF interval, e.g. ``2014/2017`` or ``2022/..``."""
        return f"{self.start.to_edtf()}/{'..' if self.end is None else self.end.to_edtf()}"

    @classmethod
    def from_edtf(cls, text: str) -> "Period":
        """Read an EDTF interval such as ``2014/2017`` or ``2022/..``; raise DateParseError if invalid."""
        parts = text.strip().split("/")
        if len(parts) != 2 or parts[0] in ("", ".."):
            raise DateParseError(text, "edtf")
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
        end_key: tuple[object, ...] = () if self.end is None else self.end.sort_key()
        return (self.earliest(), self.latest(), self.start.sort_key(), end_key)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key() < other.sort_key()


When = FuzzyDate | Period


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
    s = _normalise(text)
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


_OPEN_PREFIX: Final = re.compile(r"(?:sinds|vanaf|since|starting|starting from|from|van)\s+(.+)")
_RANGE_PREFIX: Final = re.compile(r"(?:van|from|tussen|between)\s+(.+)")
_OPEN_SUFFIX: Final = re.compile(
    r"(.+?)\s*(?:(?:[-–—/]|\s(?:tot|to|until|till)\s)\s*(?:heden|nu|now|present|today|vandaag|\.\.)|[-–—/]|/\.\.)"
)
_WORD_SEPARATORS: Final = re.compile(
    r"\s+(?:tot en met|t/m|tot|to|until|till|through|thru|en|and)\s+|\s*[–—]\s*|\s+-\s+"
)


def _period(text: str, start: str, end: str) -> Period | None:
    try:
        first, last = parse_date(start), parse_date(end)
    except DateParseError:
        return None
    if last.latest() < first.earliest():
        raise DateParseError(text, "end_before_start")
    return Period(first, last)


def _split_period(text: str, s: str) -> Period | None:
    for m in _WORD_SEPARATORS.finditer(s):
        found = _period(text, s[: m.start()], s[m.end() :])
        if found is not None:
            return found
    for index, char in enumerate(s):
        if char in "-/":
            found = _period(text, s[:index], s[index + 1 :])
            if found is not None:
                return found
    return None


def parse_when(text: str) -> FuzzyDate | Period:
    """Parse a fuzzy date or a period ("2014–2017", "van 2014 tot 2018", "sinds 2022") in Dutch or English."""
    s = _normalise(text)
    if not s:
        raise DateParseError(text, "empty")
    if re.match(r"(?:tot|until|till|to|t/m)\s", s) or s.startswith(("../", "..")):
        raise DateParseError(text, "open_start")
    if "/" in s and re.fullmatch(r"[\dxX~?%\-]+/(?:[\dxX~?%\-]+|\.\.)", s):
        try:
            return Period.from_edtf(s)
        except DateParseError as error:
            if error.reason == "end_before_start":
                raise DateParseError(text, "end_before_start") from None
    if m := _RANGE_PREFIX.fullmatch(s):
        found = _split_period(text, m[1])
        if found is not None:
            return found
    if m := _OPEN_PREFIX.fullmatch(s):
        try:
            return Period(parse_date(m[1]), None, open_ended=True)
        except DateParseError:
            pass
    if m := _OPEN_SUFFIX.fullmatch(s):
        try:
            return Period(parse_date(m[1]), None, open_ended=True)
        except DateParseError:
            pass
    try:
        return parse_date(s)
    except DateParseError as error:
        if error.reason != "unknown":
            raise DateParseError(text, error.reason) from None
    found = _split_period(text, s)
    if found is not None:
        return found
    raise DateParseError(text)


def when_earliest(when: When) -> date:
    """Return the earliest day of a date or period."""
    return when.earliest()


def when_sort_key(when: When) -> tuple[date, date]:
    """Return a key that orders dates and periods together: by earliest, then latest."""
    return when.earliest(), when.latest()
