"""Readers of a review never get the join code (they could join as a participant with it); owners and
researchers see it in the API, and the shared screen they project keeps showing it (issue 11, item 12)."""

import pytest

from tests.group_interview.rooms import Room


def _code_places(room: Room, role: str) -> dict[str, object]:
    api, page = room.world.api[role], room.world.pages[role]
    interview = api.get(room.url("/group-interview"))
    state = api.get(room.url("/group-interview/state"))
    screen = page.get(f"/reviews/{room.review_id}/group-interview/screen")
    console = page.get(f"/reviews/{room.review_id}/group-interview")
    assert interview.status_code == state.status_code == screen.status_code == console.status_code == 200
    return {
        "interview": interview.json()["join_code"],
        "join_url": interview.json()["join_url"],
        "state": state.json()["interview"]["join_code"],
        "qr": api.get(room.url("/group-interview/qr.svg")).status_code,
        "on the screen page": room.code in screen.text or room.code.replace("-", "") in screen.text,
        "on the console page": room.code in console.text or room.code.replace("-", "") in console.text,
    }


def test_a_reader_gets_no_join_code_anywhere(room: Room) -> None:
    assert _code_places(room, "reader") == {
        "interview": None,
        "join_url": None,
        "state": None,
        "qr": 403,
        "on the screen page": False,
        "on the console page": False,
    }


@pytest.mark.parametrize("role", ["owner", "researcher"])
def test_owners_and_researchers_keep_the_code_for_the_shared_screen(room: Room, role: str) -> None:
    places = _code_places(room, role)
    assert places["interview"] == places["state"] == room.code
    assert places["qr"] == 200 and places["on the screen page"] is True
