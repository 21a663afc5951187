"""The share-back meeting's API: preparing, opening and closing, joining, reactions, the summary and decisions."""

import json

from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from app.findings.models import FindingNode, FindingNodeVersion
from app.live.models import LiveEvent
from tests.group_interview.rooms import Phone
from tests.share_back.meetings import Meeting, make_meeting
from tests.world import World


def test_prepare_answers_its_own_join_code_and_only_one_is_not_closed(world: World) -> None:
    meeting = make_meeting(world, open_=False)
    first = meeting.owner.get(meeting.url())
    assert first.status_code == 200
    assert first.json()["status"] == "prepared" and first.json()["join_code"] == meeting.code
    again = meeting.owner.post(meeting.url())
    assert again.status_code == 409 and "not closed" in again.json()["detail"]
    assert meeting.owner.post(meeting.url("/open")).json()["status"] == "open"
    assert meeting.owner.post(meeting.url("/open")).status_code == 409
    closed = meeting.owner.post(meeting.url("/close"))
    assert closed.json()["status"] == "closed" and closed.json()["join_code"] is None
    renewed = meeting.owner.post(meeting.url())
    assert renewed.status_code == 201 and renewed.json()["join_code"] not in {None, meeting.code}


def test_the_group_interview_code_is_not_the_meeting_code(world: World, meeting: Meeting) -> None:
    """The group interview of the same review keeps its own room: the meeting is not 'the group interview'."""
    assert meeting.owner.get(f"/api/v1/reviews/{meeting.review_id}/group-interview").status_code == 404
    created = meeting.owner.post(f"/api/v1/reviews/{meeting.review_id}/group-interview")
    assert created.status_code == 201 and created.json()["join_code"] != meeting.code
    assert meeting.owner.get(meeting.url()).json()["id"] == meeting.meeting_id


def test_nothing_to_share_back_without_findings(world: World) -> None:
    ids = world.new_review("Zonder boom")
    owner = world.api["owner"]
    for node in (ids.node_id, ids.other_node_id):
        assert owner.delete(f"/api/v1/reviews/{ids.review_id}/findings-tree/nodes/{node}").status_code == 204
    refused = owner.post(f"/api/v1/reviews/{ids.review_id}/share-back")
    assert refused.status_code == 409 and "findings tree" in refused.json()["detail"]


