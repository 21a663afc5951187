"""The review workspace API: create, list, read, update, and erasure of everything of a review."""

from sqlalchemy import inspect, text
from sqlmodel import Session, col, select

from app.audit.models import AuditEntry
from tests.world import Ids, World


def test_create_list_read_update(world: World) -> None:
    owner = world.api["owner"]
    created = owner.post(
        "/api/v1/reviews",
        json={
            "title": "Casus Eline",
            "collaboration": "Wijkteam, school, Veilig Thuis",
            "case_pseudonym": "gezin E",
            "success_statement": "Eline woont in een gezinshuis.",
            "started_on": "2024-01-15",
        },
    )
    assert created.status_code == 201
    review = created.json()
    assert review["role"] == "owner" and review["current_phase"] == 1 and review["progress"] == 0
    assert [p["total"] for p in review["phases"]] == [4, 3, 4]

    assert review["id"] in [r["id"] for r in owner.get("/api/v1/reviews").json()]
    assert review["id"] not in [r["id"] for r in world.api["outsider"].get("/api/v1/reviews").json()]

    changed = owner.patch(f"/api/v1/reviews/{review['id']}", json={"case_pseudonym": "gezin F"}).json()
    assert changed["case_pseudonym"] == "gezin F"
    assert changed["title"] == "Casus Eline"  # fields not sent stay as they were
    read = owner.get(f"/api/v1/reviews/{review['id']}").json()
    assert read["case_pseudonym"] == "gezin F" and read["success_statement"] == "Eline woont in een gezinshuis."


def test_update_refuses_an_end_before_the_start(world: World, ids: Ids) -> None:
    response = world.api["owner"].patch(
        f"/api/v1/reviews/{ids.review_id}", json={"started_on": "2024-05-01", "planned_end_on": "2024-04-01"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "The planned end lies before the start."
    assert world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").json()["started_on"] is None


def test_erasure_leaves_no_row_of_the_review(world: World) -> None:
    owner = world.api["owner"]
    ids = world.new_review(title="Geheime titel 7f3a")
    base = f"/api/v1/reviews/{ids.review_id}"
    assert owner.patch(f"{base}/steps/case_selected", json={"status": "done"}).status_code == 200
    participant = owner.post(f"{base}/participants", json={"pseudonym": "Oma", "role_category": "family_network"})
    owner.post(
        f"{base}/participants/{participant.json()['id']}/consents",
        json={"scope": "interview", "given_on": "2024-02-01", "method": "written"},
    )
    assert owner.post(f"{base}/lifeline/people", json={"name": "Sem", "born": "2011"}).status_code == 201
    event = {"title": "Logeren bij oma", "when": "toen Sem 7 was", "people": ["Sem"]}
    assert owner.post(f"{base}/lifeline/events", json=event).json()["anchor"]["kind"] == "person"

    assert owner.delete(base).status_code == 204

    assert owner.get(base).status_code == 404
    tables = [
        table
        for table in inspect(world.engine).get_table_names()
        if "review_id" in {c["name"] for c in inspect(world.engine).get_columns(table)} and table != "audit_log"
    ]
    assert {"memberships", "review_steps", "participants", "consents", "lifeline_people", "lifeline_anchors"} <= set(
        tables
    )
    with world.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT count(*) FROM reviews WHERE id = :id"), {"id": ids.review_id}).scalar() == 0
        )
        for table in tables:
            left = connection.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE review_id = :id'), {"id": ids.review_id}
            )
            assert left.scalar() == 0, table
    with Session(world.engine, expire_on_commit=False) as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.review_id == ids.review_id).order_by(col(AuditEntry.id))
        ).all()
        session.commit()
    assert entries[-1].action == "review.erase" and entries[-1].actor == f"user:{world.users['owner'].id}"
    assert all("Geheime" not in f"{e.target} {e.detail}" for e in entries)  # the log holds no case text


def test_erasure_through_the_page_needs_the_exact_title(world: World, ids: Ids) -> None:
    browser = world.pages["owner"]
    wrong = browser.post(f"/reviews/{ids.review_id}/erase", {"confirm_title": "iets anders"})
    assert wrong.status_code == 422 and "Type the exact title of the review to confirm." in wrong.text
    assert world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").status_code == 200
    right = browser.post(f"/reviews/{ids.review_id}/erase", {"confirm_title": ids.title})
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert world.api["owner"].get(f"/api/v1/reviews/{ids.review_id}").status_code == 404
