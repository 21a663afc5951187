"""Dutch and English words for months, seasons, parts of a year, decades and vagueness markers."""

from typing import Final

from lifeline._lang import Lang

MONTH_WORDS: Final[dict[str, int]] = {
    # Dutch
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "mrt": 3,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "oktober": 10,
    "okt": 10,
    # English
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "oct": 10,
    # shared
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "april": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

MONTH_SHORT: Final[dict[Lang, tuple[str, ...]]] = {
    "nl": ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sept.", "okt.", "nov.", "dec."),
    "en": ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."),
}

MONTH_LONG: Final[dict[Lang, tuple[str, ...]]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

SEASON_WORDS: Final[dict[str, str]] = {
    "voorjaar": "spring",
    "lente": "spring",
    "zomer": "summer",
    "najaar": "autumn",
    "herfst": "autumn",
    "spring": "spring",
    "summer": "summer",
    "autumn": "autumn",
    "fall": "autumn",
    "winter": "winter",
}

SEASON_NAMES: Final[dict[Lang, dict[str, str]]] = {
    "nl": {"spring": "voorjaar", "summer": "zomer", "autumn": "najaar", "winter": "winter"},
    "en": {"spring": "spring", "summer": "summer", "autumn": "autumn", "winter": "winter"},
}

PART_WORDS: Final[dict[str, str]] = {
    "begin": "early",
    "start": "early",
    "beginning": "early",
    "early": "early",
    "vroeg": "early",
    "midden": "mid",
    "medio": "mid",
    "half": "mid",
    "mid": "mid",
    "middle": "mid",
    "eind": "late",
    "einde": "late",
    "end": "late",
    "late": "late",
    "laat": "late",
}

PART_NAMES: Final[dict[Lang, dict[str, str]]] = {
    "nl": {"early": "begin", "mid": "midden", "late": "eind"},
    "en": {"early": "early", "mid": "mid", "late": "late"},
}

DECADE_WORDS: Final[dict[str, int]] = {
    "twintig": 1920,
    "dertig": 1930,
    "veertig": 1940,
    "vijftig": 1950,
    "zestig": 1960,
    "zeventig": 1970,
    "tachtig": 1980,
    "negentig": 1990,
    "twenties": 1920,
    "thirties": 1930,
    "forties": 1940,
    "fifties": 1950,
    "sixties": 1960,
    "seventies": 1970,
    "eighties": 1980,
    "nineties": 1990,
}

APPROX_PREFIXES: Final[tuple[str, ...]] = (
    "approximately",
    "ongeveer",
    "omstreeks",
    "plusminus",
    "rondom",
    "around",
    "approx",
    "circa",
    "about",
    "rond",
    "+/-",
    "ca",
    "c",
    "±",
    "~",
)

APPROX_LABEL: Final[dict[Lang, str]] = {"nl": "ca.", "en": "approx."}

HALF_WORDS: Final[dict[str, int]] = {
    "eerste": 1,
    "1e": 1,
    "first": 1,
    "1st": 1,
    "h1": 1,
    "tweede": 2,
    "2e": 2,
    "second": 2,
    "2nd": 2,
    "h2": 2,
}

QUARTER_WORDS: Final[dict[str, int]] = {
    "eerste": 1,
    "1e": 1,
    "first": 1,
    "1st": 1,
    "tweede": 2,
    "2e": 2,
    "second": 2,
    "2nd": 2,
    "derde": 3,
    "3e": 3,
    "third": 3,
    "3rd": 3,
    "vierde": 4,
    "4e": 4,
    "fourth": 4,
    "4th": 4,
    "laatste": 4,
    "last": 4,
}

# Dutch school holidays: (start month, start day, end month, end day, end year offset), the span over the
# three regions; "easter" is computed per year.
HOLIDAY_WORDS: Final[dict[str, str]] = {
    "herfstvakantie": "autumn",
    "kerstvakantie": "christmas",
    "christmas holidays": "christmas",
    "christmas holiday": "christmas",
    "christmas break": "christmas",
    "voorjaarsvakantie": "spring",
    "krokusvakantie": "spring",
    "carnavalsvakantie": "spring",
    "meivakantie": "may",
    "may holidays": "may",
    "may holiday": "may",
    "zomervakantie": "summer",
    "grote vakantie": "summer",
    "summer holidays": "summer",
    "summer holiday": "summer",
    "pasen": "easter",
    "paasvakantie": "easter",
    "easter": "easter",
    "easter holidays": "easter",
    "kerst": "christmas_day",
    "kerstmis": "christmas_day",
    "christmas": "christmas_day",
}
HOLIDAY_SPANS: Final[dict[str, tuple[int, int, int, int, int]]] = {
    "autumn": (10, 10, 11, 1, 0),
    "christmas": (12, 18, 1, 8, 1),
    "spring": (2, 8, 3, 8, 0),
    "may": (4, 20, 5, 10, 0),
    "summer": (7, 1, 9, 5, 0),
}

UNDATED_WORDS: Final[frozenset[str]] = frozenset(
    {
        "?",
        "??",
        "???",
        "-",
        "onbekend",
        "niet bekend",
        "datum onbekend",
        "weet ik niet",
        "weet ik niet meer",
        "weet niet",
        "geen idee",
        "niet meer bekend",
        "n.b.",
        "nb",
        "unknown",
        "not known",
        "date unknown",
        "don't know",
        "do not know",
        "no idea",
        "n/a",
        "undated",
        "ongedateerd",
    }
)
