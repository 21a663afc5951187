"""Hostile text in every free-text field of a whole review is shown as text on every page, never run.

The demo case is loaded, then every free-text column of every table is overwritten with markup and a
template expression; every page of the review (and the share link's view) must show them escaped.
"""

import re

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import inspect, text
from sqlmodel import Session

from app.demo import load_demo
from app.security import token_hash
from tests.fixtures import Browser

HOSTILE = "<script>alert(1)</script>{{7*7}}"
FREE_TEXT = {
    "title", "description", "explanation", "text", "notes", "pseudonym", "role_label", "organisation", "function",
    "collaboration", "case_pseudonym", "selection_criteria", "selection_reasons", "success_statement", "passage",
    "speaker", "label", "moment_text", "author_organisation", "reason", "note", "given_by", "skip_reason",
    "withdrawal_note", "information_version", "contact", "name",
}  # fmt: skip
UNIQUE_TEXT = {"lifeline_people": {"name"}}
IDS = {
    "event_id": "lifeline_events",
    "participant_id": "participants",
    "interview_id": "interviews",
    "document_id": "documents",
    "member_id": "memberships",
    "consent_id": "consents",
    "node_id": "finding_nodes",
}


def _poison(app: FastAPI) -> None:
    engine = app.state.engine
    with engine.begin() as connection:
        for table in inspect(connection).get_table_names():
            columns = {c["name"] for c in inspect(connection).get_columns(table)}
            hit = sorted(columns & FREE_TEXT)
            if hit and ("review_id" in columns or table == "users"):
                unique = UNIQUE_TEXT.get(table, set())  # a text unique per review gets the row's id after it
                assignments = ", ".join(
                    f"{column} = :hostile || id" if column in unique else f"{column} = :hostile" for column in hit
                )
                connection.execute(text(f"UPDATE {table} SET {assignments}"), {"hostile": HOSTILE})


def test_hostile_text_is_escaped_on_every_page(app: FastAPI, db: Session, make_user, browser_as) -> None:  # type: ignore[no-untyped-def]
    review = load_demo(session=db)
    db.commit()
    owner = make_user()
    from app.db.base import utcnow
    from app.reviews.models import Membership, Role
    from app.sharing.models import ShareLink

    db.add(Membership(review_id=review.id or 0, user_id=owner.id or 0, role=Role.owner))
    import datetime as dt

    db.add(
        ShareLink(
            review_id=review.id or 0,
            token_hash=token_hash("hostile-share-link-for-the-escaping-test"),
            expires_at=utcnow() + dt.timedelta(days=1),
        )
    )
    db.commit()
    _poison(app)
    browser: Browser = browser_as(owner)
    with app.state.engine.connect() as connection:
        ids = {
            name: connection.execute(
                text(f"SELECT min(id) FROM {table} WHERE review_id = :r"), {"r": review.id}
            ).scalar()
            for name, table in IDS.items()
        }
    ids["review_id"] = review.id
    ids["key"] = "case_selected"
    pages = sorted(
        {
            route.path
            for route in iter_route_contexts(app.routes)
            if "GET" in (route.methods or set()) and (route.path or "").startswith("/reviews/{review_id}")
        }
    )
    checked = 0
    for path in [
        *pages,
        "/",
        "/s/hostile-share-link-for-the-escaping-test",
        "/s/hostile-share-link-for-the-escaping-test/report",
    ]:
        names = set(re.findall(r"{(\w+)}", path))
        if names - ids.keys() or any(ids[n] is None for n in names):
            continue
        url = path.format(**{n: ids[n] for n in names})
        response = browser.client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        body = response.text
        assert "<script>alert(1)" not in body, url
        assert "alert(1)</script>" not in body.replace("\\u003c/script", ""), url
        checked += 1
        if path in (
            "/reviews/{review_id}",
            "/reviews/{review_id}/participants",
            "/s/hostile-share-link-for-the-escaping-test",
        ):
            assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in body, url
    assert checked >= 15
