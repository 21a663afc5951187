"""JavaScript modules import each other by content-hashed URLs, like every other static URL of a page."""

import hashlib
import posixpath
import re

from fastapi.testclient import TestClient

from app.templating import STATIC_DIR, static_url, static_version, versioned_imports


def test_a_page_script_imports_its_module_by_a_versioned_url(client: TestClient) -> None:
    served = client.get("/static/js/gi-console.js")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/javascript")
    imports = re.findall(r'from "(\./gi-live\.js[^"]*)"', served.text)
    assert imports and all(i.startswith("./gi-live.js?v=") for i in imports)
    module = client.get("/static/js/" + imports[0].removeprefix("./"))
    assert module.status_code == 200
    # the version is the hash of the module exactly as it is served
    assert imports[0].endswith("?v=" + hashlib.sha256(module.content).hexdigest()[:10])


def test_the_page_links_a_script_whose_version_covers_what_it_imports(client: TestClient) -> None:
    url = static_url("js/gi-console.js")
    served = client.get(url)
    assert url.endswith("?v=" + hashlib.sha256(served.content).hexdigest()[:10])


def test_other_static_files_are_served_unchanged(client: TestClient) -> None:
    css = client.get("/static/css/app.css")
    assert css.status_code == 200
    assert css.content == (STATIC_DIR / "css/app.css").read_bytes()


# Every module specifier in a served script: ``from "…"``, a side-effect ``import "…"`` and ``import("…")``.
_SPECIFIER = re.compile(r"""(?<![\w.-])(?:from\s*|import\s*\(?\s*)["']([^"'\n]+)["']""")
_MODULES = sorted(p.relative_to(STATIC_DIR).as_posix() for p in (STATIC_DIR / "js").rglob("*.js"))


def _specifiers(text: str) -> list[str]:
    """The module specifiers of a script's code (comment lines, which may say ``from "…"``, left out)."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("//", "/*", "*")))
    return _SPECIFIER.findall(code)


def _served_imports(client: TestClient, path: str) -> list[str]:
    served = client.get(f"/static/{path}")
    assert served.status_code == 200, path
    return _specifiers(served.text)


def test_every_relative_import_in_static_js_carries_the_hash_of_the_module_it_names(client: TestClient) -> None:
    """A deploy never pairs a new script with an old cached module: every import, ``lib/`` included, is versioned."""
    checked = 0
    for path in _MODULES:
        folder = posixpath.dirname(path)
        for specifier in _served_imports(client, path):
            assert specifier.startswith(("./", "../")), f"{path} imports {specifier!r}: only our own modules"
            target, _, version = specifier.partition("?v=")
            resolved = posixpath.normpath(posixpath.join(folder, target))
            module = client.get(f"/static/{resolved}")
            assert module.status_code == 200, f"{path} imports {specifier!r}, which is not served"
            assert version == hashlib.sha256(module.content).hexdigest()[:10], f"{path} imports {specifier!r}"
            checked += 1
    assert checked >= 20  # the page scripts and lib/ really import each other


def test_imports_from_a_parent_folder_and_side_effect_imports_are_versioned_too() -> None:
    text = 'import { el } from "../lib/dom.js";\nimport "./http.js";\nconst m = import("../charts.js");'
    served = versioned_imports(text, "js/lib")
    assert f'from "../lib/dom.js?v={static_version("js/lib/dom.js")}"' in served
    assert f'import "./http.js?v={static_version("js/lib/http.js")}"' in served
    assert f'import("../charts.js?v={static_version("js/charts.js")}")' in served


def test_the_modules_import_each_other_without_a_cycle() -> None:
    """A module's version covers its imports' versions; a cycle would have no version (and no clear layering)."""
    graph: dict[str, list[str]] = {}
    for path in _MODULES:
        text = (STATIC_DIR / path).read_text(encoding="utf-8")
        graph[path] = [posixpath.normpath(posixpath.join(posixpath.dirname(path), s)) for s in _specifiers(text)]
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert node not in trail, " → ".join((*trail, node))
        if node in done:
            return
        for target in graph.get(node, []):
            visit(target, (*trail, node))
        done.add(node)

    for path in _MODULES:
        visit(path, ())
    # lib/ stands below the page scripts: it imports only lib/
    for path, targets in graph.items():
        if path.startswith("js/lib/"):
            assert all(t.startswith("js/lib/") for t in targets), path


def test_page_scripts_reach_the_service_and_the_page_only_through_lib() -> None:
    """One way to call the API (CSRF header, failure message), build elements and read the page's data."""
    owners = {
        "fetch(": "js/lib/http.js",
        "csrf-token": "js/lib/http.js",
        "document.createElement": "js/lib/dom.js",
        "JSON.parse(document": "js/lib/dom.js",
        ".textContent ? JSON.parse": "js/lib/dom.js",
    }
    for path in _MODULES:
        text = (STATIC_DIR / path).read_text(encoding="utf-8")
        for needle, owner in owners.items():
            assert path == owner or needle not in text, f"{path} uses {needle!r}: use {owner}"
