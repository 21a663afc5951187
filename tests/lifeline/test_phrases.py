"""Dates as people say them: a table of phrases (Dutch and English, every kind), properties, hostile texts
and python-edtf reading every EDTF string we emit."""

from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

import lifeline.dates
import lifeline.phrases
from lifeline import DateParseError, parse_when
from lifeline.dates import MAX_TEXT_LENGTH, FuzzyDate, Period
from lifeline.phrases import AnchorEvent, Context, Person, interpret
from tests.lifeline.lifeline_strategies import whens
from tests.lifeline.regex_work import RegexWork, lifeline_patterns, measure, nested_quantifiers

D = date
REFERENCE = D(2020, 3, 10)
CONTEXT = Context(
    reference=REFERENCE,
    people=[
        Person(1, "Sem", parse_when("2010")),
        Person(2, "Noor", parse_when("12-05-2012")),
        Person(3, "Opa", None),
    ],
    events=[
        AnchorEvent(10, "Verhuizing naar Utrecht", parse_when("sept. 2015")),
        AnchorEvent(11, "Geboorte Noor", parse_when("12-05-2012")),
        AnchorEvent(12, "Opname GGZ", parse_when("voorjaar 2016")),
        AnchorEvent(13, "Move to Leiden", parse_when("2018")),
        AnchorEvent(14, "Melding Veilig Thuis", parse_when("2017")),
        AnchorEvent(15, "Tweede melding Veilig Thuis", parse_when("2019")),
    ],
    named=["Sem"],
)
UNDATED = (None, None)

