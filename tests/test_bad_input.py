"""Bad input, over the JSON API and the forms: 422 (or 404 for absurd ids) with a clear message, nothing stored."""

import pytest

from tests.world import Ids, World, row_counts

LONG = "x" * 10_001
BAD_JSON = [
    ("POST", "/api/v1/reviews", {}, "title", "This field is required."),
    ("POST", "/api/v1/reviews", {"title": 5}, "title", "This must be text."),
    ("POST", "/api/v1/reviews", {"title": "x" * 201}, "title", "This text is too long (at most 200 characters)."),
    (
        "POST",
        "/api/v1/reviews",
        {"title": "t", "success_statement": LONG},
        "success_statement",
        "This text is too long",
    ),
    ("POST", "/api/v1/reviews", {"title": "t", "owner_id": 1}, "owner_id", "This field is not known."),
    (
        "POST",
        "/api/v1/reviews",
        {"title": "t", "started_on": "gisteren"},
        "started_on",
        "This must be a date (YYYY-MM-DD).",
    ),
    ("POST", "{review}/members", {"email": "reader@example.org", "role": "admin"}, "role", "Choose one of:"),
    (
        "POST",
        "{review}/participants",
        {"pseudonym": "P", "role_category": "neighbour"},
        "role_category",
        "Choose one of:",
    ),
    (
        "POST",
        "{review}/participants",
        {"pseudonym": "", "role_category": "parent"},
        "pseudonym",
        "This field cannot be empty.",
    ),
    (
        "POST",
        "{review}/participants",
        {"pseudonym": "P", "role_category": "parent", "selected": "misschien"},
        "selected",
        "This must be yes or no.",
    ),
    (
        "POST",
        "{participant}/consents",
        {"scope": "everything", "given_on": "2024-01-01", "method": "written"},
        "scope",
        "Choose one of:",
    ),
    (
        "POST",
        "{participant}/consents",
        {"scope": "interview", "method": "written"},
        "given_on",
        "This field is required.",
    ),
    ("PATCH", "{review}/steps/case_selected", {"status": "finished"}, "status", "Choose one of:"),
    ("PATCH", "{review}", {"title": None}, "", "A review needs a title."),
]


def _url(template: str, ids: Ids) -> str:
    review = f"/api/v1/reviews/{ids.review_id}"
    return template.format(review=review, participant=f"{review}/participants/{ids.participant_id}")


@pytest.mark.parametrize(("method", "template", "body", "field", "message"), BAD_JSON, ids=lambda v: str(v)[:40])
def test_bad_json_gives_422_with_field_and_message(
    world: World, ids: Ids, method: str, template: str, body: dict[str, object], field: str, message: str
) -> None:
    before = row_counts(world.engine)
    response = world.api["owner"].request(method, _url(template, ids), json=body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert message in answer["detail"]
    if field:
        assert any(e["field"] == field and message in e["message"] for e in answer["errors"]), answer
    assert "Traceback" not in response.text and "pydantic" not in response.text
    assert row_counts(world.engine) == before


def test_malformed_json_gives_a_clear_422(world: World) -> None:
    before = row_counts(world.engine)
    response = world.api["owner"].post(
        "/api/v1/reviews", content=b'{"title": "t",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "The request body is not valid JSON." in response.json()["detail"]
    assert row_counts(world.engine) == before


@pytest.mark.parametrize("review_id", ["0", "-1", "abc", str(2**31), "9" * 40])
def test_absurd_path_ids_give_404(world: World, review_id: str) -> None:
    response = world.api["owner"].get(f"/api/v1/reviews/{review_id}")
    assert response.status_code == 404 and response.json()["detail"] == "Not found."
    page = world.pages["owner"].get(f"/reviews/{review_id}/participants")
    assert page.status_code == 404 and "<html" in page.text


def test_messages_follow_the_language(world: World) -> None:
    en = world.api["owner"].post("/api/v1/reviews", json={}, headers={"accept-language": "en"})
    nl = world.api["owner"].post("/api/v1/reviews", json={}, headers={"accept-language": "nl"})
    assert en.headers["content-language"] == "en" and nl.headers["content-language"] == "nl"
    assert en.json()["errors"] == [{"field": "title", "message": "This field is required."}]
    assert nl.json()["errors"][0]["field"] == "title"
    empty = world.api["owner"].post("/api/v1/reviews", json={"title": " "}, headers={"accept-language": "nl"})
    assert empty.json()["errors"] == [{"field": "title", "message": "Dit veld mag niet leeg zijn."}]


def test_bad_forms_show_the_message_and_store_nothing(world: World, ids: Ids) -> None:
    browser = world.pages["owner"]
    before = row_counts(world.engine)
    cases = [
        ("/reviews/new", {"title": ""}, "This field cannot be empty."),
        ("/reviews/new", {"title": "x" * 201}, "This text is too long (at most 200 characters)."),
        ("/reviews/new", {"title": "t", "started_on": "31-02-2024"}, "This must be a date (YYYY-MM-DD)."),
        (f"/reviews/{ids.review_id}/participants", {"pseudonym": "P", "role_category": "buurman"}, "Choose one of:"),
        (f"/reviews/{ids.review_id}/members", {"email": "reader@example.org", "role": "god"}, "Choose one of:"),
        (
            f"/reviews/{ids.review_id}/participants/{ids.participant_id}/consents",
            {"scope": "interview", "given_on": "", "method": "written"},
            "This must be a date",
        ),
    ]
    for url, data, message in cases:
        response = browser.post(url, data)
        assert response.status_code == 422, (url, response.status_code)
        assert message in response.text, url
    assert row_counts(world.engine) == before
