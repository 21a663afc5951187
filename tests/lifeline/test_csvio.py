"""Tests for CSV export and import of life-line events."""

import csv
import io
import re

import pytest

from lifeline import CsvImportError, Event, Period, export_csv, import_csv, parse_when


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_round_trip(events: list[Event], lang: str, delimiter: str) -> None:
    events[0].people = ["Moeder (Sandra)", "Vader (Erik)"]
    events[1].description = 'Thuis, met "hulp"\nen een tweede regel'
    events.append(Event(id="x1", title="Wijkteam", when=parse_when("sinds 2022"), lane="Noor"))
    text = export_csv(events, lang=lang, delimiter=delimiter)
    assert import_csv(text) == events
    assert import_csv("\ufeff" + text) == events


def test_dutch_headers_and_semicolons() -> None:
    text = (
        "\ufefftitel;wanneer;tot;baan;bronnen;status\r\n"
        'Psycholoog voor Noor;2018;2020;hulp;"interview Noor; dossier";bevestigd\r\n'
        "Noor geboren;2008;;gezin;;concept\r\n"
    )
    first, second = import_csv(text)
    assert first.lane == "care" and first.date_text() == "2018–2020" and first.status == "confirmed"
    assert first.sources == ["interview Noor", "dossier"]
    assert second.lane == "family" and second.id == "row-3"


def test_bad_rows_reported_and_nothing_imported() -> None:
    text = (
        "title,when,until,lane,status\n"
        "Goed,2014,,family,draft\n"
        "Geen datum,gisteren,,family,draft\n"
        ",2015,,care,draft\n"
        "Verkeerd om,2018,2014,care,draft\n"
        "Status,2018,,care,misschien\n"
    )
    with pytest.raises(CsvImportError) as caught:
        import_csv(text)
    errors = caught.value.errors
    assert [e.line for e in errors] == [3, 4, 5, 6]
    assert "gisteren" in errors[0].message_nl and "gisteren" in errors[0].message_en
    assert "titel" in errors[1].message_nl and "title" in errors[1].message_en
    assert "einde" in errors[2].message_nl
    assert "status" in errors[3].message_en
    assert errors[0].message("nl").startswith("Regel 3:")
    assert "Line 3:" in caught.value.message("en")


def test_missing_columns_and_duplicate_ids() -> None:
    with pytest.raises(CsvImportError) as caught:
        import_csv("naam,datum\nx,2014\n")
    assert caught.value.errors[0].line == 1
    with pytest.raises(CsvImportError) as caught:
        import_csv("id,title,when\n1,a,2014\n1,b,2015\n")
    assert caught.value.errors[0].line == 3
    with pytest.raises(CsvImportError):
        import_csv("")


def test_formula_injection_neutralised() -> None:
    events = [
        Event(id=1, title='=HYPERLINK("http://evil")', when=parse_when("2014"), sources=["+31 6 1234"]),
        Event(id=2, title="@SUM(A1)", when=parse_when("2015"), description="-2+3"),
    ]
    text = export_csv(events)
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'+31" in text and "'-2+3" in text
    assert import_csv(text) == events