# (phrase, earliest, latest, anchor kind or None); None, None: undated; an open side is None.
PHRASES: list[tuple[str, date | None, date | None, str | None]] = [
    # plain dates and periods
    ("2014", D(2014, 1, 1), D(2014, 12, 31), None),
    ("voorjaar 2014", D(2014, 3, 21), D(2014, 6, 20), None),
    ("summer 2017", D(2017, 6, 21), D(2017, 9, 22), None),
    ("sept. 2020", D(2020, 9, 1), D(2020, 9, 30), None),
    ("12-03-2019", D(2019, 3, 12), D(2019, 3, 12), None),
    ("2014–2017", D(2014, 1, 1), D(2017, 12, 31), None),
    ("van 2014 tot 2018", D(2014, 1, 1), D(2018, 12, 31), None),
    ("from 2014 to 2018", D(2014, 1, 1), D(2018, 12, 31), None),
    ("2014 t/m 2016", D(2014, 1, 1), D(2016, 12, 31), None),
    ("tussen 2014 en 2016", D(2014, 1, 1), D(2016, 12, 31), None),
    ("between 2014 and 2016", D(2014, 1, 1), D(2016, 12, 31), None),
    ("van maart 2015 tot en met juni 2015", D(2015, 3, 1), D(2015, 6, 30), None),
    # approximate
    ("ongeveer 2015", D(2014, 1, 1), D(2016, 12, 31), None),
    ("± 2015", D(2014, 1, 1), D(2016, 12, 31), None),
    ("ca. zomer 2017", D(2017, 5, 21), D(2017, 10, 22), None),
    ("about 2015", D(2014, 1, 1), D(2016, 12, 31), None),
    ("rond 2010", D(2009, 1, 1), D(2011, 12, 31), None),
    # halves and quarters
    ("tweede helft 2017", D(2017, 7, 1), D(2017, 12, 31), None),
    ("eerste helft van 2017", D(2017, 1, 1), D(2017, 6, 30), None),
    ("second half of 2017", D(2017, 7, 1), D(2017, 12, 31), None),
    ("the first half of 2018", D(2018, 1, 1), D(2018, 6, 30), None),
    ("H2 2019", D(2019, 7, 1), D(2019, 12, 31), None),
    ("het vierde kwartaal van 2016", D(2016, 10, 1), D(2016, 12, 31), None),
    ("eerste kwartaal 2016", D(2016, 1, 1), D(2016, 3, 31), None),
    ("3e kwartaal 2016", D(2016, 7, 1), D(2016, 9, 30), None),
    ("Q2 2016", D(2016, 4, 1), D(2016, 6, 30), None),
    ("2016-Q3", D(2016, 7, 1), D(2016, 9, 30), None),
    ("the third quarter of 2016", D(2016, 7, 1), D(2016, 9, 30), None),
    # school years
    ("schooljaar 2016/2017", D(2016, 8, 1), D(2017, 7, 31), None),
    ("schooljaar 2016-2017", D(2016, 8, 1), D(2017, 7, 31), None),
    ("schooljaar 16/17", D(2016, 8, 1), D(2017, 7, 31), None),
    ("the 2016–17 school year", D(2016, 8, 1), D(2017, 7, 31), None),
    ("school year 2019-20", D(2019, 8, 1), D(2020, 7, 31), None),
    # holidays
    ("kerstvakantie 2016", D(2016, 12, 18), D(2017, 1, 8), None),
    ("meivakantie 2017", D(2017, 4, 20), D(2017, 5, 10), None),
    ("zomervakantie 2018", D(2018, 7, 1), D(2018, 9, 5), None),
    ("herfstvakantie 2019", D(2019, 10, 10), D(2019, 11, 1), None),
    ("voorjaarsvakantie 2020", D(2020, 2, 8), D(2020, 3, 8), None),
    ("in de krokusvakantie van 2015", D(2015, 2, 8), D(2015, 3, 8), None),
    ("Easter 2015", D(2015, 3, 29), D(2015, 4, 12), None),
    ("Pasen 2019", D(2019, 4, 14), D(2019, 4, 28), None),
    ("the summer holidays of 2016", D(2016, 7, 1), D(2016, 9, 5), None),
    ("Christmas 2016", D(2016, 12, 18), D(2017, 1, 1), None),
    # weeks
    ("week 40 2020", D(2020, 9, 28), D(2020, 10, 4), None),
    ("week 1 van 2021", D(2021, 1, 4), D(2021, 1, 10), None),
    ("2020-W53", D(2020, 12, 28), D(2021, 1, 3), None),
    # two-digit years
    ("juni '17", D(2017, 6, 1), D(2017, 6, 30), None),
    ("in '02", D(2002, 1, 1), D(2002, 12, 31), None),
    ("zomer '85", D(1985, 6, 21), D(1985, 9, 22), None),
    ("March '99", D(1999, 3, 1), D(1999, 3, 31), None),
    # parts of decades
    ("midden jaren 80", D(1983, 1, 1), D(1986, 12, 31), None),
    ("begin jaren 90", D(1990, 1, 1), D(1993, 12, 31), None),
    ("eind jaren 2000", D(2007, 1, 1), D(2009, 12, 31), None),
    ("the early 1990s", D(1990, 1, 1), D(1993, 12, 31), None),
    ("mid-80s", D(1983, 1, 1), D(1986, 12, 31), None),
    ("late nineties", D(1997, 1, 1), D(1999, 12, 31), None),
    # open-ended
    ("voor 2010", None, D(2009, 12, 31), None),
    ("vóór maart 2012", None, D(2012, 2, 29), None),
    ("before 2010", None, D(2009, 12, 31), None),
    ("tot de zomer van 2018", None, D(2018, 9, 22), None),
    ("until 2012", None, D(2012, 12, 31), None),
    ("na 2015", D(2016, 1, 1), None, None),
    ("after May 2015", D(2015, 6, 1), None, None),
    ("sinds 2022", D(2022, 1, 1), None, None),
    ("since the summer of 2016", D(2016, 6, 21), None, None),
    ("2016/..", D(2016, 1, 1), None, None),
    ("../2009", None, D(2009, 12, 31), None),
    # undated
    ("weet ik niet meer", *UNDATED, None),
    ("??", *UNDATED, None),
    ("not known", *UNDATED, None),
    ("onbekend", *UNDATED, None),
    ("", *UNDATED, None),
    ("Weet ik niet.", *UNDATED, None),
    # relative to the interview (10 March 2020)
    ("vorige zomer", D(2019, 6, 21), D(2019, 9, 22), None),
    ("drie jaar geleden", D(2017, 1, 1), D(2017, 12, 31), None),
    ("dit voorjaar", D(2020, 3, 21), D(2020, 6, 20), None),
    ("two years ago", D(2018, 1, 1), D(2018, 12, 31), None),
    ("vorig jaar", D(2019, 1, 1), D(2019, 12, 31), None),
    ("last month", D(2020, 2, 1), D(2020, 2, 29), None),
    ("6 maanden geleden", D(2019, 9, 1), D(2019, 9, 30), None),
    ("last winter", D(2018, 12, 21), D(2019, 3, 20), None),
    # people: ages and school stages (Sem born 2010, Noor 12 May 2012; Sem is on the event)
    ("toen Sem 7 was", D(2017, 1, 1), D(2018, 12, 31), "person"),
    ("toen Sem 7 jaar oud was", D(2017, 1, 1), D(2018, 12, 31), "person"),
    ("op zijn tiende", D(2020, 1, 1), D(2021, 12, 31), "person"),
    ("when Noor was 6", D(2018, 5, 12), D(2019, 5, 11), "person"),
    ("at the age of 6", D(2016, 1, 1), D(2017, 12, 31), "person"),
    ("in groep 5", D(2018, 8, 1), D(2020, 7, 31), "person"),
    ("toen Noor in groep 3 zat", D(2018, 8, 1), D(2019, 7, 31), "person"),
    ("in de derde klas", D(2024, 8, 1), D(2026, 7, 31), "person"),
    ("in de brugklas", D(2022, 8, 1), D(2024, 7, 31), "person"),
    ("in het eerste jaar van het mbo", D(2026, 8, 1), D(2028, 7, 31), "person"),
    ("op de basisschool", D(2014, 8, 1), D(2023, 7, 31), "person"),
    # anchored on another event
    ("een jaar na de verhuizing", D(2016, 9, 1), D(2016, 9, 30), "event"),
    ("een half jaar na de verhuizing", D(2016, 3, 1), D(2016, 3, 31), "event"),
    ("vlak na de geboorte van Noor", D(2012, 5, 12), D(2012, 8, 12), "event"),
    ("voor de opname", None, D(2016, 3, 20), "event"),
    ("na de opname", D(2016, 3, 21), None, "event"),
    ("tijdens de opname", D(2016, 3, 21), D(2016, 6, 20), "event"),
    ("three months after the move", D(2018, 4, 1), D(2019, 3, 31), "event"),
    ("two weeks before the move", D(2017, 12, 18), D(2018, 12, 17), "event"),
    ("rond de tweede melding", D(2018, 1, 1), D(2020, 12, 31), "event"),
]


