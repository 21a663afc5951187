"""Hostile CSV files and cells: bounded before anything parses them, refused with a line number, never a crash
(issue 11, item 2)."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lifeline.csvio
import lifeline.events
from lifeline import CsvImportError, import_csv
from lifeline.csvio import MAX_CELL, MAX_DATE_CELL, MAX_ROWS


def _refusal(text: str) -> CsvImportError:
    with pytest.raises(CsvImportError) as caught:
        import_csv(text)
    return caught.value


@pytest.mark.parametrize("column", ["when", "until"])
def test_a_long_date_cell_is_refused_before_the_date_parser_sees_it(
    column: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell = "- " * 10_000  # 20 kB: quadratic in the period split it took 17 s
    row = f"Iets,{cell}," if column == "when" else f"Iets,2014,{cell}"
    seen: list[str] = []
    for module, name in (
        (lifeline.csvio, "excel_date"),
        (lifeline.csvio, "when_from_edtf"),
        (lifeline.events, "parse_when"),
    ):
        spied = getattr(module, name)
        monkeypatch.setattr(module, name, lambda text, _f=spied: seen.append(text) or _f(text))
    refusal = _refusal(f"title,when,until\n{row}\n")
    assert seen == []  # the row was refused by its length, not read
    (error,) = refusal.errors
    assert error.line == 2
    assert error.message_en == f"the column {column} is too long (at most {MAX_DATE_CELL} characters)."
    assert "te lang" in error.message_nl


def test_a_cell_over_the_csv_modules_own_limit_is_a_refusal_not_a_crash() -> None:
    refusal = _refusal("title,when\n" + "x" * 200_000 + ",2014\n")
    assert refusal.errors[0].line == 2 and "cannot be read" in refusal.errors[0].message_en


def test_a_long_description_is_refused_by_its_column() -> None:
    refusal = _refusal(f"title,when,description\nIets,2014,{'x' * (MAX_CELL + 1)}\n")
    assert "description is too long" in refusal.errors[0].message_en


def test_more_rows_than_allowed_are_refused_as_a_whole() -> None:
    rows = "".join(f"Gebeurtenis {n},2014\n" for n in range(MAX_ROWS + 1))
    refusal = _refusal("title,when\n" + rows)
    assert refusal.errors[0].message_en == f"the file has more than {MAX_ROWS} rows; split it up."
    assert len(import_csv("title,when\n" + rows.split("\n", 1)[1])) == MAX_ROWS  # the limit itself is fine


CELLS = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["- ", "–", "t/m ", "voor ", "na ", "rond ", "(", '"', "\x00", "\r", ";", ","]).map(
        lambda piece: piece * 2_000
    ),
)


@settings(max_examples=60, deadline=None)
@given(when=CELLS, until=CELLS, title=CELLS)
def test_hostile_cells_are_read_or_refused(when: str, until: str, title: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["title", "when", "until"], [title, when, until]])
    try:
        import_csv(buffer.getvalue())
    except CsvImportError as refusal:
        assert refusal.errors and all(error.line >= 1 for error in refusal.errors)
