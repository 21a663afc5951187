"""Helpers for the interview tests: a review with one of everything, and URLs."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from app.audit import Actor
from app.auth.models import User
from app.interviews import service
from app.interviews.schemas import CandidateFactorCreate, GuideTopicCreate, InterviewCreate, NotesUpdate, QuoteCreate
from app.participants.models import ConsentScope, Participant, RoleCategory
from tests.world import consent_row


@dataclass
class Things:
    """Ids of an interview and what hangs on it, in a review."""

    review_id: int
    participant_id: int
    interview_id: int
    quote_id: int
    factor_id: int
    topic_key: str

    def url(self, template: str) -> str:
        """A route template with these ids filled in."""
        return template.format(**self.__dict__)


def make_things(engine: Engine, review_id: int, participant_id: int, user: User) -> Things:
    """An interview with notes on one topic, a quote, a candidate factor and a topic of the team's own."""
    with Session(engine, expire_on_commit=False) as session:
        interview = service.create_interview(
            session=session,
            review_id=review_id,
            user=user,
            data=InterviewCreate(participant_ids=[participant_id], held_on=dt.date(2024, 3, 5)),
        )
        interview_id = interview.id or 0
        service.save_notes(
            session=session,
            review_id=review_id,
            interview_id=interview_id,
            topic_key="life_course",
            user=user,
            data=NotesUpdate(text="Noor geboren in 2008.", version=0),
        )
        quote = service.create_quote(
            session=session,
            review_id=review_id,
            user=user,
            data=QuoteCreate(
                text="Iedereen begon steeds weer opnieuw.", participant_id=participant_id, interview_id=interview_id
            ),
        )
        factor = service.create_candidate_factor(
            session=session,
            review_id=review_id,
            user=user,
            data=CandidateFactorCreate(kind="success", title="Eén casemanager", interview_id=interview_id),
        )
        topic = service.add_topic(
            session=session, review_id=review_id, actor=Actor("test"), data=GuideTopicCreate(title="Wonen bij tante")
        )
        session.commit()
        return Things(review_id, participant_id, interview_id, quote.id or 0, factor.id or 0, topic.key)


def add_participant(
    engine: Engine, review_id: int, pseudonym: str, role_label: str, scopes: tuple[ConsentScope, ...] = ()
) -> int:
    """A participant with consent for the given scopes."""
    with Session(engine, expire_on_commit=False) as session:
        participant = Participant(
            review_id=review_id, pseudonym=pseudonym, role_category=RoleCategory.parent, role_label=role_label
        )
        session.add(participant)
        session.flush()
        session.add_all(consent_row(review_id, participant.id, scope) for scope in scopes)
        session.commit()
        return participant.id or 0
