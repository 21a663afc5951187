"""JavaScript modules import each other by content-hashed URLs, like every other static URL of a page."""

import hashlib
import re

from fastapi.testclient import TestClient

from app.templating import STATIC_DIR, static_url


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
