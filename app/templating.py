"""Jinja2 rendering with gettext (the i18n extension), autoescaping on, and the common page context."""

import hashlib
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from app import i18n
from app.deps import page_csrf_token
from app.labels import label, role_label
from app.live.models import EventKind
from app.vendor import map_style_id, plotly_locale

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


# A relative import between our modules: ``from "./lib/http.js"``, ``from "../dom.js"`` (static, side-effect
# ``import "./x.js"`` and dynamic ``import("./x.js")``).
_MODULE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?/[\w./-]+\.js)\2""")


@lru_cache
def module_text(path: str) -> str:
    """A JavaScript module as it is served: its imports of our own modules carry their content hash.

    Otherwise a deploy could pair a new page script with an old cached module it imports (``./gi-live.js`` was
    the one static URL without a version). A module's own version covers its imports' versions.
    """
    return versioned_imports((STATIC_DIR / path).read_text(encoding="utf-8"), Path(path).parent.as_posix())


def versioned_imports(text: str, folder: str) -> str:
    """``text`` (a module in ``folder`` below static/) with ``?v=<hash>`` on every relative import."""

    def versioned(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(3)))
        return f"{match.group(1)}{match.group(2)}{match.group(3)}?v={static_version(target)}{match.group(2)}"

    return _MODULE_IMPORT.sub(versioned, text)


@lru_cache
def static_version(path: str) -> str:
    """A short content hash of a static file (of a module: as served, see ``module_text``), for cache-busting URLs."""
    file = STATIC_DIR / path
    if not file.exists():
        return "0"
    content = module_text(path).encode() if path.endswith(".js") else file.read_bytes()
    return hashlib.sha256(content).hexdigest()[:10]


def static_url(path: str) -> str:
    """The URL of a static file, versioned by its content."""
    return f"/static/{path}?v={static_version(path)}"


@lru_cache
def environment() -> Environment:
    """The template environment: autoescaping for every template, gettext bound to the active language."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg"), default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Jinja's new-style gettext fills the placeholders itself (escaping the values), so it gets the raw lookups.
    env.install_gettext_callables(i18n.translate, i18n.translate_plural, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        current_language=i18n.current_language,
        N_=i18n.N_,
        label=label,
        role_label=role_label,
        live_event_kinds=script_data([kind.value for kind in EventKind]),
        plotly_map_style_id=map_style_id,
        plotly_locale=plotly_locale,
        script_data=script_data,
    )
    return env


def script_data(value: object) -> Markup:
    """``value`` as JSON to sit inside a ``<script type="application/json">`` element.

    It is serialised here, never taken as text, so it is JSON by construction; ``<``, ``>`` and ``&`` (which can
    only occur inside JSON strings) become ``\\u`` escapes, so no user text can close the element (``</script>``)
    or open a comment. ``JSON.parse`` reads the escapes back as the same characters.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_text(name: str, context: dict[str, Any]) -> Markup:
    """Render a template (no request needed: reports, e-mails). The result is escaped markup, safe to embed."""
    return Markup(environment().get_template(name).render(**context))


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the viewer, CSRF token and language in its context."""
    viewer = getattr(request.state, "viewer", None)
    full: dict[str, Any] = {
        "request": request,
        "viewer": viewer,
        "user": viewer.user if viewer else None,
        "csrf_token": page_csrf_token(request),
        "lang": i18n.current_language(),
        "path": request.url.path,
    }
    full.update(context or {})
    return HTMLResponse(render_text(name, full), status_code=status_code)
