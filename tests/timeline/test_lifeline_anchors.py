"""Undated and open-ended events, phrases read against the interview date, and anchors: correcting a birth date
or an anchor event moves its dependents as new versions; cycles are refused; deleting an anchor asks."""

from fastapi.testclient import TestClient

from tests.timeline.events import add_event, events_url, lifeline_url

EN = {"accept-language": "en"}


def _people(review_id: int, *rest: object) -> str:
    return f"/api/v1/reviews/{review_id}/lifeline/people" + "".join(f"/{p}" for p in rest)


def test_an_undated_event_waits_until_someone_dates_it(team, owner_api: TestClient) -> None:
    event = add_event(owner_api, team.review_id, title="Eerste melding", when="weet ik niet meer")
    assert (event["earliest"], event["latest"], event["undated"], event["edtf"]) == (None, None, True, "")
    figure = owner_api.get(lifeline_url(team.review_id, "figure")).json()
    assert "Eerste melding" not in str(figure)
    dated = owner_api.patch(events_url(team.review_id, event["id"]), json={"when": "Q2 2016", "version": 1})
    assert dated.status_code == 200, dated.text
    assert (dated.json()["earliest"], dated.json()["latest"], dated.json()["undated"]) == (
        "2016-04-01",
        "2016-06-30",
        False,
    )
    assert "Eerste melding" in str(owner_api.get(lifeline_url(team.review_id, "figure")).json())


def test_open_ended_events_have_a_null_side(team, owner_api: TestClient) -> None:
    before = add_event(owner_api, team.review_id, title="Bij oma gewoond", when="voor 2010")
    assert (before["earliest"], before["latest"], before["edtf"]) == (None, "2009-12-31", "../2009")
    since = add_event(owner_api, team.review_id, title="Pleeggezin", when="since the summer of 2016")
    assert (since["earliest"], since["latest"], since["edtf"]) == ("2016-06-21", None, "2016-22/..")


def test_relative_phrases_use_the_reference_date(team, owner_api: TestClient) -> None:
    body = {"title": "Op vakantie", "when": "vorige zomer", "reference_date": "2020-03-10"}
    event = owner_api.post(events_url(team.review_id), json=body).json()
    assert (event["earliest"], event["latest"], event["reference_date"]) == ("2019-06-21", "2019-09-22", "2020-03-10")
    refused = owner_api.post(events_url(team.review_id), json={"title": "Ooit", "when": "drie jaar geleden"})
    assert refused.status_code == 422
    assert [e["title"] for e in owner_api.get(events_url(team.review_id)).json()] == ["Op vakantie"]


def test_a_corrected_birth_date_moves_its_dependents_with_history(team, owner_api: TestClient) -> None:
    sem = owner_api.post(_people(team.review_id), json={"name": "Sem", "born": "2010"}).json()
    event = add_event(owner_api, team.review_id, title="Nieuwe juf", when="in groep 5", people=["Sem"], lane="school")
    assert event["anchor"] == {"kind": "person", "id": sem["id"], "name": "Sem"}
    assert event["earliest"] == "2018-08-01"
    assert owner_api.patch(_people(team.review_id, sem["id"]), json={"born": "2011"}, headers=EN).status_code == 200
    moved = owner_api.get(events_url(team.review_id, event["id"])).json()
    assert (moved["earliest"], moved["version"], moved["when"]) == ("2019-08-01", 2, "in groep 5")
    history = owner_api.get(events_url(team.review_id, event["id"], "history"), headers=EN).json()
    assert history[-1]["change"] == "moved"
    assert history[-1]["reason"] == "Moved because “the date of birth of Sem” changed"
    assert (history[0]["earliest"], history[-1]["earliest"]) == ("2018-08-01", "2019-08-01")


