"""Dates as people say them, read against the life-line: a person's age or school stage ("toen Sem 7 was",
"in groep 5"), another event ("een jaar na de verhuizing"), the date of the interview ("vorige zomer") and
answers that give no date ("weet ik niet meer").

``interpret(text, context)`` returns a ``Reading``: the phrase's own words as its label, the range it means
(``None`` when undated), what it is anchored on (a person or an event, so that a correction of the anchor can
move it) and, when derived, a note saying from what. Plain dates go through ``lifeline.dates.parse_when``.

Stated assumptions:
- An age N of someone born in the range [b0, b1] is [b0 + N years, b1 + N + 1 years − 1 day]; when the birth
  is known to the month or year only, the day before the birthday is rounded up to the end of that month
  ("toen Sem 7 was", born 2011: 2018–2019, not 1 Jan. 2018 – 30 Dec. 2019).
- Dutch school stages: a child born before 1 October of year Y is in groep N in the school year that starts
  on 1 August of Y + N + 3 (born October–December: a year later). Secondary "klas K" follows groep 8
  (stage 8 + K); "het eerste jaar van het mbo" follows four years of vmbo (stage 12 + 1).
- "vlak na X" / "just after X" is from X up to three months after it; "vlak voor X" the three months before.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Final, Literal

from lifeline._lang import norm_lang
from lifeline._words import MONTH_SHORT, SEASON_WORDS
from lifeline.dates import (
    DateParseError,
    FuzzyDate,
    Period,
    Precision,
    When,
    check_length,
    is_undated,
    parse_prepared,
    prepare,
    shift_months,
)

AnchorKind = Literal["person", "event"]

_NUMBERS: Final[dict[str, int]] = {
    "een": 1,
    "één": 1,
    "a": 1,
    "an": 1,
    "one": 1,
    "twee": 2,
    "two": 2,
    "drie": 3,
    "three": 3,
    "vier": 4,
    "four": 4,
    "vijf": 5,
    "five": 5,
    "zes": 6,
    "six": 6,
    "zeven": 7,
    "seven": 7,
    "acht": 8,
    "eight": 8,
    "negen": 9,
    "nine": 9,
    "tien": 10,
    "ten": 10,
    "elf": 11,
    "eleven": 11,
    "twaalf": 12,
    "twelve": 12,
}
_ORDINALS: Final[dict[str, int]] = {
    "eerste": 1,
    "tweede": 2,
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "zevende": 7,
    "achtste": 8,
    "negende": 9,
    "tiende": 10,
    "elfde": 11,
    "twaalfde": 12,
    "dertiende": 13,
    "veertiende": 14,
    "vijftiende": 15,
    "zestiende": 16,
    "zeventiende": 17,
    "achttiende": 18,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
_PRONOUNS: Final = frozenset({"hij", "zij", "ze", "he", "she", "they", "zijn", "haar", "his", "her"})
_STOP: Final = frozenset(
    {"de", "het", "een", "the", "a", "an", "van", "of", "naar", "to", "met", "with", "from", "uit", "in", "op"}
)
# Words of one family that name the same event ("de geboorte van Noor" is "Noor geboren", "voor de opname" is
# "Moeder opgenomen"): each is read as the first of its family when phrases are matched against titles.
_FAMILIES: Final[tuple[tuple[str, ...], ...]] = (
    ("geboren", "geboorte"),
    ("opgenomen", "opname", "opnames"),
    ("verhuisd", "verhuizing", "verhuist", "verhuizen", "verhuisde", "verhuizingen"),
    ("gescheiden", "scheiding", "scheiden"),
    ("overleden", "overlijden"),
    ("ontslagen", "ontslag"),
    ("born", "birth"),
    ("admitted", "admission"),
    ("moved", "move", "moving"),
    ("divorced", "divorce"),
    ("died", "death"),
)
_FAMILY: Final[dict[str, str]] = {word: family[0] for family in _FAMILIES for word in family}
_UNITS: Final[dict[str, str]] = {
    "dag": "day",
    "dagen": "day",
    "day": "day",
    "days": "day",
    "week": "week",
    "weken": "week",
    "weeks": "week",
    "maand": "month",
    "maanden": "month",
    "month": "month",
    "months": "month",
    "jaar": "year",
    "jaren": "year",
    "year": "year",
    "years": "year",
}
_RELATIONS: Final[dict[str, str]] = {
    "na": "after",
    "after": "after",
    "sinds": "after",
    "since": "after",
    "vanaf": "after",
    "voor": "before",
    "vóór": "before",
    "before": "before",
    "tot": "before",
    "until": "before",
    "vlak na": "just_after",
    "kort na": "just_after",
    "net na": "just_after",
    "just after": "just_after",
    "shortly after": "just_after",
    "soon after": "just_after",
    "right after": "just_after",
    "vlak voor": "just_before",
    "kort voor": "just_before",
    "net voor": "just_before",
    "just before": "just_before",
    "shortly before": "just_before",
    "right before": "just_before",
    "tijdens": "during",
    "during": "during",
    "bij": "during",
    "ten tijde van": "during",
    "at the time of": "during",
    "rond": "around",
    "rondom": "around",
    "around": "around",
}
_RELATIONS_LONGEST_FIRST: Final = sorted(_RELATIONS, key=len, reverse=True)
_DERIVED: Final[dict[str, tuple[str, str]]] = {
    "person": ("afgeleid van de geboortedatum van {name}", "derived from {name}'s date of birth"),
    "school": ("afgeleid van het geboortejaar van {name}", "derived from {name}'s year of birth"),
    "event": ("afgeleid van “{name}”", "derived from “{name}”"),
    "reference": (
        "afgeleid van de datum van het gesprek ({name})",
        "derived from the date of the conversation ({name})",
    ),
}
_UNDATED_TEXT: Final[tuple[str, str]] = ("nog niet gedateerd", "not dated yet")

_NUM = r"(\d{1,2}|[a-zéë]+)"
_NAME = r"([^\W\d_][\w'-]*)"
_AGE_NL: Final = re.compile(rf"toen\s+{_NAME}\s+{_NUM}(?:\s+jaar)?(?:\s+oud)?\s+(?:was|werd)")
_AGE_EN: Final = re.compile(rf"when\s+{_NAME}\s+(?:was|turned)\s+{_NUM}(?:\s+years?(?:\s+old)?)?")
_AGE_ORDINAL: Final = re.compile(r"op\s+(?:zijn|haar|hun)\s+(\d{1,2})?(?:e|de|ste)?([a-z]*)(?:\s+jaar)?")
_AGE_AT: Final = re.compile(rf"(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+){_NUM}")
_GROUP: Final = re.compile(r"(?:(?:toen\s+)?(?:\S+\s+)?)?(?:in\s+)?groep\s+([1-8])(?:\s+(?:zat|was))?")
_CLASS: Final = re.compile(
    r"(?:(?:toen\s+)?(?:\S+\s+)?)?(?:in\s+)?(?:de\s+)?(brugklas|(eerste|tweede|derde|vierde|vijfde|zesde|[1-6]e)"
    r"\s+klas|klas\s+([1-6]))(?:\s+(?:van\s+)?(?:de\s+)?(?:middelbare school|het voortgezet onderwijs|vo))?"
    r"(?:\s+(?:zat|was))?"
)
_MBO: Final = re.compile(
    r"(?:in\s+)?(?:het\s+)?(?:(eerste|tweede|derde|vierde|first|second|third|fourth)\s+(?:jaar|year)\s+"
    r"(?:van\s+(?:het\s+)?|of\s+)?mbo|mbo[\s-]?([1-4]))"
)
_PRIMARY: Final = re.compile(r"(?:op|in|tijdens|during)\s+(?:de\s+)?(?:basisschool|primary school)")
_YEAR_OF_SCHOOL: Final = re.compile(r"(?:in\s+)?year\s+([1-8])\s+of\s+(primary|secondary)\s+school")
_AGO: Final = re.compile(rf"{_NUM}\s+([a-z]+)\s+(?:geleden|ago)|(?:een\s+)?half\s+jaar\s+geleden|half a year ago")
_LAST: Final = re.compile(r"(?:vorige|vorig|afgelopen|last|previous)\s+([a-z]+)")
_THIS: Final = re.compile(r"(?:dit|deze|this)\s+([a-z]+)")
_OFFSET: Final = re.compile(rf"(?:(?:een\s+)?half|{_NUM})\s+([a-z]+)\s+(.+)")


@dataclass(frozen=True)
class Person:
    """A person of the life-line with their (fuzzy) date of birth; ``born`` is None when not known."""

    id: int | str
    name: str
    born: When | None


@dataclass(frozen=True)
class AnchorEvent:
    """Another event of the life-line that a phrase can be anchored on."""

    id: int | str
    title: str
    when: When | None


@dataclass(frozen=True)
class Context:
    """What a phrase is read against: the interview's date, the people, the other events, and the people
    named on the event itself."""

    reference: date | None = None
    people: Sequence[Person] = ()
    events: Sequence[AnchorEvent] = ()
    named: Sequence[str] = ()
    pinned: AnchorEvent | None = None  # the event the phrase was read against before: read against it again,
    # whatever its title is now (it may have been renamed since)


@dataclass(frozen=True)
class Anchor:
    """What a reading depends on: a person (birth date) or another event."""

    kind: AnchorKind
    id: int | str
    name: str


@dataclass(frozen=True)
class Reading:
    """What a phrase means: its own words, the range (None: undated), its anchor and how it was derived."""

    label: str
    when: When | None
    anchor: Anchor | None = None
    derived: str = field(default="")
    derived_name: str = ""

    @property
    def undated(self) -> bool:
        """Whether the phrase gives no date at all."""
        return self.when is None

    def describe(self, lang: str = "nl") -> str:
        """Say what the phrase means: "sept.–nov. 2016" or "2013–2014, afgeleid van …"."""
        index = 0 if norm_lang(lang) == "nl" else 1
        if self.when is None:
            return _UNDATED_TEXT[index]
        text = range_text(self.when, lang)
        if self.derived:
            text += ", " + _DERIVED[self.derived][index].format(name=self.derived_name)
        return text


def range_text(when: When, lang: str = "nl") -> str:
    """A compact text of a range: "sept.–nov. 2016" for months of one year, else the date's own format."""
    language = norm_lang(lang)
    if (
        isinstance(when, Period)
        and when.start is not None
        and when.end is not None
        and when.start.precision is Precision.MONTH
        and when.end.precision is Precision.MONTH
        and when.start.year == when.end.year
        and not (when.start.approximate or when.end.approximate)
    ):
        assert when.start.month is not None and when.end.month is not None
        names = MONTH_SHORT[language]
        return f"{names[when.start.month - 1]}–{names[when.end.month - 1]} {when.start.year}"
    return when.format(language)


