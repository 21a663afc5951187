"""Request and response shapes of participants and consent."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from app.http_schemas import RequestBody
from app.participants.models import ConsentMethod, ConsentScope, RoleCategory, WithdrawalEffect
from app.validation import Clean

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), Clean]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), Clean]


class ParticipantCreate(RequestBody):
    """A new participant: the pseudonym is what appears everywhere."""

    pseudonym: Name
    role_category: RoleCategory
    role_label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), Clean] = ""
    organisation: Short = ""
    function: Short = ""
    contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Clean] = ""
    under_16: bool = False
    selected: bool = True
    prepared: bool = False
    prepared_on: dt.date | None = None


class ParticipantUpdate(RequestBody):
    """Changed fields of a participant."""

    pseudonym: Name | None = None
    role_category: RoleCategory | None = None
    role_label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), Clean] | None = None
    organisation: Short | None = None
    function: Short | None = None
    contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Clean] | None = None
    under_16: bool | None = None
    selected: bool | None = None
    prepared: bool | None = None
    prepared_on: dt.date | None = None


class ConsentCreate(RequestBody):
    """Consent given for one scope."""

    scope: ConsentScope
    given_on: dt.date
    method: ConsentMethod
    given_by: Short = ""
    information_version: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), Clean] = ""
    notes: Note = ""


class ConsentWithdraw(RequestBody):
    """Withdrawal of a consent, and what happens to the participant's contributions."""

    withdrawn_on: dt.date
    effect: WithdrawalEffect = WithdrawalEffect.exclude
    note: Note = ""


class ConsentOut(BaseModel):
    """One consent record, with its withdrawal if any."""

    id: int
    participant_id: int
    scope: ConsentScope
    given_on: dt.date
    method: ConsentMethod
    given_by: str
    information_version: str
    notes: str
    recorded_by: int | None
    recorded_at: dt.datetime
    withdrawn_on: dt.date | None
    withdrawal_effect: str
    withdrawal_note: str
    withdrawn_recorded_at: dt.datetime | None
    active: bool


class ParticipantOut(BaseModel):
    """A participant with the scopes they currently consent to."""

    id: int
    review_id: int
    pseudonym: str
    role_category: RoleCategory
    role_label: str
    organisation: str
    function: str
    contact: str
    under_16: bool
    selected: bool
    prepared: bool
    prepared_on: dt.date | None
    consented_scopes: list[ConsentScope]
