"""Tests for CSV export and import of life-line events."""

import pytest

from lifeline import CsvImportError, Event, export_csv, import_csv, parse_when


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
