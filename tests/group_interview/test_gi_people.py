"""A birth date corrected while the group interview is open (or a person taken off the life-line) moves the
events dated from it and tells the room's screens to redraw the life-line."""

from sqlmodel import Session, col, select

from app.live.models import LiveEvent
from tests.group_interview.rooms import make_room
from tests.world import World


def _lifeline_events(world: World, interview_id: int) -> int:
    with Session(world.engine) as db:
        kinds = db.exec(
            select(LiveEvent.kind).where(LiveEvent.group_interview_id == interview_id).order_by(col(LiveEvent.id))
        ).all()
    return sum(1 for kind in kinds if kind == "lifeline")


def test_a_corrected_birth_date_in_the_room_moves_dependents_and_reaches_the_screens(world: World) -> None:
    room = make_room(world, 1)
    sem = room.owner.post(room.url("/lifeline/people"), json={"name": "Sem", "born": "2010"}).json()
    event = room.owner.post(
        room.url("/lifeline/events"), json={"title": "Nieuwe juf", "when": "in groep 5", "people": ["Sem"]}
    ).json()
    before = _lifeline_events(world, room.interview_id)

    corrected = room.owner.patch(room.url(f"/lifeline/people/{sem['id']}"), json={"born": "2011"})

    assert corrected.status_code == 200, corrected.text
    moved = room.owner.get(room.url(f"/lifeline/events/{event['id']}")).json()
    assert (moved["earliest"], moved["version"]) == ("2019-08-01", 2)
    assert _lifeline_events(world, room.interview_id) == before + 1
    # the shared screen's figure draws the moved event
    figure = room.owner.get(room.url("/group-interview/figure")).text
    assert "Nieuwe juf" in figure
    removed = room.owner.delete(room.url(f"/lifeline/people/{sem['id']}"), params={"dependents": "keep"})
    assert removed.status_code == 204
    assert _lifeline_events(world, room.interview_id) == before + 2
