"""The access-control matrix: every route of the app, for owner, researcher, reader, non-member and anonymous.

Every route under a review must have a row in ``REVIEW_ROUTES``; every other route must be listed in
``ACCOUNT_ROUTES`` or ``PUBLIC_ROUTES``. A new route without a row fails ``test_every_route_is_in_the_matrix``.
"""

import datetime as dt
import re

import pytest

from tests.access import MEMBERS, OWNERS, WRITERS, app_routes, assert_only_logged, expected_status
from tests.access import Access as AccessOf
from tests.world import ROLES, Ids, World, snapshot

TODAY = dt.date.today().isoformat()
NEXT_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()

IMPORT_BODY = {"format": "leerreview.review", "format_version": 1, "review": {"title": "Via token"}, "tables": {}}
Access = AccessOf[Ids]

R = "/api/v1/reviews/{review_id}"
P = "/reviews/{review_id}"
REVIEW_ROUTES: dict[tuple[str, str], Access] = {
    # API
    ("GET", R): Access(MEMBERS, 200),
    ("PATCH", R): Access(WRITERS, 200, lambda i: {"collaboration": "Wijkteam, school"}),
    ("DELETE", R): Access(OWNERS, 204),
    ("GET", R + "/members"): Access(MEMBERS, 200),
    ("POST", R + "/members"): Access(OWNERS, 201, lambda i: {"email": "outsider@example.org", "role": "reader"}),
    ("PATCH", R + "/members/{member_id}"): Access(OWNERS, 204, lambda i: {"role": "researcher"}),
    ("DELETE", R + "/members/{member_id}"): Access(OWNERS, 204),
    ("GET", R + "/steps"): Access(MEMBERS, 200),
    ("PATCH", R + "/steps/{key}"): Access(WRITERS, 200, lambda i: {"status": "done"}),
    ("GET", R + "/readiness"): Access(MEMBERS, 200),
    ("GET", R + "/participants"): Access(MEMBERS, 200),
    ("POST", R + "/participants"): Access(WRITERS, 201, lambda i: {"pseudonym": "Vader", "role_category": "parent"}),
    ("GET", R + "/participants/{participant_id}"): Access(MEMBERS, 200),
    ("PATCH", R + "/participants/{participant_id}"): Access(WRITERS, 200, lambda i: {"prepared": True}),
    ("DELETE", R + "/participants/{participant_id}"): Access(WRITERS, 204),
    ("GET", R + "/participants/{participant_id}/consents"): Access(MEMBERS, 200),
    ("POST", R + "/participants/{participant_id}/consents"): Access(
        WRITERS, 201, lambda i: {"scope": "interview", "given_on": TODAY, "method": "verbal"}
    ),
    ("POST", R + "/participants/{participant_id}/consents/{consent_id}/withdraw"): Access(
        WRITERS, 200, lambda i: {"withdrawn_on": TODAY}
    ),
    # Pages
    ("GET", P): Access(MEMBERS, 200),
    ("POST", P + "/edit"): Access(WRITERS, 303, lambda i: {"title": "Nieuwe titel"}),
    ("POST", P + "/steps/{key}"): Access(WRITERS, 303, lambda i: {"status": "done"}),
    ("GET", P + "/members"): Access(MEMBERS, 200),
    ("POST", P + "/members"): Access(OWNERS, 303, lambda i: {"email": "outsider@example.org", "role": "reader"}),
    ("POST", P + "/members/{member_id}/role"): Access(OWNERS, 303, lambda i: {"role": "researcher"}),
    ("POST", P + "/members/{member_id}/remove"): Access(OWNERS, 303),
    ("GET", P + "/erase"): Access(OWNERS, 200),
    ("POST", P + "/erase"): Access(OWNERS, 303, lambda i: {"confirm_title": i.title}),
    ("GET", P + "/participants"): Access(MEMBERS, 200),
    ("POST", P + "/participants"): Access(WRITERS, 303, lambda i: {"pseudonym": "Vader", "role_category": "parent"}),
    ("GET", P + "/participants/{participant_id}"): Access(MEMBERS, 200),
    ("POST", P + "/participants/{participant_id}"): Access(
        WRITERS, 303, lambda i: {"pseudonym": "Moeder M.", "role_category": "parent"}
    ),
    ("POST", P + "/participants/{participant_id}/consents"): Access(
        WRITERS, 303, lambda i: {"scope": "interview", "given_on": TODAY, "method": "verbal"}
    ),
    ("POST", P + "/participants/{participant_id}/consents/{consent_id}/withdraw"): Access(
        WRITERS, 303, lambda i: {"withdrawn_on": TODAY, "effect": "exclude"}
    ),
    ("POST", P + "/participants/{participant_id}/erase"): Access(WRITERS, 303),
    # Findings tree (API); 409: the route is reached, the service refuses (the node is not merged / deleted)
    ("GET", R + "/findings-tree"): Access(MEMBERS, 200),
    ("GET", R + "/findings-tree/figure"): Access(MEMBERS, 200),
    ("GET", R + "/findings-tree.svg"): Access(MEMBERS, 200),
    ("GET", R + "/findings-tree.pdf"): Access(MEMBERS, 200),
    ("POST", R + "/findings-tree/propose"): Access(WRITERS, 409),
    ("POST", R + "/findings-tree/nodes"): Access(WRITERS, 201, lambda i: {"title": "Korte lijnen met school"}),
    ("PATCH", R + "/findings-tree/nodes/{node_id}"): Access(WRITERS, 200, lambda i: {"version": 1, "title": "Regie"}),
    ("DELETE", R + "/findings-tree/nodes/{node_id}"): Access(WRITERS, 204),
    ("POST", R + "/findings-tree/nodes/{node_id}/move"): Access(
        WRITERS, 200, lambda i: {"parent_id": i.other_node_id, "position": 0}
    ),
    ("POST", R + "/findings-tree/nodes/{node_id}/merge"): Access(
        WRITERS, 200, lambda i: {"node_ids": [i.other_node_id]}
    ),
    ("POST", R + "/findings-tree/nodes/{node_id}/unmerge"): Access(WRITERS, 409),
    ("POST", R + "/findings-tree/nodes/{node_id}/restore"): Access(WRITERS, 409),
    ("GET", R + "/findings-tree/nodes/{node_id}/history"): Access(MEMBERS, 200),
    ("POST", R + "/findings-tree/nodes/{node_id}/evidence"): Access(
        WRITERS, 201, lambda i: {"kind": "event", "ref_id": i.event_id, "note": "startgesprek"}
    ),
    ("DELETE", R + "/findings-tree/nodes/{node_id}/evidence/{evidence_id}"): Access(WRITERS, 204),
    ("PUT", R + "/findings-tree/nodes/{node_id}/themes"): Access(WRITERS, 200, lambda i: {"theme_ids": []}),
    ("GET", R + "/frameworks"): Access(MEMBERS, 200),
    ("POST", R + "/frameworks"): Access(WRITERS, 201, lambda i: {"title": "Eigen kader", "themes": ["Regie"]}),
    # Findings tree (page)
    ("GET", P + "/findings"): Access(MEMBERS, 200),
    # Report and exports (API): every file is logged as an export
    ("GET", R + "/report.pdf"): Access(MEMBERS, 200),
    ("GET", R + "/report.docx"): Access(MEMBERS, 200),
    ("GET", R + "/factors.csv"): Access(MEMBERS, 200),
    ("GET", R + "/stickers.csv"): Access(MEMBERS, 200),
    ("GET", R + "/export.json"): Access(WRITERS, 200),
    ("GET", R + "/export.qdpx"): Access(WRITERS, 200),
    ("GET", R + "/participants/{participant_id}/export.json"): Access(WRITERS, 200),
    # Share links (API and page)
    ("GET", R + "/share-links"): Access(MEMBERS, 200),
    ("POST", R + "/share-links"): Access(WRITERS, 201, lambda i: {"expires_at": NEXT_MONTH, "label": "Wijkteam"}),
    ("DELETE", R + "/share-links/{link_id}"): Access(WRITERS, 204),
    ("GET", P + "/report"): Access(MEMBERS, 200),
    ("POST", P + "/share-links"): Access(WRITERS, 200, lambda i: {"expires_at": NEXT_MONTH, "label": "School"}),
    ("POST", P + "/share-links/{link_id}/revoke"): Access(WRITERS, 303),
    # Group interview (API); 409: reached, but the service refuses (it already exists / is already open)
    ("GET", R + "/group-interview"): Access(MEMBERS, 200),
    ("POST", R + "/group-interview"): Access(WRITERS, 409),
    ("POST", R + "/group-interview/open"): Access(WRITERS, 409),
    ("POST", R + "/group-interview/close"): Access(WRITERS, 200),
    ("POST", R + "/group-interview/step"): Access(WRITERS, 200, lambda i: {"step": 2}),
    ("POST", R + "/group-interview/joining"): Access(WRITERS, 200, lambda i: {"joining_open": False}),
    ("POST", R + "/group-interview/code"): Access(WRITERS, 200),
    ("POST", R + "/group-interview/participants/{participant_id}/release"): Access(WRITERS, 204),
    ("POST", R + "/group-interview/tablet"): Access(WRITERS, 204, lambda i: {"participant_id": None}),
    ("GET", R + "/group-interview/state"): Access(MEMBERS, 200),
    ("GET", R + "/group-interview/figure"): Access(MEMBERS, 200),
    ("GET", R + "/group-interview/qr.svg"): Access(WRITERS, 200),  # it holds the join code
    ("POST", R + "/group-interview/proposals"): Access(WRITERS, 201, lambda i: {"text": "Klopt niet", "when": "2021"}),
    ("POST", R + "/group-interview/proposals/{proposal_id}/decide"): Access(WRITERS, 200, lambda i: {"accept": False}),
    ("GET", R + "/factors"): Access(MEMBERS, 200),
    ("POST", R + "/factors"): Access(WRITERS, 201, lambda i: {"kind": "hindering", "title": "Wisselende voogden"}),
    ("PATCH", R + "/factors/{factor_id}"): Access(WRITERS, 200, lambda i: {"title": "Eén casemanager met mandaat"}),
    ("DELETE", R + "/factors/{factor_id}"): Access(WRITERS, 204),
    ("POST", R + "/factors/merge"): Access(
        WRITERS, 200, lambda i: {"into_id": i.factor_id, "factor_ids": [i.other_factor_id]}
    ),
    # Sticker rounds (API)
    ("GET", R + "/rounds"): Access(MEMBERS, 200),
    ("POST", R + "/rounds"): Access(WRITERS, 201, lambda i: {"kind": "hindering"}),
    ("POST", R + "/rounds/{round_id}/open"): Access(WRITERS, 409),
    ("POST", R + "/rounds/{round_id}/close"): Access(WRITERS, 200),
    ("POST", R + "/rounds/{round_id}/reveal"): Access(WRITERS, 200),
    ("POST", R + "/rounds/{round_id}/stickers"): Access(
        WRITERS, 201, lambda i: {"factor_id": i.factor_id, "participant_id": i.participant_id}
    ),
    ("DELETE", R + "/rounds/{round_id}/stickers/{sticker_id}"): Access(WRITERS, 204),
    ("GET", R + "/rounds/{round_id}/results"): Access(MEMBERS, 200),
    ("GET", R + "/rounds/{round_id}/perspectives"): Access(MEMBERS, 200),
    # The round is anonymous: nobody, members included, may see who placed which sticker.
    ("GET", R + "/rounds/{round_id}/named-results"): Access(frozenset(), 403),
    ("GET", R + "/rounds/{round_id}/tablet"): Access(WRITERS, 200),
    ("POST", R + "/rounds/{round_id}/paper"): Access(
        WRITERS, 204, lambda i: {"counts": [{"factor_id": i.factor_id, "stickers": 1}]}
    ),
    # Share-back meeting (API); 409: reached, but the service refuses (one is open already)
    ("POST", R + "/share-back"): Access(WRITERS, 409),
    ("GET", R + "/share-back"): Access(MEMBERS, 200),
    ("POST", R + "/share-back/open"): Access(WRITERS, 409),
    ("POST", R + "/share-back/close"): Access(WRITERS, 200),
    ("POST", R + "/share-back/show"): Access(WRITERS, 200, lambda i: {"node_id": i.node_id}),
    ("POST", R + "/share-back/tablet"): Access(WRITERS, 204, lambda i: {"participant_id": None}),
    # Members react on the tablet, for whoever holds it (phones: tests/share_back/test_sb_access.py)
    ("POST", R + "/share-back/reactions"): Access(
        WRITERS, 201, lambda i: {"node_id": i.node_id, "reaction": "partly", "client_key": "matrix-tablet-1"}
    ),
    ("GET", R + "/share-back/summary"): Access(MEMBERS, 200),
    ("POST", R + "/share-back/nodes/{node_id}/decision"): Access(WRITERS, 200, lambda i: {"decision": "kept"}),
    ("POST", R + "/share-back/findings"): Access(WRITERS, 201, lambda i: {"title": "Vaste contactpersoon school"}),
    ("GET", R + "/share-back/state"): Access(MEMBERS, 200),
    ("GET", R + "/share-back/qr.svg"): Access(MEMBERS, 200),
    # Share-back meeting (pages)
    ("GET", P + "/share-back"): Access(MEMBERS, 200),
    ("POST", P + "/share-back"): Access(WRITERS, 409),
    ("GET", P + "/share-back/screen"): Access(MEMBERS, 200),
    ("GET", P + "/share-back/tablet"): Access(WRITERS, 200),
    # Group interview (pages)
    ("GET", P + "/group-interview"): Access(MEMBERS, 200),
    ("POST", P + "/group-interview"): Access(WRITERS, 409),
    ("GET", P + "/group-interview/screen"): Access(MEMBERS, 200),
    ("GET", P + "/group-interview/tablet"): Access(WRITERS, 200),
}

