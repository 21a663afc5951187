"""The life-line CSV import takes what the event form takes: dates as said (read from a person of the
life-line, from another event, open-ended), undated rows ("", "weet ik niet meer"), the people column for
anchored phrases, and still Excel's date forms; an export imported again changes nothing."""

import csv
import io

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.timeline.events import add_event, events_url, lifeline_url
from tests.world import row_counts

HEADER = "id;titel;wanneer;tot;baan;betrokkenen\n"


def _import(client: TestClient, review_id: int, text: str) -> object:
    return client.post(
        lifeline_url(review_id, "lifeline.csv"), content=text.encode(), headers={"content-type": "text/csv"}
    )


def _events(client: TestClient, review_id: int) -> dict[str, dict[str, object]]:
    return {e["title"]: e for e in client.get(events_url(review_id)).json()}


def test_dates_as_said_and_undated_rows_are_imported(team, owner_api: TestClient) -> None:
    base = f"/api/v1/reviews/{team.review_id}/lifeline/people"
    assert owner_api.post(base, json={"name": "Sem", "born": "2011"}).status_code == 201
    text = HEADER + (
        ";Logeren bij oma;toen Sem 7 was;;gezin;Sem\n"
        ";Nieuwe juf;in groep 5;;school;Sem\n"
        ";Verhuizing naar Zwolle;zomer 2016;;gezin;\n"
        ";Nieuwe school gezocht;een jaar na de verhuizing;;school;\n"
        ";Eerste melding;weet ik niet meer;;veiligheid;\n"
        ";Ruzie met buren;;;gezin;\n"
        ";Bij opa gewoond;voor 2010;;gezin;\n"
        ";Pleeggezin;sinds de zomer van 2016;;zorg;\n"
        ";Hulp thuis;tot de zomer van 2018;;zorg;\n"
        ";Schoolwissel;sep-20;;school;\n"
        ";Intake;1-9-2020;;zorg;\n"
    )

    response = _import(owner_api, team.review_id, text)

    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 11
    events = _events(owner_api, team.review_id)
    stay = events["Logeren bij oma"]
    assert (stay["when"], stay["earliest"], stay["anchor"]["name"]) == ("toen Sem 7 was", "2018-01-01", "Sem")
    assert events["Nieuwe juf"]["earliest"] == "2019-08-01"
    after = events["Nieuwe school gezocht"]
    assert after["anchor"]["name"] == "Verhuizing naar Zwolle" and after["earliest"] == "2017-06-21"
    assert events["Eerste melding"]["undated"] and events["Ruzie met buren"]["undated"]
    assert (events["Bij opa gewoond"]["earliest"], events["Bij opa gewoond"]["latest"]) == (None, "2009-12-31")
    assert events["Pleeggezin"]["latest"] is None and events["Hulp thuis"]["earliest"] is None
    assert (events["Schoolwissel"]["earliest"], events["Schoolwissel"]["latest"]) == ("2020-09-01", "2020-09-30")
    assert events["Intake"]["earliest"] == events["Intake"]["latest"] == "2020-09-01"


def test_a_phrase_that_means_nothing_here_is_refused_by_line_and_stores_nothing(
    team, owner_api: TestClient, db: Session
) -> None:
    text = HEADER + ";Logeren;2018;;gezin;\n;Bij oma;toen Bob 7 was;;gezin;Bob\n;Later;na de verbouwing;;gezin;\n"
    before = row_counts(db.get_bind())  # type: ignore[arg-type]

    response = _import(owner_api, team.review_id, text)

    assert response.status_code == 422, response.text
    assert [p["line"] for p in response.json()["errors"]] == [3, 4]
    assert row_counts(db.get_bind()) == before  # type: ignore[arg-type]


def test_an_exported_life_line_with_phrases_imports_again_unchanged(team, owner_api: TestClient) -> None:
    base = f"/api/v1/reviews/{team.review_id}/lifeline/people"
    owner_api.post(base, json={"name": "Sem", "born": "2011"})
    add_event(owner_api, team.review_id, title="Logeren bij oma", when="toen Sem 7 was", people=["Sem"])
    add_event(owner_api, team.review_id, title="Eerste melding", when="weet ik niet meer")
    add_event(owner_api, team.review_id, title="Pleeggezin", when="sinds 2016")
    exported = owner_api.get(lifeline_url(team.review_id, "lifeline.csv"))
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert {r["titel"]: r["wanneer"] for r in rows}["Logeren bij oma"] == "toen Sem 7 was"  # as said

    again = _import(owner_api, team.review_id, exported.text)

    assert again.status_code == 201, again.text
    assert (again.json()["imported"], again.json()["updated"], again.json()["unchanged"]) == (0, 0, 3)
    stay = _events(owner_api, team.review_id)["Logeren bij oma"]
    assert stay["version"] == 1 and stay["anchor"]["name"] == "Sem"
    # edited in Excel: another age moves the event, still read from Sem's birth
    edited = exported.text.replace("toen Sem 7 was", "toen Sem 8 was")
    assert _import(owner_api, team.review_id, edited).json()["updated"] == 1
    stay = _events(owner_api, team.review_id)["Logeren bij oma"]
    assert (stay["earliest"], stay["version"], stay["anchor"]["name"]) == ("2019-01-01", 2, "Sem")
