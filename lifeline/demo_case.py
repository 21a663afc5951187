"""The fictional demo case "gezin Bakker" as life-line rows: the service's demo and the library's tests share it."""

# when, until, lane, title, source
EVENTS: tuple[tuple[str, str | None, str, str, str], ...] = (
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
        "sept. 2021",
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
)
SUPERVISION_ORDER = "Ondertoezichtstelling; gezinsvoogd aangesteld (derde in korte tijd)"

# The children as people of the life-line (name, what was said about the birth), and events whose dates were
# said as people say them: read from a child's age or school stage, from another event, open-ended or undated.
PEOPLE: tuple[tuple[str, str], ...] = (("Noor", "2008"), ("Sem", "2011"))
# when, lane, title, source, people
SAID: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "toen Sem 7 was",
        "family",
        "Sem logeert vaak bij tante Ilse als het thuis onrustig is",
        "interview tante",
        ("Sem",),
    ),
    ("in groep 5", "school", "Sem krijgt extra begeleiding in de klas", "interview intern begeleider", ("Sem",)),
    (
        "vlak na de ondertoezichtstelling",
        "care",
        "Gezinsvoogd spreekt Noor voor het eerst alleen",
        "dossier jeugdbescherming",
        ("Noor",),
    ),
    ("sinds 2023", "family", "Moeder en Noor zien elkaar elke week", "interview moeder", ("Noor",)),
    ("weet ik niet meer", "family", "Vader krijgt werk in een andere stad", "interview vader", ()),
)