# Live streams never end for members: their access is checked here for outsiders and anonymous visitors
# (who are refused before anything streams); members' streams are tested against a real server in tests/live.
STREAM_ROUTES = {("GET", R + "/group-interview/stream"), ("GET", R + "/share-back/stream")}
# A phone's own routes: a participant cookie, never a login (tests/group_interview/test_gi_access.py).
PHONE_ROUTES = {
    ("GET", "/api/v1/participant/state"),
    ("GET", "/api/v1/participant/stream"),
    ("GET", "/p"),
    ("GET", "/p/share-back"),
}

# Routes for any logged-in account, outside a review: anonymous gets 401 (API) or the login page.
ACCOUNT_ROUTES = {
    ("GET", "/api/v1/reviews"),
    ("POST", "/api/v1/reviews"),
    ("GET", "/api/v1/me"),
    ("GET", "/"),
    ("GET", "/reviews/new"),
    ("POST", "/reviews/new"),
    ("POST", "/logout"),
    ("POST", "/api/v1/reviews/import"),
    ("POST", "/reviews/import"),
}
# Routes for everyone (logging in, the language switch, health, the API docs).
PUBLIC_ROUTES = {
    ("POST", "/api/v1/auth/token"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/language"),
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    # Share links: the token is the credential (tests/sharing)
    ("GET", "/s/{token}"),
    ("GET", "/s/{token}/report"),
    ("GET", "/s/{token}/report.pdf"),
    # Joining a group interview from a phone: the code is the credential (rate-limited, tests/group_interview)
    ("GET", "/j/{code}"),
    ("GET", "/join"),
    ("POST", "/join"),
    ("POST", "/api/v1/join"),
    ("POST", "/api/v1/join/check"),
    # Health and our own copy of plotly.js
    ("GET", "/api/v1/ping"),
    ("GET", "/static/vendor/plotly-{version}.min.js"),
    ("GET", "/static/vendor/plotly-{version}.css"),
}


def area_tables() -> set[tuple[str, str]]:
    """Routes whose role-by-role access table lives with their area's tests (each runs all five roles)."""
    import importlib

    listed: set[tuple[str, str]] = set()
    for module in (
        "tests.documents.test_documents_access",
        "tests.interviews.test_interviews_access",
        "tests.timeline.test_lifeline_access",
    ):
        listed |= set(importlib.import_module(module).ROUTES)
    return {(method, path.replace("{{", "{").replace("}}", "}")) for method, path in listed}


def study_tables() -> set[tuple[str, str]]:
    """Study routes: their role-by-role table lives in tests/studies/test_studies_access.py."""
    from tests.studies import test_studies_access as module

    return set(module.ROUTES) | set(module.ACCOUNT) | set(module.PAGES)


def test_every_route_is_in_the_matrix(world: World) -> None:
    routes = app_routes(world.app)
    under_review = {r for r in routes if r[1].startswith((R, P + "/")) or r[1] == P}
    covered = set(REVIEW_ROUTES) | area_tables() | STREAM_ROUTES
    assert under_review - covered == set(), "routes under a review missing from REVIEW_ROUTES"
    assert set(REVIEW_ROUTES) - under_review == set(), "REVIEW_ROUTES lists routes that do not exist"
    others = routes - under_review
    listed = ACCOUNT_ROUTES | PUBLIC_ROUTES | PHONE_ROUTES | study_tables()
    assert others - listed == set(), "routes missing from ACCOUNT_ROUTES / PUBLIC_ROUTES / PHONE_ROUTES"
    assert listed - others == set(), "listed routes that do not exist"


@pytest.mark.parametrize("role", ["outsider", "anonymous"])
def test_streams_refuse_outsiders_before_streaming(world: World, ids: Ids, role: str) -> None:
    for method, path in STREAM_ROUTES:
        response = world.api[role].request(method, ids.url(path))
        assert response.status_code == (404 if role == "outsider" else 401)


def test_phone_routes_need_a_phone(world: World) -> None:
    """A researcher's login is not a phone: the API answers 401, the phone page sends them to /join."""
    for _method, path in sorted(PHONE_ROUTES):
        if path.startswith("/api/"):
            assert world.api["owner"].get(path).status_code == 401, path
        else:
            response = world.pages["owner"].client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/join"), path


def _request(world: World, role: str, method: str, url: str, body: dict[str, object] | None):  # type: ignore[no-untyped-def]
    body = body or {}
    if url.startswith("/api/"):
        client = world.api[role]
        return client.request(method, url, json=body if method in {"POST", "PATCH", "PUT"} else None)
    browser = world.pages[role]
    if method == "GET":
        return browser.get(url)
    return browser.post(url, {key: str(value) for key, value in body.items()})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(REVIEW_ROUTES), ids=lambda v: str(v))
