"""The shared test world (``tests/world.py``): every test starts on the database as the world was built."""

from sqlmodel import Session, col, func, select

from app.reviews.models import Review
from tests.world import World


def _reviews(world: World) -> int:
    with Session(world.engine) as session:
        return session.exec(select(func.count(col(Review.id)))).one()


def test_restore_removes_what_a_test_added_and_keeps_the_accounts_logged_in(world: World) -> None:
    assert _reviews(world) == 0, "a test saw another test's reviews"
    ids = world.new_review()
    assert world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").status_code == 200

    world.restore()

    assert _reviews(world) == 0
    assert world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").status_code == 404
    assert world.api["reader"].get("/api/v1/reviews").status_code == 200
    assert world.pages["owner"].get("/").status_code == 200
