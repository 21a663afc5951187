"""Extract the translatable messages and keep the Dutch catalogue ``app/locale/nl/messages.po`` up to date.

    python scripts/messages.py          # add new messages (empty msgstr), drop the ones no longer in the code
    python scripts/messages.py --check  # exit 1 and list the messages without a Dutch translation

Messages come from the service's Python code (``app/**.py``: ``_``, ``N_``, ``gettext``, ``ngettext``) and the
Jinja2 templates (``templates/**.html``: ``_``, ``gettext``, ``ngettext``, ``{% trans %}``). The ``lifeline``
package has its own Dutch and English texts and is not part of the gettext catalogue.

Existing translations are kept; removed messages are dropped (an obsolete ``#~`` entry would only be noise in
diffs: git keeps the history). The catalogue is sorted by msgid and carries one file name per message (no line
numbers), so adding a string elsewhere in a file does not touch unrelated entries. ``--check`` looks at every
``app/locale/nl/*.po`` file, merged the way the application reads them (``app.i18n.catalog``).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "app" / "locale"
PO_FILE = LOCALE_DIR / "nl" / "messages.po"

METHOD_MAP = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS_MAP = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
}

# Strings Babel picks up that are not messages: dictionary keys inside a call, e.g. ``_(_MESSAGES["value_error"])``.
NOT_MESSAGES = frozenset({"value_error"})

HEADER = {
    "Project-Id-Version": "leerreview",
    "Language": "nl",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def extract() -> dict[str, tuple[str, str | None]]:
    """Every message in the code: msgid -> (the first file it appears in, its plural form or None)."""
    found: dict[str, tuple[str, str | None]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        if isinstance(message, tuple):
            singular, plural = message[0], message[1] if len(message) > 1 else None
        else:
            singular, plural = message, None
        if not singular or singular in NOT_MESSAGES:
            continue
        location = Path(filename).as_posix()
        known = found.get(singular)
        if known is None:
            found[singular] = (location, plural)
        elif known[1] is None and plural:
            found[singular] = (known[0], plural)
    return found


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="nl")


def _key(message: Message) -> str:
    """The (singular) msgid of a catalogue entry."""
    return message.id if isinstance(message.id, str) else str(message.id[0])


def _strings(message: Message) -> tuple[str, ...]:
    """The msgstr of an entry as a tuple (one item, or one per plural form)."""
    if isinstance(message.string, str) or message.string is None:
        return (message.string or "",)
    return tuple(message.string)


def _translated(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """The complete, non-fuzzy translations of a catalogue, keyed by (singular) msgid."""
    return {
        _key(message): _strings(message)
        for message in catalog
        if message.id and not message.fuzzy and all(_strings(message))
    }


def update(path: Path = PO_FILE) -> tuple[list[str], list[str]]:
    """Rewrite ``path`` from the code's messages, keeping translations. Returns (added, removed) msgids.

    A message already translated in another ``app/locale/nl/*.po`` file (an area's own catalogue) is left there.
    """
    elsewhere: set[str] = set()
    for po_file in sorted(path.parent.glob("*.po")):
        if po_file.resolve() != path.resolve():
            elsewhere.update(_translated(_read(po_file)))
    messages = {msgid: value for msgid, value in extract().items() if msgid not in elsewhere}
    old = _read(path) if path.exists() else Catalog(locale="nl")
    existing = {_key(message): message for message in old if message.id}

    new = Catalog(locale="nl", project="leerreview", fuzzy=False)
    added: list[str] = []
    for msgid in sorted(messages):
        location, plural = messages[msgid]
        previous = existing.get(msgid)
        strings = _strings(previous) if previous is not None else ()
        locations: list[tuple[str, Any]] = [(location, None)]  # file names only, no line numbers
        if plural:
            both = (*strings, "", "")[:2]
            new.add((msgid, plural), both, locations=locations, flags=_flags(previous))
        else:
            new.add(msgid, strings[0] if strings else "", locations=locations, flags=_flags(previous))
        if previous is None:
            added.append(msgid)
    removed = sorted(set(existing) - set(messages))
    write(new, path)
    return added, removed


def write(catalog: Catalog, path: Path = PO_FILE) -> None:
    """Write ``catalog`` sorted by msgid, without line numbers or wrapping, with a stable header."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, include_previous=False, include_lineno=False)
    text = _clean_header(buffer.getvalue().decode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _flags(previous: Message | None) -> Iterable[str]:
    return sorted(flag for flag in (previous.flags if previous else ()) if flag != "python-format")


def _clean_header(text: str) -> str:
    """Replace Babel's header (template boilerplate, volatile dates) by a fixed one, so reruns give the same file."""
    lines = text.splitlines(keepends=True)
    start = next(index for index, line in enumerate(lines) if line.startswith('msgid ""'))
    end = next(index for index in range(start, len(lines)) if not lines[index].strip())
    header = [
        "# Dutch translations of leerreview (source strings are English).\n",
        "# Update with `python scripts/messages.py`, check with `python scripts/messages.py --check`.\n",
        'msgid ""\n',
        'msgstr ""\n',
        *(f'"{key}: {value}\\n"\n' for key, value in HEADER.items()),
    ]
    return "".join(header + lines[end:])


def missing() -> list[str]:
    """The msgids in the code without a complete Dutch translation in any ``app/locale/nl/*.po`` file."""
    translated: dict[str, tuple[str, ...]] = {}
    for po_file in sorted((LOCALE_DIR / "nl").glob("*.po")):
        translated.update(_translated(_read(po_file)))
    return sorted(msgid for msgid in extract() if msgid not in translated)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="list untranslated messages and exit 1 if there are any")
    args = parser.parse_args(argv)
    if args.check:
        untranslated = missing()
        for msgid in untranslated:
            print(f"untranslated: {msgid!r}")
        if untranslated:
            print(f"{len(untranslated)} message(s) without a Dutch translation; run `python scripts/messages.py`")
            print(f"and fill in their msgstr in {PO_FILE.relative_to(ROOT)}.")
            return 1
        print(f"All {len(extract())} messages have a Dutch translation.")
        return 0
    added, removed = update()
    total = len(extract())
    print(f"{PO_FILE.relative_to(ROOT)}: {total} messages, {len(added)} added, {len(removed)} removed.")
    for msgid in added:
        print(f"  + {msgid!r}")
    for msgid in removed:
        print(f"  - {msgid!r}")
    untranslated = missing()
    if untranslated:
        print(f"{len(untranslated)} message(s) still need a Dutch translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