def test_a_phone_joins_with_the_meeting_code_and_sees_the_findings(meeting: Meeting) -> None:
    phone = meeting.phone(meeting.participants[0])
    state = phone.get("/api/v1/participant/state")
    assert state.status_code == 200, state.text
    body = state.json()
    assert body["room"] == "share_back" and body["meeting"]["status"] == "open"
    assert body["meeting"]["join_code"] is None  # codes are for members' screens
    assert [s["section"] for s in body["slides"]] == ["success", "success_factors", "success_factors"]
    assert [s["node_id"] for s in body["slides"][1:]] == [meeting.ids.node_id, meeting.ids.other_node_id]
    assert body["mine"] == {}
    page = phone.get("/p", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/p/share-back"
    assert phone.get("/p/share-back").status_code == 200


def test_one_reaction_per_person_per_finding_the_new_one_replaces_the_old(meeting: Meeting) -> None:
    node = meeting.ids.node_id
    first, second = meeting.phone(meeting.participants[0]), meeting.phone(meeting.participants[1])
    assert meeting.react(first, node, "agree", key="first-agree").status_code == 201
    assert meeting.react(second, node, "partly", "Niet altijd", key="second-partly").status_code == 201
    assert meeting.summary()[node] | {"comments": None} == {
        "node_id": node,
        "agree": 1,
        "partly": 1,
        "disagree": 0,
        "comments": None,
    }
    replaced = meeting.react(first, node, "disagree", "Klopt niet voor mij", key="first-disagree")
    assert replaced.status_code == 201 and replaced.json()["reaction"] == "disagree"
    row = meeting.summary()[node]
    assert (row["agree"], row["partly"], row["disagree"]) == (0, 1, 1)
    assert row["comments"] == ["Klopt niet voor mij", "Niet altijd"]
    mine = first.get("/api/v1/participant/state").json()["mine"]
    assert mine == {
        str(node): {"reaction": "disagree", "comment": "Klopt niet voor mij", "client_key": "first-disagree"}
    }


def test_a_retry_with_the_same_client_key_counts_once_and_changes_nothing(meeting: Meeting) -> None:
    node = meeting.ids.node_id
    phone = meeting.phone(meeting.participants[0])
    first = meeting.react(phone, node, "agree", "Ja", key="tap-000001")
    with Session(meeting.world.engine) as db:
        events_before = len(db.exec(select(LiveEvent.id)).all())
    retried = meeting.react(phone, node, "agree", "Ja", key="tap-000001")
    assert first.status_code == retried.status_code == 201 and retried.json() == first.json()
    with Session(meeting.world.engine) as db:
        assert len(db.exec(select(LiveEvent.id)).all()) == events_before  # nothing new to tell the room
    assert meeting.summary()[node]["agree"] == 1


def test_bad_reactions_are_refused_and_change_nothing(world: World, meeting: Meeting) -> None:
    phone = meeting.phone(meeting.participants[0])
    unknown = meeting.react(phone, meeting.ids.node_id, "maybe")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "reaction"
    other = world.new_review("Andere casus")
    foreign = meeting.react(phone, other.node_id, "agree")
    assert foreign.status_code == 404
    long = meeting.react(phone, meeting.ids.node_id, "agree", "x" * 281)
    assert long.status_code == 422
    no_key = phone.post(meeting.url("/reactions"), json={"node_id": meeting.ids.node_id, "reaction": "agree"})
    assert no_key.status_code == 422
    assert meeting.summary()[meeting.ids.node_id]["agree"] == 0
    # A phone of this review's meeting cannot react in another review's meeting.
    other_meeting = make_meeting(world)
    try:
        crossed = phone.post(
            other_meeting.url("/reactions"),
            json={"node_id": other_meeting.ids.node_id, "reaction": "agree", "client_key": "cross-0001"},
        )
        assert crossed.status_code == 404
    finally:
        other_meeting.close()


def test_a_closed_meeting_refuses_reactions(meeting: Meeting) -> None:
    phone = meeting.phone(meeting.participants[0])
    assert meeting.owner.post(meeting.url("/close")).status_code == 200
    refused = meeting.react(phone, meeting.ids.node_id, "agree")
    assert refused.status_code == 401
    assert phone.get("/api/v1/participant/state").status_code == 401
    assert meeting.summary()[meeting.ids.node_id]["agree"] == 0


def test_a_group_interview_phone_cannot_react(world: World, meeting: Meeting) -> None:
    owner = meeting.owner
    gi = owner.post(f"/api/v1/reviews/{meeting.review_id}/group-interview")
    owner.post(f"/api/v1/reviews/{meeting.review_id}/group-interview/open")
    phone = Phone(world.app)
    meeting.phones.append(phone)
    assert phone.join(gi.json()["join_code"], meeting.participants[0]).status_code == 200
    refused = meeting.react(phone, meeting.ids.node_id, "agree")
    assert refused.status_code == 403 and "share-back" in refused.json()["detail"]


def test_the_tablet_reacts_for_whoever_holds_it(meeting: Meeting) -> None:
    owner, node = meeting.owner, meeting.ids.node_id
    body = {"node_id": node, "reaction": "partly", "comment": "", "client_key": "tablet-0001"}
    assert owner.post(meeting.url("/reactions"), json=body).status_code == 409  # nobody holds it yet
    assert owner.post(meeting.url("/tablet"), json={"participant_id": meeting.participants[1]}).status_code == 204
    assert owner.post(meeting.url("/reactions"), json=body).status_code == 201
    assert meeting.summary()[node]["partly"] == 1
    assert meeting.world.api["reader"].post(meeting.url("/reactions"), json=body).status_code == 403


def test_decisions_keep_rephrase_in_place_remove_and_add(meeting: Meeting) -> None:
    owner, node, other = meeting.owner, meeting.ids.node_id, meeting.ids.other_node_id
    kept = owner.post(
        meeting.url(f"/nodes/{other}/decision"), json={"decision": "kept", "note": "Iedereen herkent dit"}
    )
    assert kept.status_code == 200 and kept.json()["decision"] == "kept"
    no_words = owner.post(meeting.url(f"/nodes/{node}/decision"), json={"decision": "rephrased"})
    assert no_words.status_code == 422
    rephrased = owner.post(
        meeting.url(f"/nodes/{node}/decision"),
        json={"decision": "rephrased", "title": "Eén casemanager met mandaat en tijd", "note": "Tijd ontbrak"},
    )
    assert rephrased.status_code == 200, rephrased.text
    assert rephrased.json()["title_before"] == "Eén casemanager met mandaat"
    assert rephrased.json()["title_after"] == "Eén casemanager met mandaat en tijd"
    with Session(meeting.world.engine) as db:
        stored = db.get(FindingNode, node)
        assert stored is not None and stored.title == "Eén casemanager met mandaat en tijd" and stored.version == 2
        versions = db.exec(
            select(FindingNodeVersion)
            .where(FindingNodeVersion.node_id == node)
            .order_by(col(FindingNodeVersion.version))
        ).all()
        assert [(v.version, v.change) for v in versions][-1] == (2, "share-back")
    # A node made in the tree editor keeps its wording before the meeting in its history.
    made = owner.post(f"/api/v1/reviews/{meeting.review_id}/findings-tree/nodes", json={"title": "Korte lijnen"})
    made_id = made.json()["id"]
    owner.post(
        meeting.url(f"/nodes/{made_id}/decision"), json={"decision": "rephrased", "title": "Korte lijnen, vaste dag"}
    )
    history = owner.get(f"/api/v1/reviews/{meeting.review_id}/findings-tree/nodes/{made_id}/history").json()
    assert [(h["version"], h["change"], h["title"]) for h in history] == [
        (1, "create", "Korte lijnen"),
        (2, "share-back", "Korte lijnen, vaste dag"),
    ]

    removed = owner.post(meeting.url(f"/nodes/{other}/decision"), json={"decision": "removed", "note": "Niet herkend"})
    assert removed.status_code == 200
    tree = owner.get(f"/api/v1/reviews/{meeting.review_id}/findings-tree").json()
    assert [n["id"] for n in tree["root"]["children"]] == [node, made_id]
    added = owner.post(
        meeting.url("/findings"),
        json={"title": "School hoorde te laat van de opname", "branch": "hindering", "note": "Gemist"},
    )
    assert added.status_code == 201 and added.json()["decision"] == "added"
    tree = owner.get(f"/api/v1/reviews/{meeting.review_id}/findings-tree").json()
    assert [n["title"] for n in tree["hindering"]] == ["School hoorde te laat van de opname"]
    assert owner.post(meeting.url(f"/nodes/{other}/decision"), json={"decision": "added"}).status_code == 422
    state = owner.get(meeting.url("/state")).json()
    assert [d["decision"] for d in state["decisions"]] == ["removed", "rephrased", "rephrased", "added"]
    # Keeping what was removed brings it back.
    assert owner.post(meeting.url(f"/nodes/{other}/decision"), json={"decision": "kept"}).status_code == 200
    tree = owner.get(f"/api/v1/reviews/{meeting.review_id}/findings-tree").json()
    assert [n["id"] for n in tree["root"]["children"]] == [node, other, made_id]


TALLY_KEYS = {"node_id", "agree", "partly", "disagree", "comments"}


def test_comments_are_anonymous_in_every_response_stream_and_audit_row(meeting: Meeting) -> None:
    node = meeting.ids.node_id
    first, second = meeting.phone(meeting.participants[0]), meeting.phone(meeting.participants[1])
    secret = "Alleen ik weet dit"
    assert meeting.react(first, node, "disagree", secret, key="secret-0001").status_code == 201
    assert meeting.react(second, node, "agree", key="other-0001").status_code == 201
    summary = meeting.owner.get(meeting.url("/summary")).json()
    state = meeting.owner.get(meeting.url("/state")).json()
    assert all(set(row) == TALLY_KEYS for row in summary) and secret in summary[0]["comments"]
    assert all(set(row) == TALLY_KEYS for row in state["tallies"])
    assert secret not in json.dumps(state["participants"]) and secret not in json.dumps(state["decisions"])
    assert secret not in second.get("/api/v1/participant/state").text  # no phone sees another's comment
    with Session(meeting.world.engine) as db:
        room_events = db.exec(select(LiveEvent).order_by(col(LiveEvent.id))).all()
        audit_rows = db.exec(select(AuditEntry)).all()
    heard = [e for e in room_events if secret in e.payload_json]
    assert heard, "the comment reached the console"
    for event in heard:
        # What the screens hear: counts and comments only. The author's own phone hears its own reaction back.
        assert event.audience in {"members", f"participant:{meeting.participants[0]}"}
        if event.audience == "members":
            assert set(json.loads(event.payload_json)) == TALLY_KEYS
    assert not any(secret in f"{a.actor} {a.target} {a.detail}" for a in audit_rows)
    assert not any("reaction" in a.action for a in audit_rows)


def test_withdrawing_consent_removes_reactions_and_comments(meeting: Meeting) -> None:
    node = meeting.ids.node_id
    phone = meeting.phone(meeting.participants[0])
    assert meeting.react(phone, node, "disagree", "Weg ermee", key="gone-0001").status_code == 201
    assert meeting.summary()[node]["disagree"] == 1
    withdrawn = meeting.owner.post(
        f"/api/v1/reviews/{meeting.review_id}/participants/{meeting.participants[0]}/consents/{meeting.ids.consent_id}/withdraw",
        json={"withdrawn_on": "2024-06-01", "effect": "exclude"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    row = meeting.summary()[node]
    assert row["disagree"] == 0 and row["comments"] == []
