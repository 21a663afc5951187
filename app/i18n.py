"""Translation layer: Dutch and English through gettext catalogues (Babel), chosen per request.

Source strings are English. Dutch lives in ``app/locale/nl/*.po`` (one file per area, merged at load), read
straight from the ``.po`` files so that no compile step can fall out of date. The active language is a
context variable set by the middleware for each request.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default="nl")


@lru_cache
def catalog(language: str) -> dict[str, str | tuple[str, ...]]:
    """All translated messages of one language, merged from its ``.po`` files (empty for English)."""
    merged: dict[str, str | tuple[str, ...]] = {}
    for po_file in sorted((LOCALE_DIR / language).glob("*.po")):
        with po_file.open("rb") as handle:
            parsed: Catalog = read_po(handle, locale=language)
        for message in parsed:
            if not message.id or message.fuzzy:
                continue
            key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
            if isinstance(message.string, tuple | list):
                if all(message.string):
                    merged[key] = tuple(message.string)
            elif message.string:
                merged[key] = str(message.string)
    return merged


def current_language() -> str:
    """The language of the request being handled."""
    return _current.get()


def set_language(language: str) -> contextvars.Token[str]:
    """Make ``language`` the active language for this context."""
    return _current.set(language if language in LANGUAGES else "nl")


@contextmanager
def language(language: str) -> Iterator[None]:
    """Temporarily switch the active language (reports, exports, tests)."""
    token = set_language(language)
    try:
        yield
    finally:
        _current.reset(token)


def translate(message: str) -> str:
    """The translation of ``message`` in the active language, placeholders left as they are."""
    translated = catalog(_current.get()).get(message, message)
    return translated[0] if isinstance(translated, tuple) else translated


def translate_plural(singular: str, plural: str, n: int) -> str:
    """The singular or plural translation for ``n`` (Dutch and English share the same rule)."""
    translated = catalog(_current.get()).get(singular)
    if isinstance(translated, tuple):
        return translated[0] if n == 1 else translated[1]
    return singular if n == 1 else plural


def gettext(message: str, **variables: Any) -> str:
    """Translate ``message`` into the active language, then fill ``%(name)s`` placeholders."""
    text = translate(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """Translate with a plural form chosen by ``n``, filling ``%(num)s`` and other placeholders."""
    return translate_plural(singular, plural, n) % {"num": n, **variables}


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated later with ``_``)."""
    return message


def negotiate(accept_language: str | None, default: str) -> str:
    """Pick nl or en from an ``Accept-Language`` header, by quality."""
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, index, primary))
    return sorted(choices)[0][2] if choices else default