def span(first: date, last: date) -> When:
    """The simplest date or period for an exact range of days: whole years, whole months, or days."""
    if first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31:
        start, end = FuzzyDate(first.year), FuzzyDate(last.year)
    elif first.day == 1 and (last + timedelta(days=1)).day == 1:
        start, end = FuzzyDate(first.year, first.month), FuzzyDate(last.year, last.month)
    else:
        start, end = FuzzyDate(first.year, first.month, first.day), FuzzyDate(last.year, last.month, last.day)
    return start if start == end else Period(start, end)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _find_person(text: str, s: str, context: Context, said: str | None = None) -> Person:
    """The person a phrase is about: named in it, else the only person of the life-line named on the event."""
    words = set(re.findall(r"[^\W\d_][\w'-]*", s))
    named = [p for p in context.people if p.name.lower() in words]
    if said is not None and said not in _PRONOUNS and not named:
        raise DateParseError(text, "no_person", tuple(p.name for p in context.people))
    if not named:
        on_event = {n.strip().lower() for n in context.named}
        named = [p for p in context.people if p.name.lower() in on_event]
    if len(named) != 1:
        raise DateParseError(text, "no_person", tuple(p.name for p in context.people))
    person = named[0]
    if person.born is None:
        raise DateParseError(text, "no_birth", (person.name,))
    return person