def _range(text: str) -> tuple[date | None, date | None, str | None]:
    reading = interpret(text, CONTEXT)
    kind = reading.anchor.kind if reading.anchor else None
    if reading.when is None:
        return None, None, kind
    when = reading.when
    earliest = None if isinstance(when, Period) and when.start is None else when.earliest()
    latest = None if isinstance(when, Period) and when.end is None else when.latest()
    return earliest, latest, kind


def test_the_table_is_big_and_bilingual() -> None:
    assert len(PHRASES) >= 80
    assert len({p for p, *_ in PHRASES}) == len(PHRASES)


@pytest.mark.parametrize(("text", "earliest", "latest", "anchor"), PHRASES)
def test_phrases_mean_what_was_said(text: str, earliest: date | None, latest: date | None, anchor: str | None) -> None:
    assert _range(text) == (earliest, latest, anchor)
    reading = interpret(text, CONTEXT)
    assert reading.label == " ".join(text.split())
    if reading.when is not None:
        parse_edtf(reading.when.to_edtf())  # python-edtf reads every EDTF string we emit
        assert reading.describe("nl") and reading.describe("en")


def test_derived_readings_say_so() -> None:
    assert interpret("in groep 5", CONTEXT).describe("en") == "Aug. 2018 – July 2020, derived from Sem's year of birth"
    assert interpret("Q4 2016", CONTEXT).describe("nl") == "okt.–dec. 2016"
    assert "afgeleid van “Opname GGZ”" in interpret("voor de opname", CONTEXT).describe("nl")


