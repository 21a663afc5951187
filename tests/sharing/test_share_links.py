"""Share links: a random token of which only the hash is stored; the read-only view shows the tree, the report
and the life-line of one review; expired and revoked links fail; a share token opens nothing else; every view
is counted and logged."""

import datetime as dt
import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.db.base import utcnow
from app.sharing.models import ShareLink
from tests.reports.demo_case import WITHDRAWN_QUOTE, Demo, share_token_in_db
from tests.world import form_client

NEXT_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def new_link(demo: Demo, **body: object) -> tuple[int, str]:
    response = demo.api.post(f"/api/v1/reviews/{demo.review_id}/share-links", json={"expires_at": NEXT_MONTH, **body})
    assert response.status_code == 201, response.text
    data = response.json()
    assert set(data) >= {"id", "url"}
    path = data["url"].removeprefix("http://testserver")
    return data["id"], path


def anonymous(demo: Demo) -> TestClient:
    return TestClient(demo.app, base_url="http://testserver", headers={"accept-language": "en"})


def test_the_url_holds_a_random_token_and_only_its_hash_is_stored(demo: Demo) -> None:
    _id, path = new_link(demo, label="Wijkteam")
    token = path.removeprefix("/s/")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 256 random bits, URL-safe
    assert not share_token_in_db(demo, token)
    _other, other_path = new_link(demo)
    assert other_path != path