def _age(text: str, s: str, context: Context) -> Reading | None:
    age: int | None = None
    said: str | None = None
    if m := _AGE_NL.fullmatch(s) or _AGE_EN.fullmatch(s):
        age, said = _number(m[2]), m[1]
    elif m := _AGE_ORDINAL.fullmatch(s):
        age = int(m[1]) if m[1] else _ORDINALS.get(m[2])
    elif m := _AGE_AT.fullmatch(s):
        age = _number(m[1])
    else:
        return None
    if age is None or not 0 <= age <= 120:
        return None
    person = _find_person(text, s, context, said)
    assert person.born is not None
    exact = isinstance(person.born, FuzzyDate) and person.born.precision is Precision.DAY
    try:
        last = _add_years(person.born.latest(), age + 1) - timedelta(1 if exact else 0)
        when = span(_add_years(person.born.earliest(), age), last)
    except (ValueError, OverflowError):
        raise DateParseError(text, "year_range") from None
    return Reading(_label(text), when, Anchor("person", person.id, person.name), "person", person.name)


def _school_stage(s: str) -> tuple[int, int] | None:
    """The first and last stage (groep 1 = 1 … groep 8 = 8, klas 1 = 9 …) a phrase names."""
    if m := _GROUP.fullmatch(s):
        return int(m[1]), int(m[1])
    if m := _CLASS.fullmatch(s):
        if m[1] == "brugklas":
            return 9, 9
        k = int(m[3]) if m[3] else (_ORDINALS.get(m[2]) or int(m[2][0]))
        return 8 + k, 8 + k
    if m := _MBO.fullmatch(s):
        k = _ORDINALS[m[1]] if m[1] else int(m[2])
        return 12 + k, 12 + k
    if m := _YEAR_OF_SCHOOL.fullmatch(s):
        k = int(m[1])
        return (k, k) if m[2] == "primary" else (8 + k, 8 + k)
    if _PRIMARY.fullmatch(s):
        return 1, 8
    return None


