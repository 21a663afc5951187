"""Consent: history kept (never overwritten), withdrawal, children under 16, no future dates."""

import datetime as dt

from tests.world import Ids, World

TODAY = dt.date.today()


def test_giving_withdrawing_and_giving_again_keeps_three_states(world: World, ids: Ids) -> None:
    api = world.api["researcher"]
    base = f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}/consents"
    first = api.post(
        base, json={"scope": "quotes", "given_on": "2024-02-01", "method": "written", "information_version": "v1"}
    )
    assert first.status_code == 201 and first.json()["active"] is True
    assert first.json()["recorded_by"] == world.users["researcher"].id

    withdrawn = api.post(
        f"{base}/{first.json()['id']}/withdraw",
        json={"withdrawn_on": "2024-03-01", "effect": "remove", "note": "telefonisch"},
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["active"] is False and withdrawn.json()["withdrawal_effect"] == "remove"

    again = api.post(
        base, json={"scope": "quotes", "given_on": "2024-04-01", "method": "verbal", "information_version": "v2"}
    )
    assert again.status_code == 201

    quotes = [c for c in api.get(base).json() if c["scope"] == "quotes"]
    assert [(c["given_on"], c["withdrawn_on"], c["active"], c["information_version"]) for c in quotes] == [
        ("2024-02-01", "2024-03-01", False, "v1"),
        ("2024-04-01", None, True, "v2"),
    ]
    assert quotes[0]["withdrawal_note"] == "telefonisch" and quotes[0]["method"] == "written"
    participant = api.get(f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}").json()
    assert participant["consented_scopes"] == ["group_interview", "quotes"]


def test_an_active_consent_is_not_given_twice(world: World, ids: Ids) -> None:
    base = f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}/consents"
    again = world.api["owner"].post(
        base, json={"scope": "group_interview", "given_on": "2024-02-01", "method": "written"}
    )
    assert again.status_code == 409
    assert len(world.api["owner"].get(base).json()) == 1


def test_withdrawing_twice_is_a_conflict(world: World, ids: Ids) -> None:
    url = f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}/consents/{ids.consent_id}/withdraw"
    assert world.api["owner"].post(url, json={"withdrawn_on": "2024-05-01"}).status_code == 200
    twice = world.api["owner"].post(url, json={"withdrawn_on": "2024-06-01"})
    assert twice.status_code == 409 and twice.json()["detail"] == "This consent was already withdrawn."
    history = world.api["owner"].get(url.rsplit("/", 2)[0]).json()
    assert history[0]["withdrawn_on"] == "2024-05-01"  # the first withdrawal stands


def test_a_child_under_16_needs_who_gave_consent(world: World, ids: Ids) -> None:
    api = world.api["owner"]
    child = api.post(
        f"/api/v1/reviews/{ids.review_id}/participants",
        json={"pseudonym": "Eline", "role_category": "child", "under_16": True},
    ).json()
    base = f"/api/v1/reviews/{ids.review_id}/participants/{child['id']}/consents"
    refused = api.post(base, json={"scope": "interview", "given_on": "2024-02-01", "method": "written"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "For a child under 16, say which parent or guardian gave consent."
    assert api.get(base).json() == []
    given = api.post(
        base, json={"scope": "interview", "given_on": "2024-02-01", "method": "written", "given_by": "Moeder"}
    )
    assert given.status_code == 201 and given.json()["given_by"] == "Moeder"


def test_future_dates_are_refused(world: World, ids: Ids) -> None:
    api = world.api["owner"]
    base = f"/api/v1/reviews/{ids.review_id}/participants/{ids.participant_id}/consents"
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    future = api.post(base, json={"scope": "interview", "given_on": tomorrow, "method": "written"})
    assert future.status_code == 422 and future.json()["detail"] == "Consent cannot be dated in the future."
    withdraw = api.post(f"{base}/{ids.consent_id}/withdraw", json={"withdrawn_on": tomorrow})
    assert withdraw.status_code == 422 and withdraw.json()["detail"] == "A withdrawal cannot be dated in the future."
    early = api.post(f"{base}/{ids.consent_id}/withdraw", json={"withdrawn_on": "2020-01-01"})
    assert (
        early.status_code == 422 and early.json()["detail"] == "A withdrawal cannot lie before the consent was given."
    )
    assert [c["active"] for c in api.get(base).json()] == [True]


def test_consent_pages_record_and_withdraw(world: World, ids: Ids) -> None:
    browser = world.pages["researcher"]
    base = f"/reviews/{ids.review_id}/participants/{ids.participant_id}"
    response = browser.post(f"{base}/consents", {"scope": "file_study", "given_on": "2024-02-02", "method": "digital"})
    assert response.status_code == 303
    page = browser.get(base)
    assert "Use of the case file" in page.text and "02-02-2024" in page.text
    future = browser.post(f"{base}/consents", {"scope": "quotes", "given_on": "2999-01-01", "method": "digital"})
    assert future.status_code == 422 and "Consent cannot be dated in the future." in future.text
