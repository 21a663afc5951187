"""Hypothesis strategies for fuzzy dates, periods and events."""

from hypothesis import strategies as st

from lifeline import Event, FuzzyDate, Period, Precision
from lifeline.dates import PARTS, SEASONS


@st.composite
def fuzzy_dates(draw: st.DrawFn, min_year: int = 1900, max_year: int = 2100) -> FuzzyDate:
    """Any fuzzy date: day, month, season, (part of a) year or decade, maybe approximate."""
    precision = draw(st.sampled_from(list(Precision)))
    year = draw(st.integers(min_year, max_year))
    approximate = draw(st.booleans())
    if precision is Precision.DAY:
        day = draw(st.dates(min_value=FuzzyDate(year).earliest(), max_value=FuzzyDate(year).latest()))
        return FuzzyDate(year, day.month, day.day, approximate=approximate)
    if precision is Precision.MONTH:
        return FuzzyDate(year, draw(st.integers(1, 12)), approximate=approximate)
    if precision is Precision.SEASON:
        return FuzzyDate(year, season=draw(st.sampled_from(SEASONS)), approximate=approximate)
    if precision is Precision.DECADE:
        return FuzzyDate(year - year % 10, precision=Precision.DECADE, approximate=approximate)
    part = draw(st.sampled_from([None, *PARTS]))
    return FuzzyDate(year, part=part, approximate=approximate)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A closed or open-ended period whose end does not lie before its start."""
    start = draw(fuzzy_dates())
    if draw(st.booleans()):
        return Period(start, None, open_ended=True)
    end = draw(fuzzy_dates(min_year=start.year, max_year=min(2100, start.year + 15)))
    if end.latest() < start.earliest():
        end = start
    return Period(start, end)


whens = st.one_of(fuzzy_dates(), periods())


@st.composite
def event_lists(draw: st.DrawFn, max_size: int = 40) -> list[Event]:
    """Events with unique ids on the standard lanes and one member's lane."""
    count = draw(st.integers(0, max_size))
    lanes = st.sampled_from(["family", "care", "safety", "school", "Noor"])
    titles = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=50).filter(str.strip)
    return [Event(id=index, title=draw(titles), when=draw(whens), lane=draw(lanes)) for index in range(count)]