def _school(text: str, s: str, context: Context) -> Reading | None:
    stages = _school_stage(s)
    if stages is None:
        return None
    person = _find_person(text, s, context)
    assert person.born is not None

    def first_year(born: date, stage: int) -> int:
        return born.year + stage + 3 + (1 if born.month >= 10 else 0)

    start = first_year(person.born.earliest(), stages[0])
    end = first_year(person.born.latest(), stages[1]) + 1
    try:
        when: When = Period(FuzzyDate(start, 8), FuzzyDate(end, 7))
    except ValueError:
        raise DateParseError(text, "year_range") from None
    return Reading(_label(text), when, Anchor("person", person.id, person.name), "school", person.name)


def _relative(text: str, s: str, context: Context) -> Reading | None:
    when = _relative_when(text, s, context.reference)
    if when is None:
        return None
    assert context.reference is not None
    return Reading(_label(text), when, None, "reference", context.reference.isoformat())


def _need(text: str, reference: date | None) -> date:
    if reference is None:
        raise DateParseError(text, "no_reference")
    return reference


def _season_before(reference: date, season: str) -> FuzzyDate:
    for year in range(reference.year, reference.year - 3, -1):
        found = FuzzyDate(year, season=season)  # type: ignore[arg-type]
        if found.latest() < reference:
            return found
    raise ValueError("no season")  # pragma: no cover


def _relative_when(text: str, s: str, reference: date | None) -> When | None:
    if m := _AGO.fullmatch(s):
        ref = _need(text, reference)
        if m[1] is None:
            day = shift_months(ref, -6)
            return FuzzyDate(day.year, day.month, approximate=True)
        count, unit = _number(m[1]), _UNITS.get(m[2])
        if count is None or unit is None or count > 200:
            return None
        if unit == "year":
            return FuzzyDate(ref.year - count)
        if unit == "month":
            day = shift_months(ref, -count)
            return FuzzyDate(day.year, day.month)
        day = ref - timedelta(days=count * (7 if unit == "week" else 1))
        return FuzzyDate(day.year, day.month, day.day, approximate=unit == "week")
    for pattern, last in ((_LAST, True), (_THIS, False)):
        if (m := pattern.fullmatch(s)) and (m[1] in SEASON_WORDS or m[1] in ("jaar", "year", "maand", "month")):
            ref = _need(text, reference)
            if m[1] in ("jaar", "year"):
                return FuzzyDate(ref.year - 1 if last else ref.year)
            if m[1] in ("maand", "month"):
                day = shift_months(ref, -1) if last else ref
                return FuzzyDate(day.year, day.month)
            season = SEASON_WORDS[m[1]]
            if last:
                return _season_before(ref, season)
            year = ref.year - 1 if season == "winter" and ref.month <= 3 else ref.year
            return FuzzyDate(year, season=season)  # type: ignore[arg-type]
    return None


def _tokens(text: str) -> set[str]:
    return {_FAMILY.get(t, t) for t in re.findall(r"[^\W_]+", text.lower()) if t not in _STOP}