@pytest.mark.parametrize(
    ("text", "context", "reason"),
    [
        ("vorige zomer", Context(), "no_reference"),
        ("three years ago", Context(people=CONTEXT.people), "no_reference"),
        ("toen Piet 7 was", CONTEXT, "no_person"),
        ("in groep 5", Context(people=CONTEXT.people), "no_person"),
        ("toen Opa 60 was", CONTEXT, "no_birth"),
        ("na de scheiding", CONTEXT, "no_anchor"),
        ("na de melding", CONTEXT, "ambiguous_anchor"),
        ("week 54 2020", CONTEXT, "no_such_week"),
        ("schooljaar 2017/2016", CONTEXT, "end_before_start"),
        ("gisteren misschien", CONTEXT, "unknown"),
    ],
)
def test_phrases_that_mean_nothing_here_say_why(text: str, context: Context, reason: str) -> None:
    with pytest.raises(DateParseError) as caught:
        interpret(text, context)
    assert caught.value.reason == reason
    assert caught.value.message("nl") != caught.value.message("en")


def test_ambiguous_anchor_names_the_candidates() -> None:
    with pytest.raises(DateParseError) as caught:
        interpret("na de melding", CONTEXT)
    assert "Melding Veilig Thuis" in caught.value.message("nl")
    assert "Tweede melding Veilig Thuis" in caught.value.message("en")


@settings(max_examples=300, deadline=None)
@given(whens)
def test_python_edtf_reads_every_edtf_we_emit(value: object) -> None:
    assert isinstance(value, Period) or hasattr(value, "to_edtf")
    parse_edtf(value.to_edtf())  # type: ignore[attr-defined]


_HOSTILE_ALPHABET = st.sampled_from([*list("0123456789-–/ .,'~?%±tQqWwHh"), "tot ", "en ", "van ", " - ", "jaren "])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_HOSTILE_ALPHABET, max_size=120).map("".join)))
def test_any_text_reads_or_says_why(text: str) -> None:
    """No exception but DateParseError on any text; a reading keeps its words and its range is ordered."""
    try:
        reading = interpret(text, CONTEXT)
    except DateParseError as error:
        assert error.message("nl") and error.message("en")
        return
    assert reading.label == " ".join(text.split())
    if reading.when is not None:
        assert reading.when.earliest() <= reading.when.latest()
        parse_edtf(reading.when.to_edtf())


HOSTILE_100_KB = ["- " * 50_000, "1-" * 50_000, "x" * 100_000, "van " * 25_000, "2014 " * 20_000]
# The longest texts allowed that offer the most ways to split a period (cut at MAX_TEXT_LENGTH).
HOSTILE_ALLOWED = ["- " * 100, "1-" * 100, "2014-" * 40, "van " + "2014 tot " * 22, "1/" * 100, "'1" * 100, "q1 " * 66]


