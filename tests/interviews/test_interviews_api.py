"""The interviews API: the fixed interface, the topic guide, notes autosave with conflicts, events from a
passage, quotes with consent, candidate factors, and the live counts on the guide's steps."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.interviews.models import InterviewNote
from app.interviews.service import STANDARD_TOPICS, exportable_quotes
from app.participants.models import ConsentScope
from tests.interviews.things import add_participant

A = "/api/v1/reviews/{}"


@pytest.fixture
def owner(team: Any, api_as: Callable[[User], TestClient]) -> TestClient:
    return api_as(team.owner)


@pytest.fixture
def researcher(team: Any, api_as: Callable[[User], TestClient]) -> TestClient:
    return api_as(team.researcher)


def _interview(client: TestClient, review_id: int, participant_ids: list[int], **extra: Any) -> dict[str, Any]:
    response = client.post(
        f"{A.format(review_id)}/interviews", json={"participant_ids": participant_ids, "held_on": "2024-03-05", **extra}
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_create_answers_the_interview_with_its_topic_guide(team: Any, owner: TestClient, app: Any) -> None:
    mother = add_participant(app.state.engine, team.review_id, "Moeder (Sandra)", "Moeder")
    father = add_participant(app.state.engine, team.review_id, "Vader (Erik)", "Vader")
    data = _interview(owner, team.review_id, [mother, father])
    assert [t["key"] for t in data["topics"]] == [key for key, _t, _p in STANDARD_TOPICS]
    assert all(set(t) >= {"key", "title", "notes"} and t["notes"] == "" for t in data["topics"])
    assert [p["pseudonym"] for p in data["participants"]] == ["Moeder (Sandra)", "Vader (Erik)"]
    assert data["status"] == "held"  # dated in the past
    assert [u["id"] for u in data["interviewers"]] == [team.owner.id]
    assert data["label"] == "interview Moeder (Sandra), Vader (Erik), 05-03-2024"
    listed = owner.get(f"{A.format(team.review_id)}/interviews").json()
    assert [i["id"] for i in listed] == [data["id"]]


def test_a_future_interview_is_planned_and_interviewers_must_be_writers(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    future = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    data = _interview(
        owner, team.review_id, [noor], held_on=future, interviewer_ids=[team.owner.id, team.researcher.id]
    )
    assert data["status"] == "planned"
    assert {u["id"] for u in data["interviewers"]} == {team.owner.id, team.researcher.id}
    bad = owner.post(
        f"{A.format(team.review_id)}/interviews", json={"participant_ids": [noor], "interviewer_ids": [team.reader.id]}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "interviewer_ids"


def test_a_change_sets_what_it_names_and_null_clears_only_the_date(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    url = f"{A.format(team.review_id)}/interviews/{_interview(owner, team.review_id, [noor], place='School')['id']}"
    changed = owner.patch(url, json={"place": "Thuis", "status": "worked_out"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["place"], changed.json()["status"], changed.json()["held_on"]) == (
        "Thuis",
        "worked_out",
        "2024-03-05",
    )
    cleared = owner.patch(url, json={"held_on": None, "place": None, "status": None}).json()
    assert (cleared["place"], cleared["status"], cleared["held_on"]) == ("Thuis", "worked_out", None)
    assert [p["id"] for p in cleared["participants"]] == [noor]


@pytest.mark.parametrize("body", [{"participant_ids": []}, {"participant_ids": [2**31 - 1]}, {"held_on": "2024-03-05"}])
def test_an_interview_needs_participants_of_this_review(team: Any, owner: TestClient, body: dict[str, Any]) -> None:
    response = owner.post(f"{A.format(team.review_id)}/interviews", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_notes_autosave_refuses_a_stale_version_with_the_current_text(
    team: Any, owner: TestClient, researcher: TestClient, app: Any, db: Session
) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    url = f"{A.format(team.review_id)}/interviews/{interview['id']}/notes/life_course"

    first = owner.patch(url, json={"text": "Noor geboren in 2008.", "version": 0})
    assert first.status_code == 200 and first.json()["version"] == 1
    theirs = researcher.patch(url, json={"text": "Noor geboren in 2008. Sem in 2011.", "version": 1})
    assert theirs.status_code == 200 and theirs.json()["version"] == 2

    stale = owner.patch(url, json={"text": "Noor geboren in 2008, thuis.", "version": 1})
    assert stale.status_code == 409
    conflict = stale.json()["conflict"]
    assert conflict["current"]["notes"] == "Noor geboren in 2008. Sem in 2011."
    assert conflict["current"]["version"] == 2
    assert conflict["current"]["updated_by"] == "Researcher"
    assert conflict["yours"]["text"] == "Noor geboren in 2008, thuis."
    note = db.exec(select(InterviewNote).where(InterviewNote.interview_id == interview["id"])).one()
    db.refresh(note)
    assert note.text == "Noor geboren in 2008. Sem in 2011." and note.version == 2
    db.rollback()  # end the read transaction: SQLite lets one writer in at a time

    # Based on the current version, the change is stored.
    again = owner.patch(url, json={"text": "Noor geboren in 2008, thuis.", "version": 2})
    assert again.status_code == 200 and again.json()["version"] == 3
    assert owner.get(f"{A.format(team.review_id)}/interviews/{interview['id']}").json()["topics"][0]["notes"] == (
        "Noor geboren in 2008, thuis."
    )


def test_repeating_a_save_whose_answer_was_lost_is_not_a_conflict(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    url = f"{A.format(team.review_id)}/interviews/{interview['id']}/notes/successes"
    assert owner.patch(url, json={"text": "Weer naar school.", "version": 0}).json()["version"] == 1
    retry = owner.patch(url, json={"text": "Weer naar school.", "version": 0})
    assert retry.status_code == 200 and retry.json()["version"] == 1


def test_notes_are_audited_without_their_text(team: Any, owner: TestClient, app: Any, db: Session) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    url = f"{A.format(team.review_id)}/interviews/{interview['id']}/notes/care_history"
    assert owner.patch(url, json={"text": "Psycholoog van 2018 tot 2020.", "version": 0}).status_code == 200
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "interview.notes")).one()
    assert entry.detail == "care_history" and "Psycholoog" not in entry.detail + entry.target


def test_unknown_topics_and_too_long_notes_are_refused(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    base = f"{A.format(team.review_id)}/interviews/{interview['id']}/notes"
    assert owner.patch(f"{base}/no_such_topic", json={"text": "x", "version": 0}).status_code == 404
    too_long = owner.patch(f"{base}/successes", json={"text": "x" * 100_001, "version": 0})
    assert too_long.status_code == 422


def test_a_team_topic_joins_every_interview_and_goes_only_without_notes(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    topic = owner.post(f"{A.format(team.review_id)}/interview-guide", json={"title": "Wonen bij tante"}).json()
    assert topic["custom"] is True
    read = owner.get(f"{A.format(team.review_id)}/interviews/{interview['id']}").json()
    assert read["topics"][-1]["title"] == "Wonen bij tante"
    duplicate = owner.post(f"{A.format(team.review_id)}/interview-guide", json={"title": "wonen bij TANTE"})
    assert duplicate.status_code == 409
    notes_url = f"{A.format(team.review_id)}/interviews/{interview['id']}/notes/{topic['key']}"
    assert owner.patch(notes_url, json={"text": "Sinds 2023.", "version": 0}).status_code == 200
    assert owner.delete(f"{A.format(team.review_id)}/interview-guide/{topic['key']}").status_code == 409
    assert owner.delete(f"{A.format(team.review_id)}/interview-guide/life_course").status_code == 409
    assert owner.patch(notes_url, json={"text": "", "version": 1}).status_code == 200
    assert owner.delete(f"{A.format(team.review_id)}/interview-guide/{topic['key']}").status_code == 204


def test_a_passage_becomes_a_life_line_event_with_the_interview_as_source(
    team: Any, owner: TestClient, app: Any
) -> None:
    mother = add_participant(app.state.engine, team.review_id, "Moeder (Sandra)", "Moeder")
    interview = _interview(owner, team.review_id, [mother])
    found = owner.post(
        f"{A.format(team.review_id)}/date-text", json={"text": "In het voorjaar 2014 werd ik opgenomen."}
    )
    assert found.json() == {"date_text": "voorjaar 2014"}
    response = owner.post(
        f"{A.format(team.review_id)}/interviews/{interview['id']}/events",
        json={"title": "Moeder voor het eerst opgenomen", "when": "voorjaar 2014", "lane": "family"},
    )
    assert response.status_code == 201, response.text
    event = response.json()
    assert event["sources"] == [
        {"kind": "interview", "ref_id": interview["id"], "label": "interview Moeder (Sandra), 05-03-2024"}
    ]
    lifeline = owner.get(f"{A.format(team.review_id)}/lifeline/events").json()
    assert [e["title"] for e in lifeline] == ["Moeder voor het eerst opgenomen"]
    assert owner.get(f"{A.format(team.review_id)}/interviews").json()[0]["events"] == 1
    bad_date = owner.post(
        f"{A.format(team.review_id)}/interviews/{interview['id']}/events", json={"title": "x", "when": "ooit"}
    )
    assert bad_date.status_code == 422 and bad_date.json()["detail"]
    relative = owner.post(  # counted from the day of the interview (05-03-2024)
        f"{A.format(team.review_id)}/interviews/{interview['id']}/events",
        json={"title": "Op vakantie", "when": "vorige zomer"},
    ).json()
    assert (relative["earliest"], relative["reference_date"]) == ("2023-06-21", "2024-03-05")


def test_quotes_name_the_role_and_are_flagged_without_consent(
    team: Any, owner: TestClient, app: Any, db: Session
) -> None:
    mother = add_participant(app.state.engine, team.review_id, "Moeder (Sandra)", "Moeder", (ConsentScope.quotes,))
    father = add_participant(app.state.engine, team.review_id, "Vader (Erik)", "Vader", (ConsentScope.interview,))
    interview = _interview(owner, team.review_id, [mother, father])
    base = A.format(team.review_id)
    said = owner.post(
        f"{base}/quotes",
        json={"text": "Iedereen begon steeds weer opnieuw.", "participant_id": mother, "interview_id": interview["id"]},
    ).json()
    assert (said["speaker"], said["quotes_consent"], said["exportable"]) == ("Moeder", True, True)
    assert said["source"] == interview["label"]
    unsaid = owner.post(f"{base}/quotes", json={"text": "Ik werd niet gehoord.", "participant_id": father}).json()
    assert (unsaid["speaker"], unsaid["exportable"]) == ("Vader", False)
    assert [q.id for q in exportable_quotes(session=db, review_id=team.review_id)] == [said["id"]]
    db.rollback()
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    not_there = owner.post(
        f"{base}/quotes", json={"text": "x", "participant_id": noor, "interview_id": interview["id"]}
    )
    assert not_there.status_code == 422


def test_withdrawn_quote_consent_takes_the_quote_out_of_every_export_path(
    team: Any, owner: TestClient, app: Any, db: Session
) -> None:
    mother = add_participant(app.state.engine, team.review_id, "Moeder (Sandra)", "Moeder", (ConsentScope.quotes,))
    base = A.format(team.review_id)
    quote = owner.post(f"{base}/quotes", json={"text": "Iedereen begon opnieuw.", "participant_id": mother}).json()
    assert [q.id for q in exportable_quotes(session=db, review_id=team.review_id)] == [quote["id"]]
    db.rollback()

    consent = owner.get(f"{base}/participants/{mother}/consents").json()[0]
    withdrawn = owner.post(
        f"{base}/participants/{mother}/consents/{consent['id']}/withdraw",
        json={"withdrawn_on": dt.date.today().isoformat()},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert exportable_quotes(session=db, review_id=team.review_id) == []
    db.rollback()
    listed = owner.get(f"{base}/quotes").json()
    assert [(q["id"], q["exportable"], q["quotes_consent"]) for q in listed] == [(quote["id"], False, False)]


def test_candidate_factors_keep_their_interview(team: Any, owner: TestClient, app: Any) -> None:
    noor = add_participant(app.state.engine, team.review_id, "Noor", "Jongere")
    interview = _interview(owner, team.review_id, [noor])
    base = A.format(team.review_id)
    made = owner.post(
        f"{base}/candidate-factors",
        json={"kind": "hindering", "title": "Informatie bereikte school niet", "interview_id": interview["id"]},
    )
    assert made.status_code == 201
    assert made.json()["source"] == interview["label"]
    assert owner.post(f"{base}/candidate-factors", json={"kind": "maybe", "title": "x"}).status_code == 422
    # Deleting the interview keeps the factor, without the link.
    assert owner.delete(f"{base}/interviews/{interview['id']}").status_code == 204
    assert owner.get(f"{base}/candidate-factors").json()[0]["interview_id"] is None


def test_the_guide_counts_interviewed_participants(team: Any, owner: TestClient, app: Any) -> None:
    people = [add_participant(app.state.engine, team.review_id, f"P{n}", "Hulpverlener") for n in range(3)]
    _interview(owner, team.review_id, people[:2])
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    _interview(owner, team.review_id, people[2:], held_on=future)
    steps = {s["key"]: s for s in owner.get(f"{A.format(team.review_id)}/steps").json()}
    assert steps["interviews_held"]["hint"] in {"2 of 3 participants interviewed", "2 van de 3 deelnemers geïnterviewd"}
    assert steps["lifeline_constructed"]["hint"]
