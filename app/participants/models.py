"""The tables of participants and their consents."""

import datetime as dt
from enum import StrEnum

from sqlmodel import Field

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import ReviewRow, enum_type, ts_column, utcnow
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class RoleCategory(StrEnum):
    """What kind of participant someone is in the case."""

    parent = "parent"
    child = "child"
    family_network = "family_network"
    professional = "professional"


class ConsentScope(StrEnum):
    """What a participant can agree to (toestemming)."""

    interview = "interview"
    group_interview = "group_interview"
    file_study = "file_study"
    information_sharing = "information_sharing"
    quotes = "quotes"


class ConsentMethod(StrEnum):
    """How a consent was recorded."""

    written = "written"
    verbal = "verbal"
    digital = "digital"


class WithdrawalEffect(StrEnum):
    """What happens to a participant's contributions when consent is withdrawn."""

    exclude = "exclude"
    remove = "remove"


class Participant(ReviewRow, table=True):
    """Someone who takes part in the review: a parent, child, family network member or professional."""

    __tablename__ = "participants"

    pseudonym: str = Field(max_length=120)
    role_category: RoleCategory = Field(sa_type=enum_type(RoleCategory))
    role_label: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    function: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=500)
    under_16: bool = False
    selected: bool = True
    prepared: bool = False
    prepared_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Consent(ReviewRow, table=True):
    """A consent given for one scope; withdrawal is recorded on the same row, a new consent is a new row."""

    __tablename__ = "consents"

    participant_id: int = Field(foreign_key="participants.id", ondelete="CASCADE", index=True)
    scope: ConsentScope = Field(sa_type=enum_type(ConsentScope))
    given_on: dt.date
    method: ConsentMethod = Field(sa_type=enum_type(ConsentMethod))
    given_by: str = Field(default="", max_length=200)
    information_version: str = Field(default="", max_length=100)
    notes: str = Field(default="", max_length=2000)
    recorded_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    withdrawn_on: dt.date | None = None
    withdrawal_note: str = Field(default="", max_length=2000)
    withdrawal_effect: str = Field(default="", max_length=10)
    withdrawn_recorded_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    withdrawn_recorded_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
