"""Factors (by members and by phones, pinned, merged) and life-line proposals (accepted or set aside)."""

from tests.group_interview.rooms import Room


def _event(room: Room, title: str = "Verhuizing naar Zwolle", when: str = "voorjaar 2018") -> dict:
    created = room.owner.post(room.url("/lifeline/events"), json={"title": title, "when": when, "lane": "family"})
    assert created.status_code == 201, created.text
    return created.json()


def test_factors_by_members_and_by_phones(room: Room) -> None:
    event = _event(room)
    by_member = room.owner.post(
        room.url("/factors"),
        json={
            "kind": "success",
            "title": "Eén gezinsplan",
            "event_id": event["id"],
            "participant_id": room.participants[1],
        },
    )
    assert by_member.status_code == 201 and by_member.json()["event_id"] == event["id"]
    phone = room.phone(room.participants[0])
    by_phone = phone.post(
        room.url("/factors"), json={"kind": "hindering", "title": "Wachtlijst", "moment_text": "2019"}
    )
    assert by_phone.status_code == 201, by_phone.text
    # A phone cannot name someone else as the author.
    spoofed = phone.post(room.url("/factors"), json={"kind": "success", "title": "x", "participant_id": 999})
    assert spoofed.status_code == 201
    listed = room.owner.get(room.url("/factors")).json()
    assert [f["title"] for f in listed] == ["Eén gezinsplan", "Wachtlijst", "x"]
    assert [f["title"] for f in phone.get(room.url("/factors")).json()] == ["Eén gezinsplan", "Wachtlijst", "x"]

    assert (
        room.owner.post(room.url("/factors"), json={"kind": "success", "title": "x", "event_id": 10**6}).status_code
        == 422
    )
    assert room.owner.post(room.url("/factors"), json={"kind": "maybe", "title": "x"}).status_code == 422
    assert (
        room.world.api["reader"].post(room.url("/factors"), json={"kind": "success", "title": "x"}).status_code == 403
    )
    edited = room.owner.patch(room.url(f"/factors/{by_phone.json()['id']}"), json={"title": "Lange wachtlijst"})
    assert edited.status_code == 200 and edited.json()["title"] == "Lange wachtlijst"
    assert phone.client.patch(room.url(f"/factors/{by_phone.json()['id']}"), json={"title": "y"}).status_code == 401


def test_merging_moves_the_stickers_to_the_kept_factor(room: Room) -> None:
    keep, dup_a, dup_b = (
        room.factor("Vaste hulpverlener"),
        room.factor("Eén vast gezicht"),
        room.factor("Zelfde mentor"),
    )
    other_kind = room.factor("Wachtlijst", kind="hindering")
    round_id = room.round(stickers_per_person=3, max_per_factor=2)
    phones = [room.phone(p) for p in room.participants]
    for phone, factor in zip(phones, (dup_a, dup_b, keep), strict=True):
        assert phone.post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": factor}).status_code == 201
    assert phones[0].post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": dup_b}).status_code == 201

    refused = room.owner.post(room.url("/factors/merge"), json={"into_id": keep, "factor_ids": [other_kind]})
    assert refused.status_code == 422
    merged = room.owner.post(room.url("/factors/merge"), json={"into_id": keep, "factor_ids": [dup_a, dup_b]})
    assert merged.status_code == 200, merged.text
    assert room.results(round_id) == {keep: 4}
    assert [f["id"] for f in room.owner.get(room.url("/factors")).json()] == [keep, other_kind]
    with_merged = room.owner.get(room.url("/factors"), params={"include_merged": "true"}).json()
    assert {f["id"]: f["merged_into_id"] for f in with_merged}[dup_a] == keep
    # A merged factor takes no more stickers; the stickers of phone 0 are both on the kept factor now.
    assert phones[1].post(room.url(f"/rounds/{round_id}/stickers"), json={"factor_id": dup_a}).status_code == 404
    mine = phones[0].get("/api/v1/participant/state").json()["mine"][str(round_id)]
    assert [s["factor_id"] for s in mine] == [keep, keep]
    # A factor with stickers cannot be deleted; an empty one can.
    assert room.owner.delete(room.url(f"/factors/{keep}")).status_code == 409
    assert room.owner.delete(room.url(f"/factors/{other_kind}")).status_code == 204


def test_proposal_accepted_becomes_a_new_event_version_with_the_group_interview_as_source(room: Room) -> None:
    event = _event(room)
    phone = room.phone(room.participants[0])
    proposed = phone.post(
        room.url("/group-interview/proposals"),
        json={"text": "Dat was in de zomer, niet in het voorjaar", "when": "zomer 2018", "event_id": event["id"]},
    )
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["status"] == "pending" and proposed.json()["participant_id"] == room.participants[0]

    decided = room.owner.post(
        room.url(f"/group-interview/proposals/{proposed.json()['id']}/decide"), json={"accept": True}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "accepted" and decided.json()["result_event_id"] == event["id"]
    history = room.owner.get(room.url(f"/lifeline/events/{event['id']}/history")).json()
    assert sorted(v["version"] for v in history) == [1, 2]
    newest = max(history, key=lambda v: v["version"])
    oldest = min(history, key=lambda v: v["version"])
    assert newest["when"] == "zomer 2018" and oldest["when"] == "voorjaar 2018"  # the earlier version is kept
    assert any(s["kind"] == "group_interview" and s["ref_id"] == room.interview_id for s in newest["sources"])
    assert "group interview" in newest["changed_by_label"]
    # Deciding twice is refused.
    again = room.owner.post(
        room.url(f"/group-interview/proposals/{proposed.json()['id']}/decide"), json={"accept": False}
    )
    assert again.status_code == 409


def test_proposal_of_a_new_event_and_one_set_aside_are_both_kept(room: Room) -> None:
    phone = room.phone(room.participants[1])
    added = phone.post(room.url("/group-interview/proposals"), json={"text": "Opname oma", "when": "2016"}).json()
    aside = phone.post(room.url("/group-interview/proposals"), json={"text": "Klopt niet"}).json()
    accepted = room.owner.post(
        room.url(f"/group-interview/proposals/{added['id']}/decide"), json={"accept": True}
    ).json()
    new_event = room.owner.get(room.url(f"/lifeline/events/{accepted['result_event_id']}")).json()
    assert new_event["title"] == "Opname oma"
    assert any(s["kind"] == "group_interview" for s in new_event["sources"])
    # Without any date the facilitator must give one.
    no_date = room.owner.post(room.url(f"/group-interview/proposals/{aside['id']}/decide"), json={"accept": True})
    assert no_date.status_code == 422
    set_aside = room.owner.post(room.url(f"/group-interview/proposals/{aside['id']}/decide"), json={"accept": False})
    assert set_aside.status_code == 200 and set_aside.json()["status"] == "set_aside"
    state = room.owner.get(room.url("/group-interview/state")).json()
    assert {p["id"]: p["status"] for p in state["proposals"]} == {added["id"]: "accepted", aside["id"]: "set_aside"}
    # The phone sees its own proposals only.
    other = room.phone(room.participants[2])
    other.post(room.url("/group-interview/proposals"), json={"text": "Van een ander"})
    mine = phone.get("/api/v1/participant/state").json()["proposals"]
    assert {p["id"] for p in mine} == {added["id"], aside["id"]}
