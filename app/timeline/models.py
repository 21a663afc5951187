"""Tables of the life-line area that are new with dated phrases: the people of the life-line (family members
with their fuzzy birth dates, which ages and school stages are read against)."""

import datetime as dt

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models import UTCDateTime, utcnow


class LifelinePerson(SQLModel, table=True):
    """A person of the life-line (e.g. the child Sem) and what was said about their birth ("voorjaar 2010")."""

    __tablename__ = "lifeline_people"
    __table_args__ = (UniqueConstraint("review_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=120)
    born_text: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LifelineAnchor(SQLModel, table=True):
    """What an event's date was read against: the person or other event it is anchored on ("toen Sem 7 was",
    "een jaar na de verhuizing"), so that a correction of the anchor moves it, and the reference date
    ("vorige zomer" said in an interview of 10 March 2020). One row per event whose date needed one."""

    __tablename__ = "lifeline_anchors"

    event_id: int = Field(foreign_key="lifeline_events.id", ondelete="CASCADE", primary_key=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    kind: str | None = Field(default=None, max_length=10)  # "person", "event", or None (reference date only)
    target_id: int | None = Field(default=None, index=True)
    reference_date: dt.date | None = None
