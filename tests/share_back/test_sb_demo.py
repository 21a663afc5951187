"""The demo case ends with a held share-back meeting: reactions, a rephrased, a removed and an added finding."""

from sqlmodel import Session, select

from app.demo import load_demo
from app.findings.models import FindingNodeVersion
from app.reviews.models import ReviewStep, StepStatus
from app.share_back import service
from app.share_back.models import Decision


def test_the_demo_case_ends_with_a_held_share_back_meeting(db: Session) -> None:
    review = load_demo(session=db)
    db.commit()
    review_id = review.id or 0
    meeting, room = service.get(session=db, review_id=review_id)
    assert service.status_of(room) == "closed" and room.opened_at is not None
    decided = {d.decision for d in service.decisions(session=db, meeting_id=meeting.id or 0)}
    assert {Decision.kept, Decision.rephrased, Decision.removed, Decision.added} <= decided
    total = sum(t.agree + t.partly + t.disagree for t in service.summary(session=db, review_id=review_id))
    assert total >= 40
    versions = db.exec(select(FindingNodeVersion).where(FindingNodeVersion.review_id == review_id)).all()
    rephrased = [v for v in versions if v.change == "share-back"]
    assert rephrased and rephrased[0].snapshot["title"].startswith("Dagelijkse zorg tijdelijk overgenomen, zodat Noor")
    assert any(v.change == "share-back-remove" for v in versions) and any(
        v.change == "share-back-add" for v in versions
    )
    check = service.member_check(session=db, review_id=review_id)
    assert check is not None and len(check.roles) == 8 and "Moeder (Sandra)" not in check.roles
    step = db.exec(
        select(ReviewStep).where(ReviewStep.review_id == review_id, ReviewStep.key == "share_back_held")
    ).one()
    assert step.status == StepStatus.done