def test_the_shared_view_shows_tree_lifeline_and_report_and_is_logged(demo: Demo) -> None:
    link_id, path = new_link(demo, label="School")
    client = anonymous(demo)

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "Casusonderzoek gezin Bakker" in page.text
    assert "Noor woont sinds 2023" in page.text  # the success at the root of the tree
    assert "Eén casemanager met mandaat" in page.text
    assert "<svg" in page.text  # the tree and the life-line as pictures
    assert "csrf" not in page.text.split("<main", 1)[1]  # nothing to change on the shared page

    report = client.get(path + "/report")
    assert report.status_code == 200
    assert "The case in brief" in report.text
    assert WITHDRAWN_QUOTE not in report.text
    pdf = client.get(path + "/report.pdf", params={"lang": "nl"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "De casus in het kort" in text and "XQZ-ingetrokken" not in text
    assert pdf.headers["x-robots-tag"] == "noindex, nofollow"

    with Session(demo.engine) as session:
        link = session.get(ShareLink, link_id)
        assert link is not None and link.views == 3 and link.last_viewed_at is not None
        views = session.exec(
            select(AuditEntry).where(AuditEntry.action == "share.view", AuditEntry.target == f"share:{link_id}")
        ).all()
    assert [v.detail for v in views] == ["tree", "report", "report.pdf"]
    assert all(v.actor == f"share:{link_id}" and v.review_id == demo.review_id for v in views)
    listed = demo.api.get(f"/api/v1/reviews/{demo.review_id}/share-links").json()
    assert next(li for li in listed if li["id"] == link_id)["views"] == 3
    assert all("url" not in li for li in listed)


def test_revoked_and_expired_links_fail(demo: Demo) -> None:
    revoked_id, revoked = new_link(demo)
    expired_id, expired = new_link(demo)
    client = anonymous(demo)
    assert client.get(revoked).status_code == 200

    assert demo.api.delete(f"/api/v1/reviews/{demo.review_id}/share-links/{revoked_id}").status_code == 204
    with Session(demo.engine) as session:
        link = session.get(ShareLink, expired_id)
        assert link is not None
        link.expires_at = utcnow() - dt.timedelta(minutes=1)
        session.add(link)
        session.commit()

    for path in (revoked, expired):
        for suffix in ("", "/report", "/report.pdf"):
            response = client.get(path + suffix)
            assert response.status_code == 404, (path, suffix)
            assert "no longer valid" in response.text
            assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert client.get("/s/" + "A" * 43).status_code == 404
    assert client.get("/s/short").status_code == 404
    listed = {li["id"]: li for li in demo.api.get(f"/api/v1/reviews/{demo.review_id}/share-links").json()}
    assert not listed[revoked_id]["active"] and listed[revoked_id]["revoked_at"]
    assert not listed[expired_id]["active"]


WRITE_ROUTES = [
    ("PATCH", "/api/v1/reviews/{rid}", {"title": "Gekaapt"}),
    ("POST", "/api/v1/reviews/{rid}/findings-tree/nodes", {"title": "Via de deellink"}),
    ("POST", "/api/v1/reviews/{rid}/share-links", {"expires_at": NEXT_MONTH}),
    ("DELETE", "/api/v1/reviews/{rid}/share-links/1", None),
    ("POST", "/api/v1/reviews/import", {"format": "leerreview.review"}),
]
READ_ROUTES = ["/api/v1/reviews/{rid}", "/api/v1/reviews/{rid}/export.json", "/api/v1/reviews/{rid}/findings-tree"]


@pytest.mark.parametrize("how", ["bearer", "cookie"])
def test_a_share_token_is_not_a_session(demo: Demo, how: str) -> None:
    _id, path = new_link(demo)
    token = path.removeprefix("/s/")
    client = anonymous(demo)
    if how == "bearer":
        client.headers["authorization"] = f"Bearer {token}"
    else:
        client.cookies.set("leerreview", token)
    rid = demo.review_id

    for method, url, body in WRITE_ROUTES:
        response = client.request(method, url.format(rid=rid), json=body)
        assert response.status_code in {401, 403}, (method, url, response.status_code)
    for url in READ_ROUTES:
        assert client.get(url.format(rid=rid)).status_code == 401
    page = client.get(f"/reviews/{rid}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    # the shared pages take no writes at all
    assert client.post(path, data={"title": "x"}).status_code in {403, 405}
    assert client.post(path + "/report").status_code in {403, 405}


def test_a_link_shows_only_its_own_review(demo: Demo) -> None:
    other = demo.api.post("/api/v1/reviews", json={"title": "Andere casus XYZ-geheim"})
    assert other.status_code == 201
    _id, path = new_link(demo)
    client = anonymous(demo)

    page = client.get(path)
    assert "XYZ-geheim" not in page.text
    assert client.get(f"{path}/../../reviews/{other.json()['id']}", follow_redirects=False).status_code in {
        303,
        404,
    }
    assert client.get(f"/api/v1/reviews/{other.json()['id']}").status_code == 401


def test_bad_expiry_is_refused(demo: Demo) -> None:
    url = f"/api/v1/reviews/{demo.review_id}/share-links"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    for body in ({"expires_at": yesterday}, {"expires_at": "2999-01-01"}, {"expires_at": "soon"}, {}):
        response = demo.api.post(url, json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    assert demo.api.delete(f"/api/v1/reviews/{demo.review_id}/share-links/999999").status_code == 404


def test_the_page_creates_shows_once_and_revokes(demo: Demo) -> None:
    browser = form_client(demo.app, "onderzoeker.a@example.org", "demo-leerreview")
    created = browser.post(f"/reviews/{demo.review_id}/share-links", {"expires_at": NEXT_MONTH, "label": "GGZ"})

    assert created.status_code == 200
    found = re.search(r'value="(http://testserver/s/[A-Za-z0-9_-]+)"', created.text)
    assert found
    link_id = max(li["id"] for li in demo.api.get(f"/api/v1/reviews/{demo.review_id}/share-links").json())
    again = browser.get(f"/reviews/{demo.review_id}/report")
    assert found.group(1) not in again.text  # shown once: only the hash is kept
    assert "GGZ" in again.text

    bad = browser.post(f"/reviews/{demo.review_id}/share-links", {"expires_at": "2000-01-01"})
    assert bad.status_code == 422

    revoked = browser.post(f"/reviews/{demo.review_id}/share-links/{link_id}/revoke")
    assert revoked.status_code == 303
    assert anonymous(demo).get(found.group(1).removeprefix("http://testserver")).status_code == 404
    with Session(demo.engine) as session:
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.target == f"share:{link_id}").order_by(col(AuditEntry.id))
        ).all()
    assert list(actions) == ["share.create", "share.revoke"]
    browser.client.close()