def test_matrix(world: World, ids: Ids, method: str, path: str, role: str) -> None:
    access = REVIEW_ROUTES[(method, path)]
    url = ids.url(path)
    api = url.startswith("/api/")
    before = snapshot(world.engine)

    response = _request(world, role, method, url, access.body(ids))

    expected = expected_status(role, allowed=access.allowed, ok=access.ok, api=api)
    assert response.status_code == expected, (role, method, url, response.text[:500])
    refused = expected in {401, 403, 404, 409} or (role == "anonymous" and not api)
    if refused or method == "GET":
        after = snapshot(world.engine)
        if method == "GET" and not refused:  # reading may log the view or the export, nothing else
            assert_only_logged(before, after, {"export", "view"})
        assert after == before, "a refused or read-only request changed stored data"
    else:
        assert snapshot(world.engine) != before, "an allowed change stored nothing"
    if role == "anonymous" and not api:
        assert response.headers["location"].startswith("/login?next=/reviews/")
    if expected in {401, 403, 404} and api:
        assert response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), sorted(REVIEW_ROUTES), ids=lambda v: str(v))
def test_non_member_cannot_tell_an_existing_review_from_a_missing_one(
    world: World, ids: Ids, method: str, path: str
) -> None:
    access = REVIEW_ROUTES[(method, path)]
    missing_ids = Ids(2**31 - 1, ids.title, ids.member_id, ids.participant_id, ids.consent_id)
    existing_url, missing_url = ids.url(path), missing_ids.url(path)
    existing = _request(world, "outsider", method, existing_url, access.body(ids))
    missing = _request(world, "outsider", method, missing_url, access.body(ids))
    assert existing.status_code == missing.status_code == 404
    # Pages repeat their own path (the language switch returns there); apart from that, the answers are equal.
    assert existing.text.replace(existing_url, "URL") == missing.text.replace(missing_url, "URL")


