"""Who may use each study route: the study's owner, researcher and reader, an outsider (no member of the study)
and an anonymous visitor. Non-members get 404 (existence stays hidden), readers 403 on writes; a refused
request changes nothing. ``ROUTES`` is also read by tests/test_access_matrix.py (every route has a row)."""

import pytest

from tests.access import MEMBERS, OWNERS, REFUSALS, WRITERS, assert_only_logged, expected_status
from tests.access import Access as AccessOf
from tests.studies.cases import FRAMEWORK, StudyIds, new_study
from tests.world import ROLES, World, snapshot

Access = AccessOf[StudyIds]

S = "/api/v1/studies/{study_id}"
F = f"?framework={FRAMEWORK}"
ROUTES: dict[tuple[str, str], Access] = {
    ("GET", S): Access(MEMBERS, 200),
    ("PATCH", S): Access(WRITERS, 200, lambda i: {"research_question": "Wat werkt?"}),
    ("GET", S + "/members"): Access(MEMBERS, 200),
    ("POST", S + "/members"): Access(OWNERS, 201, lambda i: {"email": "outsider@example.org", "role": "reader"}),
    # The world's researcher and reader are members of the review but not its owner: 403 from the service.
    ("POST", S + "/cases"): Access(OWNERS, 201, lambda i: {"review_id": i.free_review_id}),
    ("PATCH", S + "/cases/{review_id}"): Access(WRITERS, 200, lambda i: {"attributes": {"gemeente": "Utrecht"}}),
    ("DELETE", S + "/cases/{review_id}"): Access(WRITERS, 204),
    ("GET", S + "/frameworks"): Access(MEMBERS, 200),
    ("POST", S + "/frameworks"): Access(
        WRITERS, 201, lambda i: {"title": "Eigen codeboek", "format": "csv", "content": "name\nRegie bij ouders\n"}
    ),
    ("GET", S + "/frameworks/{key}/codebook.qdc"): Access(MEMBERS, 200),
    ("GET", S + "/frameworks/{key}/codebook.csv"): Access(MEMBERS, 200),
    ("GET", S + "/matrix"): Access(MEMBERS, 200),
    ("GET", S + "/matrix/{review_id}/{theme}"): Access(MEMBERS, 200),
    ("GET", S + "/matrix.csv"): Access(MEMBERS, 200),
    ("GET", S + "/matrix.xlsx"): Access(MEMBERS, 200),
    ("PUT", S + "/codings/{review_id}/{node_id}"): Access(
        WRITERS, 200, lambda i: {"framework": FRAMEWORK, "theme_keys": ["one-face"]}
    ),
    ("PUT", S + "/resolved/{review_id}/{node_id}"): Access(
        WRITERS, 200, lambda i: {"framework": FRAMEWORK, "theme_keys": ["one-face"], "rationale": "Besproken"}
    ),
    ("GET", S + "/codings"): Access(MEMBERS, 200),
    ("POST", S + "/codings/reveal"): Access(OWNERS, 204),
    ("GET", S + "/agreement"): Access(MEMBERS, 200),
    ("GET", S + "/literature"): Access(MEMBERS, 200),
    ("PUT", S + "/literature/{review_id}/{theme}"): Access(
        WRITERS, 204, lambda i: {"framework": FRAMEWORK, "verdict": "partly", "note": "Alleen aan het begin"}
    ),
    ("GET", S + "/report.pdf"): Access(MEMBERS, 200),
    ("GET", S + "/report.docx"): Access(MEMBERS, 200),
    ("GET", S + "/export.qdpx"): Access(OWNERS, 200),
    ("GET", S + "/elements"): Access(MEMBERS, 200),
    ("POST", S + "/elements"): Access(WRITERS, 201, lambda i: {"title": "Mandaat", "theme_keys": ["firm-mandate"]}),
    ("PATCH", S + "/elements/{element_id}"): Access(WRITERS, 200, lambda i: {"version": 1, "title": "Regie"}),
    ("DELETE", S + "/elements/{element_id}"): Access(WRITERS, 204),  # ?version=1 (QUERY)
    ("POST", S + "/elements/{element_id}/restore"): Access(WRITERS, 200, lambda i: {"version": 2}),  # REMOVED
    ("GET", S + "/elements/{element_id}/versions"): Access(MEMBERS, 200),
    ("GET", S + "/perspectives"): Access(MEMBERS, 200),
}
QUERY = {
    S + "/elements/{element_id}": "?version=1",
    S + "/matrix": F,
    S + "/matrix.csv": F,
    S + "/matrix.xlsx": F,
    S + "/codings": F,
    S + "/codings/reveal": F,
    S + "/agreement": F,
    S + "/literature": F,
    S + "/perspectives": F,
}
ACCOUNT = {("GET", "/api/v1/studies"), ("POST", "/api/v1/studies")}
"""Routes for any logged-in account (anonymous: 401)."""
PAGES: dict[tuple[str, str], Access] = {
    ("GET", "/studies"): Access(MEMBERS | {"outsider"}, 200),
    ("POST", "/studies/new"): Access(MEMBERS | {"outsider"}, 303, lambda i: {"title": "Nog een studie"}),
    ("GET", "/studies/{study_id}"): Access(MEMBERS, 200),
    ("GET", "/studies/{study_id}/report"): Access(MEMBERS, 200),
    ("POST", "/studies/{study_id}/cases"): Access(OWNERS, 303, lambda i: {"review_id": i.free_review_id}),
    ("POST", "/studies/{study_id}/elements"): Access(
        WRITERS, 303, lambda i: {"element_title": "Vaste gezichten", "support": f"{i.review_id}:{i.node_id}"}
    ),
    ("POST", "/studies/{study_id}/resolved/{review_id}/{node_id}"): Access(
        WRITERS, 303, lambda i: {"framework": FRAMEWORK, "theme": "one-face", "rationale": "Samen besproken"}
    ),
    ("POST", "/studies/{study_id}/members"): Access(
        OWNERS, 303, lambda i: {"email": "outsider@example.org", "role": "reader"}
    ),
    ("POST", "/studies/{study_id}/elements/{element_id}"): Access(
        WRITERS, 303, lambda i: {"version": "1", "element_title": "Regie bij ouders"}
    ),
    ("POST", "/studies/{study_id}/elements/{element_id}/move"): Access(
        WRITERS, 303, lambda i: {"version": "1", "position": "0"}
    ),
    ("POST", "/studies/{study_id}/elements/{element_id}/delete"): Access(WRITERS, 303, lambda i: {"version": "1"}),
    ("POST", "/studies/{study_id}/elements/{element_id}/restore"): Access(WRITERS, 303, lambda i: {"version": "2"}),
    ("POST", "/studies/{study_id}/literature/{review_id}/{theme}"): Access(
        WRITERS, 303, lambda i: {"framework": FRAMEWORK, "verdict": "partly", "note": "Alleen aan het begin"}
    ),
    ("POST", "/studies/{study_id}/cases/{review_id}"): Access(
        WRITERS, 303, lambda i: {"attributes": "gemeente: Utrecht"}
    ),
}
"""The study pages (a logged-in browser; anonymous visitors are sent to the log-in page)."""


