"""Helpers of the study tests: a study in the shared world with a case whose tree is coded, and its ids."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.findings.models import FindingNode, NodeTheme
from app.reviews import service as reviews
from app.reviews.models import Membership, Role
from app.reviews.schemas import MemberCreate, ReviewCreate
from app.studies import service
from app.studies.schemas import CaseCreate, ElementCreate, StudyCreate, SupportIn
from tests.world import Ids, World

FRAMEWORK = "working-elements"


@dataclass
class StudyIds:
    """A study (owner, researcher and reader as members; the outsider is none) with one case."""

    study_id: int
    review_id: int
    node_id: int
    other_node_id: int
    element_id: int
    case: Ids
    free_review_id: int = 0  # a review of the owner (researcher and reader are members) that is no case yet

    @property
    def params(self) -> dict[str, object]:
        """The path parameters these ids fill."""
        return {
            "study_id": self.study_id,
            "review_id": self.review_id,
            "node_id": self.node_id,
            "element_id": self.element_id,
            "theme": "one-family-plan",
            "key": FRAMEWORK,
        }

    def url(self, template: str) -> str:
        """A route template with these ids filled in."""
        return template.format_map(self.params)


def theme_id(session: Session, framework: str, key: str) -> int:
    """The id of a shipped framework's theme."""
    from app.findings import service as findings

    for item in findings.frameworks(session=session, review_id=0):
        if item.key == framework:
            return next(t.id for t in item.themes if t.key == key)
    raise AssertionError(framework)


def add_node(world: World, review_id: int, title: str, kind: str = "success_factor", **fields: Any) -> int:
    """A node of the review's findings tree (a main success factor unless told), stored in a turn of its own;
    its id."""
    with Session(world.engine) as session:
        node = FindingNode(review_id=review_id, kind=kind, title=title, **fields)
        session.add(node)
        session.commit()
        return node.id or 0


def code_in_tree(world: World, review_id: int, node_id: int, *keys: str) -> None:
    """Code a node in its review's own findings tree (what the matrix counts unless a coding is resolved)."""
    with Session(world.engine) as session:
        for key in keys:
            session.add(NodeTheme(review_id=review_id, node_id=node_id, theme_id=theme_id(session, FRAMEWORK, key)))
        session.commit()


def new_study(world: World, *, extra_case: int | None = None) -> StudyIds:
    """A fresh study owned by the world's owner, with its researcher and reader, one case (a fresh review of the
    world, its first node coded "one-family-plan") and one element backed by that node."""
    case = world.new_review("Casus studie")
    code_in_tree(world, case.review_id, case.node_id, "one-family-plan")
    with Session(world.engine, expire_on_commit=False) as session:
        owner = world.users["owner"]
        study = service.create_study(session=session, user=owner, data=StudyCreate(title="Drie casussen"))
        access = service.load_access(session=session, user=owner, study_id=study.id or 0)
        for role in ("researcher", "reader"):
            service.add_member(
                session=session, access=access, data=MemberCreate(email=f"{role}@example.org", role=Role(role))
            )
        service.add_case(session=session, access=access, data=CaseCreate(review_id=case.review_id))
        if extra_case:
            service.add_case(session=session, access=access, data=CaseCreate(review_id=extra_case))
        element = service.create_element(
            session=session,
            access=access,
            data=ElementCreate(
                title="Ouders zijn de belangrijkste partner",
                supports=[SupportIn(review_id=case.review_id, node_id=case.node_id)],
            ),
        )
        session.commit()
    free = owners_only_review(world)
    add_member(world, free, "researcher", Role.researcher)
    add_member(world, free, "reader", Role.reader)
    return StudyIds(study.id or 0, case.review_id, case.node_id, case.other_node_id, element.id or 0, case, free)


def owners_only_review(world: World, title: str = "Casus alleen eigenaar") -> int:
    """A review whose only member is the world's owner."""
    with Session(world.engine) as session:
        review = reviews.create_review(session=session, user=world.users["owner"], data=ReviewCreate(title=title))
        session.commit()
        return review.id or 0


def add_member(world: World, review_id: int, role: str, as_role: Role) -> None:
    """Make one of the world's users a member of a review."""
    with Session(world.engine) as session:
        session.add(Membership(review_id=review_id, user_id=world.users[role].id or 0, role=as_role))
        session.commit()
