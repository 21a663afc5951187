"""The fictional demo case "gezin Bakker" as life-line events and pins, for the tests and the bench."""

from lifeline import Event, Pin, parse_when

# (when, until, lane, title, source) — the demo case's life-line, vague dates kept vague.
DEMO_ROWS: list[tuple[str, str | None, str, str, str]] = [
    ("ca. 2006", None, "family", "Ouders leren elkaar kennen", "interview moeder"),
    ("2008", None, "family", "Noor geboren", "interview moeder"),
    ("2011", None, "family", "Sem geboren", "interview moeder"),
    ("ca. 2012", "2014", "care", "Opvoedondersteuning thuis (eens per week)", "interview vader"),
    ("voorjaar 2014", None, "family", "Moeder voor het eerst opgenomen (psychose)", "dossier GGZ"),
    (
        "2014",
        "2017",
        "care",
        "Wisselende hulpverleners gezinsondersteuning; hulp stopt steeds na conflicten",
        "interview moeder",
    ),
    ("2016", None, "safety", "Melding Veilig Thuis na ruzie met politie-inzet", "dossier Veilig Thuis"),
    ("zomer 2017", None, "family", "Ouders gaan uit elkaar; vader verhuist", "interview vader"),
    ("2018", None, "school", "Noor vertelt juf groep 8 over de situatie thuis", "interview Noor"),
    ("2018", "2020", "care", "Psycholoog voor Noor", "interview Noor"),
    ("sept. 2020", None, "school", "Noor start op Het Baken", "interview intern begeleider"),
    ("2021", None, "school", "Noor verzuimt veel; leerplicht betrokken", "dossier school"),
    (
        "okt. 2021",
        None,
        "safety",
        "Ondertoezichtstelling; gezinsvoogd aangesteld (derde in korte tijd)",
        "dossier jeugdbescherming",
    ),
    (
        "jan. 2022",
        None,
        "care",
        "Wijkteam Oost wordt casemanager; startgesprek met gezin en school",
        "interview wijkteammedewerker",
    ),
    ("feb. 2022", None, "care", "Wekelijks overleg wijkteam, school en gezinsvoogd", "verslag overleg"),
    ("voorjaar 2022", None, "family", "Moeder opnieuw opgenomen; tante Ilse vangt Noor en Sem op", "interview tante"),
    ("2022", "2023", "care", "Behandeling Noor bij Jeugd-GGZ De Linde (traumabehandeling)", "behandelplan"),
    (
        "zomer 2022",
        None,
        "care",
        "Huishoudelijke hulp en ochtendondersteuning zodat Noor naar school kan",
        "interview wijkteammedewerker",
    ),
    ("nov. 2022", None, "care", "Gezamenlijk gesprek: Noor zegt dat ze bij tante wil wonen", "interview Noor"),
    ("jan. 2023", None, "family", "Noor verhuist naar tante Ilse", "interview tante"),
    ("2023", None, "school", "Noor gaat weer elke dag naar school", "interview intern begeleider"),
]


def demo_events() -> list[Event]:
    """Return the demo case's 21 life-line events."""
    return [
        Event.from_text(
            id=index,
            title=title,
            when=when,
            until=until,
            lane=lane,
            sources=[source],
            status="confirmed",
            organisation="Jeugd-GGZ De Linde" if "De Linde" in title else None,
        )
        for index, (when, until, lane, title, source) in enumerate(DEMO_ROWS, start=1)
    ]


def demo_pins() -> list[Pin]:
    """Return moments of good and no good help named in the demo group interview."""
    return [
        Pin(kind="success", label="Eén casemanager met mandaat", event_id=14),
        Pin(kind="success", label="Dagelijkse zorg tijdelijk overgenomen", at=parse_when("zomer 2022")),
        Pin(kind="success", label="Tempo van het gezin gevolgd", event_id=19),
        Pin(kind="hindering", label="Drie gezinsvoogden in korte tijd", event_id=13),
        Pin(kind="hindering", label="Niemand sprak met Noor apart", at=parse_when("2014–2017")),
        Pin(kind="hindering", label="Info psycholoog bereikte school niet", at=parse_when("2019")),
    ]
