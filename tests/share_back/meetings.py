"""Helpers for the share-back tests: a meeting in the shared test world, and phones that join it."""

from dataclasses import dataclass, field
from typing import Any

from tests.group_interview.rooms import JoinsPhones, Phone, new_room
from tests.world import Ids, World


@dataclass
class Meeting(JoinsPhones):
    """A review with a findings tree (two main success factors), consented participants and a share-back meeting."""

    world: World
    ids: Ids
    participants: list[int]
    meeting_id: int
    code: str
    phones: list[Phone] = field(default_factory=list)

    @property
    def review_id(self) -> int:
        return self.ids.review_id

    def url(self, tail: str = "") -> str:
        return f"/api/v1/reviews/{self.review_id}/share-back{tail}"

    def react(self, phone: Phone, node_id: int, reaction: str, comment: str = "", key: str = "") -> Any:
        body = {
            "node_id": node_id,
            "reaction": reaction,
            "comment": comment,
            "client_key": key or f"k-{reaction}-{node_id}",
        }
        return phone.post(self.url("/reactions"), json=body)

    def summary(self) -> dict[int, dict[str, Any]]:
        response = self.owner.get(self.url("/summary"))
        assert response.status_code == 200, response.text
        return {row["node_id"]: row for row in response.json()}


def make_meeting(world: World, participants: int = 3, *, open_: bool = True) -> Meeting:
    """A fresh review with ``participants`` consented participants and its share-back meeting."""
    ids, people, body = new_room(world, "Terugkoppeling test", "share-back", participants, open_=open_)
    return Meeting(world, ids, people, body["id"], body["join_code"])