def _cells(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_dutch_file_is_semicolon_separated_with_dutch_names_edtf_and_a_sortable_date() -> None:
    events = [
        Event(id=7, title="Noor geboren", when=parse_when("ca. 2008"), lane="family", status="confirmed"),
        Event(id=8, title="Psycholoog", when=parse_when("sept. 2018 – 2020"), lane="care", status="disputed"),
    ]
    rows = _cells(export_csv(events, lang="nl"), ";")

    assert rows[0][:6] == ["id", "titel", "wanneer", "tot", "edtf", "sorteerdatum"]
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id["7"]["edtf"] == "2008~" and by_id["7"]["sorteerdatum"] == "2007-01-01"
    assert by_id["8"]["edtf"] == "2018-09/2020" and by_id["8"]["sorteerdatum"] == "2018-09-01"
    assert (by_id["7"]["baan"], by_id["7"]["status"]) == ("Gezin", "bevestigd")
    assert (by_id["8"]["baan"], by_id["8"]["status"]) == ("Hulp", "betwist")
    english = _cells(export_csv(events, lang="en"), ",")
    assert english[1][english[0].index("lane")] == "Family" and english[2][-1] == "disputed"


@pytest.mark.parametrize("delimiter", [";", ","])
def test_round_trip_through_the_csv_module_keeps_lanes_statuses_and_dates(delimiter: str) -> None:
    events = [
        Event(id=1, title="Gezin verhuist", when=parse_when("zomer 2016"), lane="family", status="confirmed"),
        Event(id=2, title="Ambulante hulp", when=parse_when("2017 – 2019"), lane="care", status="disputed"),
        Event(id=3, title="Oma ziek", when=parse_when("eind 2019"), lane="Oma"),
    ]
    text = export_csv(events, lang="nl", delimiter=delimiter)
    rows = _cells(text, delimiter)
    rows[2][1] = "Ambulante hulp (door Excel)"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)  # as a spreadsheet writes it back: minimal quoting

    again = import_csv(buffer.getvalue())

    assert [(e.id, e.lane, e.status, e.when) for e in again] == [(e.id, e.lane, e.status, e.when) for e in events]
    assert again[1].title == "Ambulante hulp (door Excel)"


def test_english_names_read_in_a_dutch_file_and_dutch_names_in_an_english_one() -> None:
    dutch = import_csv("titel;wanneer;baan;status\r\nA;2014;Care;confirmed\r\nB;2015;veiligheid;Betwist\r\n")
    english = import_csv("title,when,lane,status\r\nA,2014,Hulp,bevestigd\r\nB,2015,Safety,disputed\r\n")

    assert [(e.lane, e.status) for e in dutch] == [("care", "confirmed"), ("safety", "disputed")]
    assert [(e.lane, e.status) for e in english] == [("care", "confirmed"), ("safety", "disputed")]


def test_every_piece_of_every_cell_is_neutralised_whichever_separator_reads_it() -> None:
    events = [
        Event(
            id=1,
            title="zie notulen;=1+1;",
            when=parse_when("2014"),
            description="eerst, +31 6 1234\n@SUM(A1)\n\t=cmd",
            people=["-Piet", "=Jan"],
            organisation="\tTab",
        )
    ]
    for lang in ("nl", "en"):
        text = export_csv(events, lang=lang)
        for delimiter in (";", ",", "\t"):
            for row in _cells(text, delimiter):
                for cell in row:
                    for piece in re.split(r"[\r\n]", cell):
                        assert piece.lstrip(' "')[:1] not in ("=", "+", "-", "@"), (delimiter, cell)
        assert import_csv(text) == events


@pytest.mark.parametrize(
    ("cell", "edtf"),
    [
        ("sep-20", "2020-09"),
        ("Sep-2020", "2020-09"),
        ("mrt-98", "1998-03"),
        ("okt.-21", "2021-10"),
        ("1-9-2020", "2020-09-01"),
        ("01-09-2020", "2020-09-01"),
        ("1/9/2020", "2020-09-01"),
        ("1-9-20", "2020-09-01"),
        ("01-sep-20", "2020-09-01"),
        ("2020-09-01 00:00:00", "2020-09-01"),
        ("2020", "2020"),
        ("zomer 2016", "2016-22"),
    ],
)
def test_dates_as_excel_saves_them_again_are_read(cell: str, edtf: str) -> None:
    (event,) = import_csv(f"titel;wanneer;tot\r\nA;{cell};\r\n")

    assert event.when.to_edtf() == edtf
    (period,) = import_csv(f"titel;wanneer;tot\r\nA;1-1-1990;{cell}\r\n")
    assert isinstance(period.when, Period) and period.when.end is not None
    assert period.when.end.to_edtf() == edtf


def test_the_edtf_column_is_read_where_the_date_text_is_empty() -> None:
    (event,) = import_csv("titel;wanneer;edtf\r\nA;;2018-09/2020~\r\n")

    assert event.when.to_edtf() == "2018-09/2020~"
    with pytest.raises(CsvImportError) as caught:
        import_csv("titel;wanneer;edtf\r\nA;;volgend jaar\r\n")
    assert caught.value.errors[0].line == 2
