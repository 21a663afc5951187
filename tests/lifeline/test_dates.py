"""Tests for fuzzy dates and periods: parsing, formatting, ranges, ordering and EDTF."""

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeline import DateParseError, FuzzyDate, Period, Precision, parse_date, parse_when, when_from_edtf
from tests.lifeline.lifeline_strategies import fuzzy_dates, periods, whens

D = date

CASES: list[tuple[str, Precision, date, date]] = [
    ("2014", Precision.YEAR, D(2014, 1, 1), D(2014, 12, 31)),
    ("ca. 2006", Precision.YEAR, D(2005, 1, 1), D(2007, 12, 31)),
    ("rond 2010", Precision.YEAR, D(2009, 1, 1), D(2011, 12, 31)),
    ("circa 2010", Precision.YEAR, D(2009, 1, 1), D(2011, 12, 31)),
    ("approx. 2010", Precision.YEAR, D(2009, 1, 1), D(2011, 12, 31)),
    ("around 2010", Precision.YEAR, D(2009, 1, 1), D(2011, 12, 31)),
    ("voorjaar 2014", Precision.SEASON, D(2014, 3, 21), D(2014, 6, 20)),
    ("zomer 2017", Precision.SEASON, D(2017, 6, 21), D(2017, 9, 22)),
    ("najaar 2019", Precision.SEASON, D(2019, 9, 23), D(2019, 12, 20)),
    ("herfst 2019", Precision.SEASON, D(2019, 9, 23), D(2019, 12, 20)),
    ("winter 2019", Precision.SEASON, D(2019, 12, 21), D(2020, 3, 20)),
    ("sept. 2020", Precision.MONTH, D(2020, 9, 1), D(2020, 9, 30)),
    ("september 2020", Precision.MONTH, D(2020, 9, 1), D(2020, 9, 30)),
    ("jan. 2022", Precision.MONTH, D(2022, 1, 1), D(2022, 1, 31)),
    ("mrt 2021", Precision.MONTH, D(2021, 3, 1), D(2021, 3, 31)),
    ("12-03-2019", Precision.DAY, D(2019, 3, 12), D(2019, 3, 12)),
    ("2019-03-12", Precision.DAY, D(2019, 3, 12), D(2019, 3, 12)),
    ("spring 2018", Precision.SEASON, D(2018, 3, 21), D(2018, 6, 20)),
    ("March 2019", Precision.MONTH, D(2019, 3, 1), D(2019, 3, 31)),
    ("begin 2019", Precision.YEAR, D(2019, 1, 1), D(2019, 4, 30)),
    ("eind 2018", Precision.YEAR, D(2018, 9, 1), D(2018, 12, 31)),
    ("early 2019", Precision.YEAR, D(2019, 1, 1), D(2019, 4, 30)),
    ("late 2018", Precision.YEAR, D(2018, 9, 1), D(2018, 12, 31)),
    ("jaren 90", Precision.DECADE, D(1990, 1, 1), D(1999, 12, 31)),
    ("the 1990s", Precision.DECADE, D(1990, 1, 1), D(1999, 12, 31)),
    ("199X", Precision.DECADE, D(1990, 1, 1), D(1999, 12, 31)),
    ("ca. voorjaar 2014", Precision.SEASON, D(2014, 2, 21), D(2014, 7, 20)),
    ("  SEPT   2020 ", Precision.MONTH, D(2020, 9, 1), D(2020, 9, 30)),
    ("ca 2006", Precision.YEAR, D(2005, 1, 1), D(2007, 12, 31)),
    ("Mrt. 2021", Precision.MONTH, D(2021, 3, 1), D(2021, 3, 31)),
    ("ca. 12-03-2019", Precision.DAY, D(2019, 3, 5), D(2019, 3, 19)),
    ("ca. sept. 2020", Precision.MONTH, D(2020, 8, 1), D(2020, 10, 31)),
    ("ca. jaren 90", Precision.DECADE, D(1985, 1, 1), D(2004, 12, 31)),
    ("ca. begin 2019", Precision.YEAR, D(2018, 11, 1), D(2019, 6, 30)),
]


@pytest.mark.parametrize(("text", "precision", "earliest", "latest"), CASES)
def test_parse_known_formats(text: str, precision: Precision, earliest: date, latest: date) -> None:
    parsed = parse_date(text)
    assert (parsed.precision, parsed.earliest(), parsed.latest()) == (precision, earliest, latest)
    assert parse_when(text) == parsed


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "open_ended"),
    [
        ("2014–2017", D(2014, 1, 1), D(2017, 12, 31), False),
        ("2014-2017", D(2014, 1, 1), D(2017, 12, 31), False),
        ("2014 tot 2018", D(2014, 1, 1), D(2018, 12, 31), False),
        ("2014 - 2018", D(2014, 1, 1), D(2018, 12, 31), False),
        ("van 2014 tot 2018", D(2014, 1, 1), D(2018, 12, 31), False),
        ("from 2014 to 2018", D(2014, 1, 1), D(2018, 12, 31), False),
        ("ca. 2012-2014", D(2011, 1, 1), D(2014, 12, 31), False),
        ("voorjaar 2014 – zomer 2017", D(2014, 3, 21), D(2017, 9, 22), False),
        ("sinds 2022", D(2022, 1, 1), D(2022, 12, 31), True),
        ("since 2022", D(2022, 1, 1), D(2022, 12, 31), True),
        ("vanaf 2022", D(2022, 1, 1), D(2022, 12, 31), True),
        ("2022 - heden", D(2022, 1, 1), D(2022, 12, 31), True),
    ],
)
def test_parse_periods(text: str, earliest: date, latest: date, open_ended: bool) -> None:
    parsed = parse_when(text)
    assert isinstance(parsed, Period)
    assert (parsed.earliest(), parsed.latest(), parsed.open_ended) == (earliest, latest, open_ended)


