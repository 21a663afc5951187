"""Label and hover texts shared by the interactive figure and the printed banner."""

import html
import textwrap
from typing import Final

from lifeline._lang import norm_lang
from lifeline.dates import FuzzyDate, Period, When
from lifeline.events import Event, Lane, lane_label, status_label

MAX_LABEL_CHARS: Final = 38
_APPROX: Final[dict[str, str]] = {"nl": "ca. ", "en": "approx. "}
_DISPUTED: Final[dict[str, str]] = {"nl": " (betwist)", "en": " (disputed)"}
_FIELDS: Final[dict[str, dict[str, str]]] = {
    "nl": {
        "lane": "Baan",
        "organisation": "Organisatie",
        "people": "Betrokkenen",
        "sources": "Bronnen",
        "status": "Status",
    },
    "en": {
        "lane": "Lane",
        "organisation": "Organisation",
        "people": "People",
        "sources": "Sources",
        "status": "Status",
    },
}


def is_approximate(when: When) -> bool:
    """Whether a date or period is marked approximate anywhere ("ca.")."""
    if isinstance(when, FuzzyDate):
        return when.approximate
    return any(part is not None and part.approximate for part in (when.start, when.end))


def core_range(when: When) -> tuple[FuzzyDate | None, FuzzyDate | None]:
    """Return the start and end dates of a period (None for a point), for drawing its certain core."""
    if isinstance(when, Period):
        return when.start, when.end
    return None, None


def shorten(text: str, max_chars: int) -> str:
    """Cut a text to ``max_chars`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def event_label(event: Event, lang: str = "nl", max_chars: int = MAX_LABEL_CHARS) -> str:
    """Return the plain-text label drawn next to an event: "ca." when vague, "(betwist)" when disputed."""
    language = norm_lang(lang)
    prefix = _APPROX[language] if is_approximate(event.when) else ""
    suffix = _DISPUTED[language] if event.status == "disputed" else ""
    return prefix + shorten(event.title, max(8, max_chars - len(prefix) - len(suffix))) + suffix


def hover_text(event: Event, lang: str = "nl") -> str:
    """Return the HTML-escaped hover text of an event: title, date text, lane, people, sources, status."""
    language = norm_lang(lang)
    names = _FIELDS[language]
    esc = html.escape
    lines = [f"<b>{esc(event.title)}</b>", esc(event.date_text(language))]
    if event.description:
        lines.extend(esc(line) for line in textwrap.wrap(shorten(event.description, 240), 60))
    if event.lane not in Lane.STANDARD:
        lines.append(f"{names['lane']}: {esc(lane_label(event.lane, language))}")
    if event.organisation:
        lines.append(f"{names['organisation']}: {esc(event.organisation)}")
    if event.people:
        lines.append(f"{names['people']}: {esc('; '.join(event.people))}")
    if event.sources:
        lines.append(f"{names['sources']}: {esc('; '.join(event.sources))}")
    lines.append(f"{names['status']}: {esc(status_label(event.status, language))}")
    return "<br>".join(lines)
