"""Security headers on every page and API answer, and templates that escape what users type."""

from fastapi.testclient import TestClient

from app.deps import pre_cookie_name
from app.security import csrf_matches, csrf_token
from tests.access import app_routes
from tests.world import BASE_URL, Ids, World

HOSTILE = "<script>alert(1)</script>{{7*7}}"


def _check(response, *, static: bool = False) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers["content-security-policy"]
    directives = dict([*part.strip().split(" ", 1), ""][:2] for part in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    # only style attributes may be inline (plotly.js draws with them); no <style> element, no foreign sheet
    assert directives["style-src"] == directives["style-src-elem"] == "'self'"
    assert directives["style-src-attr"] == "'unsafe-inline'"
    assert "'unsafe-inline'" not in csp.replace("style-src-attr 'unsafe-inline'", "")
    assert "http" not in csp  # no third-party origins
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    if not static:
        assert response.headers["cache-control"] == "no-store"


def test_every_page_and_api_answer_carries_the_headers(world: World, ids: Ids) -> None:
    # Live streams never end under the test client; their refusals are checked below, their headers in tests/live.
    for path in sorted(p for m, p in app_routes(world.app) if m == "GET" and not p.endswith("/stream")):
        url = ids.url(path)
        response = (world.api if url.startswith("/api/") else world.pages)["owner"].get(url)
        _check(response)
    for response in (
        world.api["anonymous"].get("/api/v1/reviews"),  # 401
        world.api["owner"].get("/api/v1/reviews/999999"),  # 404
        world.api["owner"].post("/api/v1/reviews", json={}),  # 422
        world.api["outsider"].get(f"/api/v1/reviews/{ids.review_id}/group-interview/stream"),  # 404
        world.api["owner"].get("/api/v1/participant/stream"),  # 401: not a phone
        world.pages["anonymous"].get("/"),  # redirect to the login page
        world.pages["owner"].get("/no-such-page"),
        world.pages["owner"].post(
            f"/reviews/{ids.review_id}/edit", {"title": "t"}, headers={"origin": "https://evil.example"}
        ),
    ):
        _check(response)
    _check(world.pages["owner"].get("/static/css/app.css"), static=True)


def test_user_text_is_escaped_on_every_page(world: World) -> None:
    api = world.api["owner"]
    review = api.post(
        "/api/v1/reviews", json={"title": HOSTILE, "collaboration": HOSTILE, "case_pseudonym": HOSTILE}
    ).json()
    base = f"/api/v1/reviews/{review['id']}"
    participant = api.post(
        f"{base}/participants", json={"pseudonym": HOSTILE, "role_category": "parent", "organisation": HOSTILE}
    ).json()
    api.patch(f"{base}/steps/case_selected", json={"status": "skipped", "skip_reason": HOSTILE, "notes": HOSTILE})
    pages = [
        "/",
        f"/reviews/{review['id']}",
        f"/reviews/{review['id']}/participants",
        f"/reviews/{review['id']}/members",
        f"/reviews/{review['id']}/erase",
        f"/reviews/{review['id']}/participants/{participant['id']}",
    ]
    for url in pages:
        html = world.pages["owner"].get(url).text
        assert "<script>alert(1)" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in html, url


def test_only_pages_hand_out_a_new_pre_login_binding(world: World) -> None:
    """A page without cookies gets the pre-login CSRF cookie; an API answer or a static file does not (no random
    bytes and no Set-Cookie per call), and a CSRF token bound to nothing is refused."""
    name = pre_cookie_name(world.app.state.settings)
    with TestClient(world.app, base_url=BASE_URL) as bare:
        assert f"{name}=" in bare.get("/login").headers.get("set-cookie", "")
        bare.cookies.clear()
        assert "set-cookie" not in bare.get("/api/v1/ping").headers
        assert "set-cookie" not in bare.get("/static/css/app.css").headers
    secret = world.app.state.settings.resolved_secret_key()
    assert not csrf_matches(secret, "", csrf_token(secret, ""))