@lru_cache(maxsize=16_384)
def _title_tokens(title: str) -> frozenset[str]:
    """A title's words, read once (a phrase is matched against every title of the life-line)."""
    return frozenset(_tokens(title))


def _matches(words: set[str], title: frozenset[str] | set[str]) -> bool:
    """Whether every word is in the title, the same or (from five letters) one the start of the other."""
    if not words:
        return False
    for word in words:
        if word in title:
            continue
        if len(word) < 5 or not any(len(t) >= 5 and (t.startswith(word) or word.startswith(t)) for t in title):
            return False
    return True


def _event(text: str, s: str, context: Context) -> Reading | None:
    offset: tuple[int, str] | None = None
    rest = s
    if m := _OFFSET.fullmatch(s):
        count = 6 if m[1] is None else _number(m[1])
        unit = "month" if m[1] is None and m[2] in ("jaar", "year") else _UNITS.get(m[2])
        if count is not None and unit is not None:
            offset, rest = (count, unit), m[3]
    relation = None
    for said in _RELATIONS_LONGEST_FIRST:
        if rest.startswith(said + " "):
            relation, rest = _RELATIONS[said], rest[len(said) + 1 :]
            break
    if relation is None or (offset is not None and relation not in ("after", "before")):
        return None
    words = _tokens(rest)
    if context.pinned is not None:
        candidates = [context.pinned]
    else:
        candidates = [e for e in context.events if _matches(words, _title_tokens(e.title))]
    if not candidates:
        raise DateParseError(text, "no_anchor")
    if len(candidates) > 1:
        exact = [e for e in candidates if _title_tokens(e.title) == words]
        if len(exact) != 1:
            raise DateParseError(text, "ambiguous_anchor", tuple(e.title for e in candidates[:8]))
        candidates = exact
    anchor = candidates[0]
    if anchor.when is None:
        raise DateParseError(text, "no_anchor")
    try:
        when = _relate(anchor.when, relation, offset)
    except (ValueError, OverflowError):
        raise DateParseError(text, "year_range") from None
    return Reading(_label(text), when, Anchor("event", anchor.id, anchor.title), "event", anchor.title)


def _shift(day: date, count: int, unit: str) -> date:
    if unit == "year":
        return _add_years(day, count)
    if unit == "month":
        return shift_months(day, count)
    return day + timedelta(days=count * (7 if unit == "week" else 1))


def _as_date(when: When, end: bool) -> FuzzyDate:
    if isinstance(when, FuzzyDate):
        return when
    found = (when.end or when.start) if end else (when.start or when.end)
    assert found is not None
    return found


def _relate(anchor: When, relation: str, offset: tuple[int, str] | None) -> When:
    first, last = anchor.earliest(), anchor.latest()
    if offset is not None:
        count, unit = offset
        sign = 1 if relation == "after" else -1
        end = _shift(last + timedelta(days=1), sign * count, unit) - timedelta(days=1)
        return span(_shift(first, sign * count, unit), end)
    match relation:
        case "after":
            return Period(_as_date(anchor, end=True), None, open_ended=True)
        case "before":
            day = first - timedelta(days=1)
            return Period(None, FuzzyDate(day.year, day.month, day.day), open_start=True)
        case "just_after":
            return span(first, shift_months(last, 3))
        case "just_before":
            return span(shift_months(first, -3), last)
        case "around":
            if isinstance(anchor, FuzzyDate) and anchor.precision is not Precision.DECADE:
                return FuzzyDate(anchor.year, anchor.month, anchor.day, anchor.season, anchor.part, approximate=True)
            return anchor
        case _:
            return anchor


def _label(text: str) -> str:
    return " ".join(text.split())


def interpret(text: str, context: Context | None = None) -> Reading:
    """Read what someone said about when something happened; raise DateParseError (with the reason) when the
    phrase means nothing here. Long texts are refused before any parsing."""
    check_length(text)
    context = context or Context()
    if is_undated(text):
        return Reading(_label(text), None)
    s = prepare(text)
    found = parse_prepared(text, s)
    if found is not None:
        return Reading(_label(text), found)
    for reader in (_relative, _age, _school, _event):
        try:
            reading = reader(text, s, context)
        except DateParseError:
            raise
        except (ValueError, OverflowError):  # a range that runs off the calendar (year 1 or 9999)
            raise DateParseError(text, "year_range") from None
        if reading is not None:
            return reading
    raise DateParseError(text)
