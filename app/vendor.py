"""plotly.js served from our own origin: the copy inside the plotly package, versioned, gzip-compressed and
cached for a year, plus the stylesheet plotly.js would otherwise inject inline (our CSP forbids that).

``templates/partials/_plotly.html`` loads both and marks the page so that plotly.js injects no ``<style>``
element at all: its global stylesheet is our ``<link id="plotly.js-style-global" class="no-inline-styles">``
(plotly's own hook for strict CSPs), and an element with the id of its map stylesheet (``map_style_id``; we
draw no maps) tells it that one is present too."""

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

import plotly
from fastapi import APIRouter, Request, Response
from plotly.offline import get_plotlyjs_version

from app.i18n import N_, _, current_language

router = APIRouter(include_in_schema=False)
_BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
IMMUTABLE = "public, max-age=31536000, immutable"


def plotly_version() -> str:
    """The version of the bundled plotly.js."""
    return str(get_plotlyjs_version())


def plotly_js_url() -> str:
    """The URL of plotly.js (its version in the name, so caches never serve a stale copy)."""
    return f"/static/vendor/plotly-{plotly_version()}.min.js"


def plotly_css_url() -> str:
    """The URL of plotly's stylesheet."""
    return f"/static/vendor/plotly-{plotly_version()}.css"


@lru_cache
def _script() -> tuple[bytes, bytes]:
    raw = _BUNDLE.read_bytes()
    return raw, gzip.compress(raw, compresslevel=9, mtime=0)


@lru_cache
def _stylesheet() -> bytes:
    """Plotly's base CSS rules, lifted from the rules object inside the bundle."""
    source = _BUNDLE.read_text(encoding="utf-8")
    start = source.index('{"X,X div"')
    depth, end = 0, start
    for index in range(start, len(source)):
        if source[index] == "{":
            depth += 1
        elif source[index] == "}":
            depth -= 1
            if depth == 0:
                end = index + 1
                break
    rules: dict[str, str] = json.loads(_js_object_to_json(source[start:end]))
    css = []
    for selector, body in rules.items():
        full = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        css.append(f"{full}{{{body}}}")
    return "\n".join(css).encode()


def plotly_locale() -> dict[str, object]:
    """plotly.js's locale for the page's language: the mode bar's button names (its ``aria-label``s) translated."""
    language = current_language()
    if language == "en":
        return {"locale": "en", "dictionary": {}}
    names = (
        N_("Download plot as a PNG"),
        N_("Zoom"),
        N_("Pan"),
        N_("Zoom in"),
        N_("Zoom out"),
        N_("Reset axes"),
        N_("Autoscale"),
    )
    return {"locale": language, "dictionary": {name: _(name) for name in names}}


@lru_cache
def map_style_id() -> str:
    """The id under which plotly.js would inject its map (MapLibre) stylesheet; empty when the bundle has none."""
    source = _BUNDLE.read_text(encoding="utf-8")
    found = re.search(r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)', source)
    return found.group(1) if found else ""


def _js_object_to_json(literal: str) -> str:
    """Turn a flat JS object literal (single-quoted strings, bare keys) into JSON."""
    out = []
    for token in re.findall(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[^"\']+', literal):
        if token.startswith("'"):
            out.append(json.dumps(token[1:-1]))
        elif token.startswith('"'):
            out.append(token)
        else:
            out.append(re.sub(r"([{,])\s*([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', token))
    return "".join(out)


def _serve(request: Request, raw: bytes, compressed: bytes | None, media_type: str) -> Response:
    headers = {"cache-control": IMMUTABLE, "vary": "accept-encoding"}
    if compressed is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["content-encoding"] = "gzip"
        return Response(compressed, media_type=media_type, headers=headers)
    return Response(raw, media_type=media_type, headers=headers)


@router.get("/static/vendor/plotly-{version}.min.js")
def plotly_js(request: Request, version: str) -> Response:
    """plotly.js itself."""
    if version != plotly_version():
        return Response(status_code=404, headers={"cache-control": "no-store"})
    raw, compressed = _script()
    return _serve(request, raw, compressed, "text/javascript; charset=utf-8")


@router.get("/static/vendor/plotly-{version}.css")
def plotly_css(request: Request, version: str) -> Response:
    """plotly's stylesheet."""
    if version != plotly_version():
        return Response(status_code=404, headers={"cache-control": "no-store"})
    return _serve(request, _stylesheet(), None, "text/css; charset=utf-8")
