"""Who may do what in a share-back meeting, for phones (readers, outsiders and anonymous visitors are in
tests/test_access_matrix.py): a phone reacts only in its own meeting and never reads the tallies, comments or
decisions; a phone of another review gets 404."""

from tests.group_interview.rooms import Phone, make_room
from tests.share_back.meetings import Meeting, make_meeting
from tests.world import World

MEMBER_ROUTES = (
    ("GET", ""),
    ("GET", "/summary"),
    ("GET", "/state"),
    ("GET", "/qr.svg"),
    ("GET", "/stream"),
    ("POST", "/open"),
    ("POST", "/close"),
    ("POST", "/show"),
    ("POST", "/tablet"),
    ("POST", "/findings"),
)


def test_a_phone_never_reads_or_runs_the_meeting(meeting: Meeting) -> None:
    phone = meeting.phone(meeting.participants[0])
    for method, tail in MEMBER_ROUTES:
        response = phone.client.request(method, meeting.url(tail), json={} if method == "POST" else None)
        assert response.status_code == 401, (method, tail, response.text)
    decision = phone.post(meeting.url(f"/nodes/{meeting.ids.node_id}/decision"), json={"decision": "removed"})
    assert decision.status_code == 401
    tree = meeting.owner.get(f"/api/v1/reviews/{meeting.review_id}/findings-tree").json()
    assert meeting.ids.node_id in [n["id"] for n in tree["root"]["children"]]


def test_a_phone_of_another_review_gets_404(world: World, meeting: Meeting) -> None:
    other = make_meeting(world)
    try:
        stranger = other.phone(other.participants[0])
        body = {"node_id": meeting.ids.node_id, "reaction": "agree", "client_key": "stranger-01"}
        assert stranger.post(meeting.url("/reactions"), json=body).status_code == 404
        # ... also with a node of its own review: the meeting it names is not its own.
        own = {"node_id": other.ids.node_id, "reaction": "agree", "client_key": "stranger-02"}
        assert stranger.post(meeting.url("/reactions"), json=own).status_code == 404
        assert meeting.summary()[meeting.ids.node_id]["agree"] == 0
    finally:
        other.close()


def test_the_share_back_phone_page_needs_a_share_back_phone(world: World, meeting: Meeting) -> None:
    phone = meeting.phone(meeting.participants[0])
    assert phone.get("/p/share-back").status_code == 200
    anonymous = world.pages["anonymous"].client.get("/p/share-back", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/join"
    assert meeting.owner.post(meeting.url("/close")).status_code == 200
    ended = phone.get("/p/share-back", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"] == "/join"


def test_a_share_back_phone_has_no_say_in_the_group_interview(world: World) -> None:
    """Phones reach only their own room: with both rooms of a review open, a phone that joined the share-back
    meeting cannot place a sticker, propose a correction, name a factor or read the rounds of the group
    interview (403, told to join the group interview), and nothing is stored; the group interview's own phone
    can."""
    room = make_room(world)
    try:
        factor, round_id = room.factor("Korte lijnen"), room.round()
        created = room.owner.post(room.url("/share-back"))
        assert created.status_code == 201, created.text
        assert room.owner.post(room.url("/share-back/open")).status_code == 200
        visitor = Phone(world.app)
        room.phones.append(visitor)
        assert visitor.join(created.json()["join_code"], room.participants[0]).status_code == 200
        tries = [
            ("POST", f"/rounds/{round_id}/stickers", {"factor_id": factor}),
            ("POST", "/group-interview/proposals", {"text": "Het was in 2019"}),
            ("POST", "/factors", {"kind": "success", "title": "Iemand die luisterde"}),
            ("GET", "/rounds", None),
        ]
        for method, tail, body in tries:
            answer = visitor.client.request(method, room.url(tail), json=body)
            assert answer.status_code == 403, (method, tail, answer.text)
            assert answer.json()["detail"] == "Join the group interview with the code on the screen."
        assert room.results(round_id) == {factor: 0}
        assert [f["title"] for f in room.owner.get(room.url("/factors")).json()] == ["Korte lijnen"]
        own = room.phone(room.participants[1])
        assert own.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor}).status_code == 201
    finally:
        room.close()