REMOVED: dict[int, int] = {}  # per study: an element removed from its list (restore routes act on it)


def _url(ids: StudyIds, path: str) -> str:
    url = ids.url(path) + QUERY.get(path, "")
    if path.endswith("/restore"):
        url = url.replace(f"/elements/{ids.element_id}/", f"/elements/{REMOVED.get(ids.study_id, ids.element_id)}/")
    return url


@pytest.fixture
def study(world: World) -> StudyIds:
    """A fresh study (the owner also owns a review that is no case yet), with a removed second element."""
    ids = new_study(world)
    elements = f"/api/v1/studies/{ids.study_id}/elements"
    made = world.api["owner"].post(elements, json={"title": "Verwijderd element"})
    assert made.status_code == 201, made.text
    removed = made.json()["id"]
    assert world.api["owner"].delete(f"{elements}/{removed}?version=1").status_code == 204
    REMOVED[ids.study_id] = removed
    return ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(ROUTES), ids=str)
def test_study_matrix(world: World, study: StudyIds, method: str, path: str, role: str) -> None:
    access = ROUTES[(method, path)]
    before = snapshot(world.engine)
    response = world.api[role].request(method, _url(study, path), json=access.body(study))
    expected = expected_status(role, allowed=access.allowed, ok=access.ok, api=True)
    assert response.status_code == expected, (role, method, path, response.text[:300])
    after = snapshot(world.engine)
    if expected in REFUSALS or method == "GET":
        assert_only_logged(before, after, {"export"} if expected == 200 else set())
        assert after == before, "a refused or read-only request changed stored data"
        if expected != 200:
            assert response.json()["detail"]
    else:
        assert after != before, "an allowed change stored nothing"


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES), ids=str)
def test_outsider_cannot_tell_an_existing_study_from_a_missing_one(
    world: World, study: StudyIds, method: str, path: str
) -> None:
    body = ROUTES[(method, path)].body(study)
    existing = world.api["outsider"].request(method, _url(study, path), json=body)
    missing_ids = StudyIds(2**31 - 1, study.review_id, study.node_id, study.other_node_id, study.element_id, study.case)
    missing = world.api["outsider"].request(method, _url(missing_ids, path), json=body)
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(PAGES), ids=str)
def test_study_pages(world: World, study: StudyIds, method: str, path: str, role: str) -> None:
    access = PAGES[(method, path)]
    browser = world.pages[role]
    url = _url(study, path).split("?")[0]
    before = snapshot(world.engine)
    if method == "GET":
        response = browser.get(url)
    else:
        response = browser.post(url, {k: str(v) for k, v in (access.body(study) or {}).items()})
    if role == "anonymous":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    elif role in access.allowed:
        assert response.status_code == access.ok, response.text[:300]
    elif role == "outsider":
        assert response.status_code == 404
    elif role == "researcher" and path.endswith("/cases"):
        assert response.status_code == 422  # a writer of the study, but no owner of that review: said on the form
        assert "Only an owner of a review" in response.text
    else:
        assert response.status_code == 403
    changed = snapshot(world.engine) != before
    assert changed == (method == "POST" and role in access.allowed)


def test_account_routes_need_a_login(world: World) -> None:
    for method, path in ACCOUNT:
        response = world.api["anonymous"].request(method, path, json={"title": "x"} if method == "POST" else None)
        assert response.status_code == 401


def test_a_review_member_who_is_no_study_member_sees_no_study(world: World, study: StudyIds) -> None:
    """The outsider becomes a member of the case's review: the study stays hidden from them."""
    from app.reviews.models import Role
    from tests.studies.cases import add_member

    add_member(world, study.review_id, "outsider", Role.researcher)
    assert world.api["outsider"].get(f"/api/v1/studies/{study.study_id}").status_code == 404
    assert study.study_id not in {s["id"] for s in world.api["outsider"].get("/api/v1/studies").json()}
