"""Codebooks in and out: a framework as REFI-QDA ``.qdc`` (stable GUIDs) or CSV (``name``, ``description``,
optional ``group``), and reading either back into a study's own framework. Pure functions, bounded input."""

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import cast
from uuid import UUID, uuid5
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from app.errors import InvalidInput
from app.findings.schemas import FrameworkOut
from app.i18n import _
from lifeline.csvio import restore, write_rows

MAX_THEMES = 500
QDC_NS = "urn:QDA-XML:codebook:1.0"
Theme = dict[str, str]


def theme_guid(installation: UUID, framework_key: str, theme_key: str) -> str:
    """A theme's GUID: the same in every export from this installation (codebooks and study projects alike),
    different on another (``installation``: its own id, ``app.reports.exports.installation_id``)."""
    return str(uuid5(installation, f"codebook:{framework_key}:{theme_key}")).upper()


def _split(title: str) -> tuple[str, str]:
    group, sep, name = title.partition(": ")
    return (group, name) if sep else ("", title)


def to_csv(framework: FrameworkOut, sep: str = ";") -> str:
    """The framework's themes as CSV: name, description, group — by the rules of every CSV here (a BOM, ``sep``
    between fields, every cell quoted and neutralised against formulas); ``from_csv`` reads it back."""
    rows: list[list[object]] = [[name, "", group] for group, name in (_split(t.title) for t in framework.themes)]
    return "\ufeff" + write_rows(["name", "description", "group"], rows, delimiter=sep)


def to_qdc(framework: FrameworkOut, guid: Callable[[str], str]) -> str:
    """The framework as a REFI-QDA codebook: groups as parent codes (not codable), themes beneath."""
    groups: dict[str, list[str]] = {}
    for theme in framework.themes:
        group, name = _split(theme.title)
        code = f'<Code guid="{guid(theme.key)}" name={quoteattr(name)} isCodable="true"/>'
        groups.setdefault(group, []).append(code)
    parts = []
    for group, children in groups.items():
        inner = "".join(children)
        if group:
            inner = f'<Code guid="{guid("group:" + group)}" name={quoteattr(group)} isCodable="false">{inner}</Code>'
        parts.append(inner)
    codes = "".join(parts)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CodeBook xmlns="{QDC_NS}" origin="leerreview"><Codes>{codes}</Codes></CodeBook>'
    )


def _key(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "theme"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _themes(rows: list[tuple[str, str, str, str]]) -> list[Theme]:
    if not rows:
        raise InvalidInput(_("The codebook holds no codes."))
    if len(rows) > MAX_THEMES:
        raise InvalidInput(_("A codebook may hold at most %(n)s codes.", n=MAX_THEMES))
    taken: set[str] = set()
    return [
        {
            "key": _key(name, taken),
            "name": name[:300],
            "description": description[:2000],
            "group": group[:200],
            "guid": guid,
        }
        for name, description, group, guid in rows
    ]


def from_csv(text: str) -> list[Theme]:
    """Themes from CSV with the columns ``name``, ``description`` and optionally ``group``."""
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header.count)  # Dutch Excel saves with ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InvalidInput(_("The CSV needs a column “name” (and may have “description” and “group”)."))
    rows = []
    for row in reader:
        values = {(k or "").strip().lower(): restore(v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if values.get("name"):
            rows.append((values["name"], values.get("description", ""), values.get("group", ""), ""))
        if len(rows) > MAX_THEMES:
            break
    return _themes(rows)


MAX_DEPTH = 20  # levels of nested codes below the first; a codebook nested deeper is refused while it is parsed
_MAX_ELEMENTS = 20 * MAX_THEMES  # codes, descriptions and whatever else a codebook carries
_CODE = f"{{{QDC_NS}}}Code"


def _parse_qdc(text: str) -> ElementTree.Element:
    """The codebook's XML tree, refused (``InvalidInput``) while it is read as soon as it nests deeper than the
    codes are walked or has more elements than a codebook of ``MAX_THEMES`` themes needs: the bound holds during
    the parse, not after a whole tree was built."""
    refused = InvalidInput(_("The codebook could not be read: it is not a REFI-QDA codebook."))
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise refused
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    depth = elements = 0
    root: ElementTree.Element | None = None
    try:
        for start in range(0, len(text), 65_536):
            parser.feed(text[start : start + 65_536])
            for event, element in cast("Iterator[tuple[str, ElementTree.Element]]", parser.read_events()):
                if event == "end":
                    depth -= 1
                    continue
                root = element if root is None else root
                depth, elements = depth + 1, elements + 1
                too_deep = depth > MAX_DEPTH + 4 or (depth > MAX_DEPTH + 3 and element.tag == _CODE)
                if too_deep or elements > _MAX_ELEMENTS:  # depth: CodeBook, Codes, the codes, a Description
                    raise refused
        parser.close()
    except ElementTree.ParseError as exc:
        raise refused from exc
    if root is None or root.tag != f"{{{QDC_NS}}}CodeBook":
        raise refused
    return root


def from_qdc(text: str) -> list[Theme]:
    """Themes from a REFI-QDA codebook: every codable code, its parent code as the group (CPU work: a route
    runs it with its database turn given back, ``app.db.without_turn``)."""
    root = _parse_qdc(text)
    rows: list[tuple[str, str, str, str]] = []

    def walk(element: ElementTree.Element, group: str, depth: int) -> None:
        if depth > MAX_DEPTH or len(rows) > MAX_THEMES:
            return
        for code in element.findall(f"{{{QDC_NS}}}Code"):
            name = code.get("name", "").strip()
            description = (code.findtext(f"{{{QDC_NS}}}Description") or "").strip()
            if name and code.get("isCodable", "true").lower() in ("true", "1"):
                rows.append((name, description, group, code.get("guid", "")))
            walk(code, name or group, depth + 1)

    codes = root.find(f"{{{QDC_NS}}}Codes")
    if codes is not None:
        walk(codes, "", 0)
    return _themes(rows)