def test_canonical_formats() -> None:
    assert parse_date("ca. 2006").format("en") == "approx. 2006"
    assert parse_date("spring 2014").format() == "voorjaar 2014"
    assert parse_date("september 2020").format() == "sept. 2020"
    assert parse_date("sept 2020").format("en") == "Sept. 2020"
    assert parse_date("2019-03-12").format() == "12-03-2019"
    assert parse_date("12-03-2019").format("en") == "12 March 2019"
    assert parse_when("2014-2017").format() == "2014–2017"
    assert parse_when("vanaf 2022").format("en") == "since 2022"
    assert parse_when("2022/..").to_edtf() == "2022/.."


@pytest.mark.parametrize(
    ("edtf", "text"),
    [
        ("2018~", "ca. 2018"),
        ("2018-23", "najaar 2018"),
        ("2014-21", "voorjaar 2014"),
        ("2019-03", "mrt. 2019"),
        ("2019-03-12", "12-03-2019"),
        ("201X", "jaren 2010"),
        ("2019-37", "begin 2019"),
        ("2018-39", "eind 2018"),
    ],
)
def test_edtf_examples(edtf: str, text: str) -> None:
    parsed = FuzzyDate.from_edtf(edtf)
    assert parsed.format() == text
    assert parsed.to_edtf() == edtf


def test_edtf_periods() -> None:
    assert Period.from_edtf("2014/2017") == parse_when("2014–2017")
    assert when_from_edtf("2022/..") == parse_when("sinds 2022")
    with pytest.raises(DateParseError):
        Period.from_edtf("2017/2014")
    with pytest.raises(DateParseError):
        FuzzyDate.from_edtf("2019-13")


@settings(max_examples=300, deadline=None)
@given(fuzzy_dates(), st.sampled_from(["nl", "en"]))
def test_format_parse_round_trip(value: FuzzyDate, lang: str) -> None:
    assert parse_date(value.format(lang)) == value


@settings(max_examples=200, deadline=None)
@given(periods(), st.sampled_from(["nl", "en"]))
def test_period_format_parse_round_trip(value: Period, lang: str) -> None:
    assert parse_when(value.format(lang)) == value


@settings(max_examples=300, deadline=None)
@given(whens)
def test_edtf_round_trip(value: FuzzyDate | Period) -> None:
    """EDTF has no qualified season readers accept: an approximate season or part comes back as its months."""
    parts = [value] if isinstance(value, FuzzyDate) else [value.start, value.end]
    rewritten = isinstance(value, Period) and any(
        p is not None and (p.part or p.precision is Precision.DECADE) for p in parts
    )
    if rewritten or any(p is not None and p.approximate and (p.season or p.part) for p in parts):
        back = when_from_edtf(value.to_edtf())
        assert isinstance(back, Period)
        assert abs((back.earliest() - value.earliest()).days) <= 5 * 366
        assert back.end is None or abs((back.latest() - value.latest()).days) <= 5 * 366
    else:
        assert when_from_edtf(value.to_edtf()) == value


@settings(max_examples=300, deadline=None)
@given(whens)
def test_earliest_before_latest(value: FuzzyDate | Period) -> None:
    assert value.earliest() <= value.midpoint() <= value.latest()


@settings(max_examples=200, deadline=None)
@given(st.lists(fuzzy_dates(), min_size=2, max_size=20))
def test_ordering_follows_earliest(values: list[FuzzyDate]) -> None:
    ordered = sorted(values)
    assert [v.earliest() for v in ordered] == sorted(v.earliest() for v in values)
    for a, b in itertools.pairwise(ordered):
        assert (a.earliest(), a.latest()) <= (b.earliest(), b.latest())


@settings(max_examples=100, deadline=None)
@given(fuzzy_dates())
def test_approximate_widens(value: FuzzyDate) -> None:
    exact = FuzzyDate(value.year, value.month, value.day, value.season, value.part, value.precision, False)
    vague = FuzzyDate(value.year, value.month, value.day, value.season, value.part, value.precision, True)
    assert vague.earliest() < exact.earliest() <= exact.latest() < vague.latest()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("gisteren", "unknown"),
        ("31-02-2019", "no_such_day"),
        ("2018-2014", "end_before_start"),
        ("../..", "open_start"),
        ("x" * 201, "too_long"),
        ("0999", "year_range"),
        ("<script>", "unknown"),
    ],
)
def test_bad_texts_explain_in_both_languages(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text)
    error = caught.value
    assert error.text == text[:200] + ("…" if len(text) > 200 else "")
    assert error.reason == reason
    assert "voorjaar 2014" in error.message("nl")
    assert "spring 2014" in error.message("en")
    assert "sinds 2022" in error.message("nl") and "since 2022" in error.message("en")


def test_fuzzy_date_validates_fields() -> None:
    assert FuzzyDate(2019, 3, 12).precision is Precision.DAY
    with pytest.raises(ValueError):
        FuzzyDate(1995, precision=Precision.DECADE)
    with pytest.raises(ValueError):
        FuzzyDate(2019, 2, 30)
    with pytest.raises(ValueError):
        Period(FuzzyDate(2019), None)
