"""Finding the date text in a passage of notes, to pre-fill a life-line event."""

import pytest

from app.interviews.service import find_date_text


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ("In het voorjaar 2014 werd moeder voor het eerst opgenomen.", "voorjaar 2014"),
        ("Noor is geboren in 2008, Sem in 2011.", "2008"),
        ("In sept. 2020 begon ze op Het Baken.", "sept. 2020"),
        ("Van 2018 tot 2020 ging Noor naar een psycholoog.", "Van 2018 tot 2020"),
        ("Tussen 2014–2017 wisselende hulpverleners.", "Tussen 2014–2017"),
        ("Hulp 2014–2017, steeds wisselend.", "2014–2017"),
        ("Ouders leerden elkaar ca. 2006 kennen.", "ca. 2006"),
        ("De casemanager is er sinds jan. 2022 bij.", "sinds jan. 2022"),
        ("Op 12-03-2019 was er een melding.", "12-03-2019"),
        ("In de zomer van 2017 ging vader weg.", "zomer van 2017"),
        ('Moeder (2016): "het ging mis".', "2016"),
        ("In de jaren 90 woonde vader in Zuiderveen.", "jaren 90"),
    ],
)
def test_finds_the_first_date_as_written(passage: str, expected: str) -> None:
    assert find_date_text(passage) == expected


@pytest.mark.parametrize(
    "passage",
    [
        "",
        "Noor (15) praat over wat ze nodig heeft.",
        "Het extra budget van 1200 euro kwam binnen een week.",
        "Drie gezinsvoogden in korte tijd.",
        "Bel 06-12345678 voor een afspraak.",
        "In de zomer ging het beter.",
    ],
)
def test_passages_without_a_date_give_none(passage: str) -> None:
    assert find_date_text(passage) is None


def test_the_found_text_parses_as_a_life_line_date() -> None:
    import lifeline

    text = find_date_text("Vanaf voorjaar 2022 ving tante Ilse Noor en Sem op.")
    assert text is not None
    assert lifeline.parse_when(text).earliest().year == 2022