def test_a_corrected_anchor_event_moves_the_chain(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing naar Utrecht", when="sept. 2015")
    school = add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    club = add_event(owner_api, team.review_id, title="Voetbalclub", when="vlak na de nieuwe school")
    assert (school["earliest"], school["anchor"]["id"]) == ("2016-09-01", move["id"])
    assert club["anchor"]["id"] == school["id"]
    fixed = owner_api.patch(events_url(team.review_id, move["id"]), json={"when": "sept. 2016", "version": 1})
    assert fixed.status_code == 200
    assert owner_api.get(events_url(team.review_id, school["id"])).json()["earliest"] == "2017-09-01"
    assert owner_api.get(events_url(team.review_id, club["id"])).json()["earliest"] == "2017-09-01"
    reasons = [h["reason"] for h in owner_api.get(events_url(team.review_id, club["id"], "history")).json()]
    assert reasons[-1] == "Verplaatst omdat “Nieuwe school” veranderde"


def test_a_cycle_of_anchors_is_refused(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing", when="2015")
    add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    refused = owner_api.patch(
        events_url(team.review_id, move["id"]), json={"when": "vlak voor de nieuwe school", "version": 1}
    )
    assert refused.status_code == 422
    assert "afhangen van zichzelf" in refused.json()["detail"]
    assert owner_api.get(events_url(team.review_id, move["id"])).json()["when"] == "2015"


def test_deleting_an_anchor_asks_what_its_dependents_do(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing", when="sept. 2015")
    kept = add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    asked = owner_api.delete(events_url(team.review_id, move["id"]))
    assert asked.status_code == 409
    assert "“Nieuwe school”" in asked.json()["detail"]
    assert asked.json()["conflict"]["dependents"] == [{"id": kept["id"], "title": "Nieuwe school"}]
    assert owner_api.get(events_url(team.review_id, move["id"])).json()["deleted"] is False
    done = owner_api.delete(events_url(team.review_id, move["id"]), params={"dependents": "keep"})
    assert done.status_code == 200
    after = owner_api.get(events_url(team.review_id, kept["id"])).json()
    assert (after["earliest"], after["anchor"], after["when"]) == ("2016-09-01", None, "sept. 2016")


def test_deleting_an_anchor_can_leave_dependents_undated(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing", when="sept. 2015")
    dep = add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    done = owner_api.delete(events_url(team.review_id, move["id"]), params={"dependents": "unanchor"})
    assert done.status_code == 200
    after = owner_api.get(events_url(team.review_id, dep["id"])).json()
    assert (after["undated"], after["when"], after["anchor"]) == (True, "een jaar na de verhuizing", None)


def test_pages_show_undated_and_open_events_and_ask_before_deleting_an_anchor(
    team, owner_api: TestClient, browser_as
) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing", when="sept. 2015")
    dep = add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    shelf = add_event(owner_api, team.review_id, title="Eerste zorgen", when="??")
    add_event(owner_api, team.review_id, title="Bij oma", when="voor 2010")
    browser = browser_as(team.owner)
    page = browser.get(f"/reviews/{team.review_id}/lifeline")
    assert page.status_code == 200
    assert 'id="shelf"' in page.text and "Eerste zorgen" in page.text.split('id="shelf"')[1].split("</aside>")[0]
    assert browser.get(f"/reviews/{team.review_id}/lifeline/events/{shelf['id']}").status_code == 200
    anchor_page = browser.get(f"/reviews/{team.review_id}/lifeline/events/{move['id']}")
    assert 'name="dependents" value="keep"' in anchor_page.text
    dep_page = browser.get(f"/reviews/{team.review_id}/lifeline/events/{dep['id']}")
    assert "Gedateerd vanaf “Verhuizing”" in dep_page.text
    done = browser.post(f"/reviews/{team.review_id}/lifeline/events/{move['id']}/delete", {"dependents": "unanchor"})
    assert done.status_code == 303
    assert owner_api.get(events_url(team.review_id, dep["id"])).json()["undated"] is True


def test_people_through_the_page_and_a_bad_birth_date_stores_nothing(team, owner_api: TestClient, browser_as) -> None:
    browser = browser_as(team.owner)
    browser.get(f"/reviews/{team.review_id}/lifeline")
    bad = browser.post(f"/reviews/{team.review_id}/lifeline/people", {"name": "Noor", "born": "ooit eens"})
    assert bad.status_code == 422 and "ooit eens" in bad.text
    assert owner_api.get(_people(team.review_id)).json() == []
    added = browser.post(f"/reviews/{team.review_id}/lifeline/people", {"name": "Noor", "born": "12-05-2012"})
    assert added.status_code == 303
    noor = owner_api.get(_people(team.review_id)).json()[0]
    event = add_event(owner_api, team.review_id, title="Zwemles", when="toen Noor 6 was")
    moved = browser.post(f"/reviews/{team.review_id}/lifeline/people/{noor['id']}", {"born": "12-05-2013"})
    assert moved.status_code == 303
    assert owner_api.get(events_url(team.review_id, event["id"])).json()["earliest"] == "2019-05-12"
    assert "Noor" in browser.get(f"/reviews/{team.review_id}/lifeline").text.split('id="people"')[1]


def test_a_renamed_anchor_event_still_moves_its_dependents(team, owner_api: TestClient) -> None:
    move = add_event(owner_api, team.review_id, title="Verhuizing naar Zwolle", when="zomer 2016")
    after = add_event(owner_api, team.review_id, title="Nieuwe school", when="een jaar na de verhuizing")
    assert after["anchor"]["id"] == move["id"]
    renamed = owner_api.patch(
        events_url(team.review_id, move["id"]), json={"title": "Gezin trekt in bij oma", "version": 1}
    )
    assert renamed.status_code == 200, renamed.text

    redated = owner_api.patch(events_url(team.review_id, move["id"]), json={"when": "zomer 2017", "version": 2})

    assert redated.status_code == 200, redated.text
    moved = owner_api.get(events_url(team.review_id, after["id"])).json()
    assert (moved["earliest"][:4], moved["version"], moved["when"]) == ("2018", 2, "een jaar na de verhuizing")
    assert moved["anchor"] == {"kind": "event", "id": move["id"], "name": "Gezin trekt in bij oma"}
    # its other fields can still be changed: the words are read against the same event
    edited = owner_api.patch(
        events_url(team.review_id, after["id"]), json={"lane": "school", "people": ["Noor"], "version": 2}
    )
    assert edited.status_code == 200 and edited.json()["anchor"]["id"] == move["id"]
