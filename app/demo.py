"""The demo case: gezin Bakker (fictional), from shared/demo-case.md, owned by this project.

Loaded by ``leerreview demo`` and by ``make run`` on an empty database. Other areas add their part of the
demo (life-line, interviews, group interview, findings) through ``DEMO_EXTENSIONS``.
"""

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, select

from app.auth.models import User
from app.auth.service import create_user
from app.db.base import utcnow
from app.participants.demo import add_consented
from app.participants.models import ConsentScope, Participant, RoleCategory
from app.reviews.models import Membership, Review, ReviewStep, Role, StepStatus
from app.reviews.schemas import ReviewCreate
from app.reviews.service import create_review

DEMO_PASSWORD = "demo-leerreview"
DEMO_LOGINS = (
    ("onderzoeker.a@example.org", DEMO_PASSWORD, "owner"),
    ("onderzoeker.b@example.org", DEMO_PASSWORD, "researcher"),
    ("team.lezer@example.org", DEMO_PASSWORD, "reader"),
)
_NAMES = {
    "onderzoeker.a@example.org": "Onderzoeker A",
    "onderzoeker.b@example.org": "Onderzoeker B",
    "team.lezer@example.org": "Teamlid (lezer)",
}

ALL = tuple(ConsentScope)
# pseudonym, role category, role label, organisation, function, under 16, consented scopes
PEOPLE: tuple[tuple[str, RoleCategory, str, str, str, bool, tuple[ConsentScope, ...]], ...] = (
    (
        "Moeder (Sandra)",
        RoleCategory.parent,
        "Moeder",
        "",
        "",
        False,
        (ConsentScope.interview, ConsentScope.group_interview, ConsentScope.quotes),
    ),
    (
        "Vader (Erik)",
        RoleCategory.parent,
        "Vader",
        "",
        "",
        False,
        (ConsentScope.interview, ConsentScope.group_interview),
    ),
    (
        "Noor (15)",
        RoleCategory.child,
        "Jongere",
        "",
        "",
        True,
        (ConsentScope.interview, ConsentScope.group_interview, ConsentScope.quotes),
    ),
    ("Tante Ilse", RoleCategory.family_network, "Tante", "", "", False, (ConsentScope.group_interview,)),
    ("Wijkteammedewerker", RoleCategory.professional, "Hulpverlener", "Wijkteam Oost", "casemanager", False, ALL),
    (
        "Intern begeleider",
        RoleCategory.professional,
        "Hulpverlener",
        "Het Baken (middelbare school)",
        "leerlingbegeleider",
        False,
        ALL,
    ),
    (
        "Gezinsvoogd",
        RoleCategory.professional,
        "Hulpverlener",
        "Jeugdbescherming Regio Zuid",
        "gezinsvoogd",
        False,
        ALL,
    ),
    ("GZ-psycholoog", RoleCategory.professional, "Hulpverlener", "Jeugd-GGZ De Linde", "GZ-psycholoog", False, ALL),
)

DemoExtension = Callable[[Session, Review, dict[str, User], dict[str, Participant]], None]
DEMO_EXTENSIONS: list[DemoExtension] = []


def _user(session: Session, email: str) -> User:
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing:
        return existing
    return create_user(session=session, email=email, name=_NAMES[email], password=DEMO_PASSWORD, language="nl")


def load_demo(*, session: Session) -> Review:
    """Create the demo review with its team, participants and consent, and let other areas add theirs."""
    users = {email: _user(session, email) for email, _password, _role in DEMO_LOGINS}
    owner = users["onderzoeker.a@example.org"]
    review = create_review(
        session=session,
        user=owner,
        data=ReviewCreate(
            title="Casusonderzoek gezin Bakker",
            collaboration="Wijkteam Oost + Jeugd-GGZ De Linde, gemeente Zuiderveen",
            case_pseudonym="gezin Bakker",
            selection_criteria=(
                "Meervoudige en complexe problematiek in het gezin; volgens de betrokkenen zijn hulp en "
                "samenwerking in de afgelopen 1–2 jaar gelukt."
            ),
            selection_reasons=(
                "Psychiatrische problematiek van moeder, huiselijk geweld en schoolverzuim. Volgens ouders, Noor "
                "en de betrokken professionals zijn hulp en samenwerking in 2022–2023 gelukt."
            ),
            success_statement=(
                "Noor woont sinds 2023 bij haar tante, gaat weer elke dag naar school, en moeder en Noor zien "
                "elkaar elke week; moeder en vader staan achter dit besluit."
            ),
            started_on=dt.date(2024, 2, 1),
            planned_end_on=dt.date(2024, 9, 30),
            retention_until=dt.date(2031, 12, 31),
        ),
    )
    review_id = review.id or 0
    for email, _password, role in DEMO_LOGINS[1:]:
        session.add(Membership(review_id=review_id, user_id=users[email].id or 0, role=Role(role)))
    participants: dict[str, Participant] = {}
    for pseudonym, category, role_label, organisation, function, under_16, scopes in PEOPLE:
        participant = Participant(
            review_id=review_id,
            pseudonym=pseudonym,
            role_category=category,
            role_label=role_label,
            organisation=organisation,
            function=function,
            under_16=under_16,
            prepared=True,
            prepared_on=dt.date(2024, 2, 20),
        )
        participants[pseudonym] = add_consented(
            session,
            participant,
            scopes=scopes,
            given_on=dt.date(2024, 2, 15),
            recorded_by=owner.id,
            given_by="Moeder (Sandra) en Vader (Erik)" if under_16 else "",
            information_version="v1.2",
        )
    session.flush()
    now = utcnow()
    for step in session.exec(select(ReviewStep).where(ReviewStep.review_id == review_id)):
        if step.phase == 1:
            step.status, step.completed_by, step.completed_at = StepStatus.done, owner.id, now
            session.add(step)
    from app.documents.demo import add_documents
    from app.findings.demo import add_findings
    from app.group_interview.demo import add_group_interview
    from app.interviews.demo import add_interviews
    from app.share_back.demo import add_share_back
    from app.studies.demo import add_study
    from app.timeline.demo import add_lifeline  # the areas add their own part of the demo

    extensions = (
        add_lifeline,
        add_interviews,
        add_documents,
        add_group_interview,
        add_findings,
        add_share_back,
        add_study,
    )
    for extend in (*extensions, *DEMO_EXTENSIONS):
        extend(session, review, users, participants)
    return review