@pytest.mark.parametrize(("method", "path"), sorted(ACCOUNT_ROUTES))
def test_account_routes_need_a_login(world: World, method: str, path: str) -> None:
    response = _request(world, "anonymous", method, path, {"title": "x"})
    if path.startswith("/api/"):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_every_get_route_is_free_of_side_effects(world: World, ids: Ids) -> None:
    """GETting every page and API answer (as the owner, who sees most) changes nothing; the audit log only
    gains the entries that record views and exports."""
    endless = {path for _method, path in STREAM_ROUTES | PHONE_ROUTES}
    gets = sorted(path for method, path in app_routes(world.app) if method == "GET" and path not in endless)
    before = snapshot(world.engine)
    for path in gets:
        url = ids.url(path)
        response = (world.api if url.startswith("/api/") else world.pages)["owner"].get(url)
        unknown = set(re.findall(r"{(\w+)", path)) - set(ids.params)  # other areas' ids, filled with 1
        allowed = REVIEW_ROUTES.get(("GET", path))
        expected = {200, 303} if allowed is None or "owner" in allowed.allowed else {allowed.ok}
        assert response.status_code in (expected | {404} if unknown else expected), (url, response.status_code)
    after = snapshot(world.engine)
    assert_only_logged(before, after, {"export", "view"})
    assert after == before


def test_bearer_token_is_accepted_by_every_api_route(world: World) -> None:
    """A token works on every /api/v1 route: none answers 401 to the owner's token."""
    for method, path in sorted(REVIEW_ROUTES):
        if not path.startswith("/api/"):
            continue
        ids = world.new_review(group_interview=True)
        access = REVIEW_ROUTES[(method, path)]
        response = _request(world, "owner", method, ids.url(path), access.body(ids))
        assert response.status_code == access.ok, (method, path, response.text)
    for method, path in sorted(ACCOUNT_ROUTES):
        if path.startswith("/api/"):
            body = IMPORT_BODY if path.endswith("/import") else {"title": "Via token"}
            response = world.api["owner"].request(method, path, json=body if method == "POST" else None)
            assert response.status_code in {200, 201}, (method, path, response.text)