@pytest.mark.parametrize("cell", HOSTILE_100_KB)
def test_a_hostile_100_kb_text_is_refused_before_any_parsing(cell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The length check comes first: no reader, no normalising, not one regular expression sees the text."""
    reached: list[str] = []
    for name in ("is_undated", "prepare", "parse_prepared", "_relative", "_age", "_school", "_event"):
        spied = getattr(lifeline.phrases, name)
        monkeypatch.setattr(
            lifeline.phrases, name, lambda *a, _n=name, _f=spied, **k: reached.append(_n) or _f(*a, **k)
        )
    work = RegexWork().install(monkeypatch)
    with pytest.raises(DateParseError) as caught:
        interpret(cell, CONTEXT)
    assert caught.value.reason == "too_long"
    with pytest.raises(DateParseError) as direct:
        parse_when(cell)
    assert direct.value.reason == "too_long"
    assert reached == [] and (work.calls, work.chars) == (0, 0)


@pytest.mark.parametrize("cell", HOSTILE_ALLOWED)
def test_the_longest_allowed_hostile_texts_take_linear_work(cell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within the length limit the parser tries a bounded number of splits: doubling the text at most doubles
    the characters its regular expressions scan (a split per separator would make it four times)."""
    cell = cell[:MAX_TEXT_LENGTH]
    half = measure(monkeypatch, lambda: interpret(cell[: MAX_TEXT_LENGTH // 2], CONTEXT)).chars
    full = measure(monkeypatch, lambda: interpret(cell, CONTEXT)).chars
    assert 0 < full <= 2.2 * half, (half, full)


def test_the_work_measure_sees_quadratic_splitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The linear-work test is honest: with the bound on splits lifted, the same measure grows fourfold."""
    monkeypatch.setattr(lifeline.dates, "_MAX_SPLITS", 10**9)
    cell = ("- " * 100)[:MAX_TEXT_LENGTH]
    half = measure(monkeypatch, lambda: interpret(cell[: MAX_TEXT_LENGTH // 2], CONTEXT)).chars
    full = measure(monkeypatch, lambda: interpret(cell, CONTEXT)).chars
    assert full > 3 * half


def test_no_pattern_in_the_library_can_backtrack_exponentially() -> None:
    """No repeat inside a repeat in any regular expression of lifeline/ (compiled or literal): each one
    matches in polynomial time on the bounded texts it gets."""
    patterns = list(lifeline_patterns())
    assert len(patterns) > 40  # the walk finds them: compiled ones and those passed to re.* directly
    assert {where: found for where, pattern in patterns if (found := nested_quantifiers(pattern))} == {}


@pytest.mark.parametrize("pattern", [r"(a+)+", r"(?:\s*\d)*x", r"(?:(?:ab)?c{2,})+", r"(x|(y+))*"])
def test_the_pattern_check_sees_nested_quantifiers(pattern: str) -> None:
    assert nested_quantifiers(pattern)


@pytest.mark.parametrize("pattern", [r"(a+)?b*", r"(?:\s+(?:van|of))?\s+(\d{4})", r"(?>a+)+", r"(?:a++)+"])
def test_the_pattern_check_allows_bounded_repeats(pattern: str) -> None:
    assert not nested_quantifiers(pattern)


# A phrase is a handful of pattern tries per reader (the table's costliest takes under a hundred); the longest
# allowed hostile texts take about a thousand, bounded by the split limit.
CALL_BUDGET = 200


def test_a_phrase_costs_a_bounded_number_of_regex_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every phrase of the table is read with at most a few hundred pattern calls, never one per character;
    bench/dates.py prints the time this takes."""
    for text, *_ in PHRASES:
        work = measure(monkeypatch, lambda text=text: interpret(text, CONTEXT))
        assert 0 < work.calls <= CALL_BUDGET, (text, work.calls)


_SAID = st.sampled_from(
    ["vorige zomer", "drie jaar geleden", "last month", "200 weeks ago", "dit voorjaar", "toen Sem 7 was", "in groep 8"]
)


@settings(max_examples=300, deadline=None)
@given(_SAID, st.dates(), st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31)))
def test_extreme_reference_and_birth_dates_never_crash(text: str, reference: date, born: date) -> None:
    """Any reference date or birth date: a reading, or a DateParseError that says why (no other exception)."""
    sem = Person(1, "Sem", FuzzyDate(born.year, born.month, born.day))
    context = Context(reference=reference, people=[sem], named=["Sem"])
    try:
        reading = interpret(text, context)
    except DateParseError as error:
        assert error.message("en")
        return
    assert reading.when is not None and reading.when.earliest() <= reading.when.latest()


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("vlak na de geboorte van Noor", "Noor geboren"),
        ("voor de opname", "Moeder voor het eerst opgenomen (psychose)"),
        ("een jaar na de verhuizing", "Vader verhuist naar Zwolle"),
        ("na de scheiding", "Ouders gescheiden"),
        ("just after the birth of Noor", "Noor born"),
        ("two years after the move", "Family moved to Leiden"),
    ],
)
def test_an_event_is_found_by_another_word_of_its_family(said: str, title: str) -> None:
    context = Context(events=[AnchorEvent(1, title, parse_when("2016")), AnchorEvent(2, "Sem start school", None)])
    reading = interpret(said, context)
    assert reading.anchor is not None and reading.anchor.name == title
