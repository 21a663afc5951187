"""Request and response shapes of share links."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from app.http_schemas import RequestBody
from app.i18n import _
from app.validation import Clean

MAX_DAYS = 731
"""A link lives at most two years: teams re-read the tree a year later, not forever."""


class ShareLinkCreate(RequestBody):
    """A new read-only link: until when it works (a date means the end of that day, UTC) and a label."""

    expires_at: dt.date | dt.datetime
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Clean] = ""

    @field_validator("expires_at")
    @classmethod
    def _moment(cls, value: dt.datetime | dt.date) -> dt.datetime:
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=dt.UTC)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        now = dt.datetime.now(dt.UTC)
        if value <= now:
            raise ValueError(_("The expiry date must lie in the future."))
        if value > now + dt.timedelta(days=MAX_DAYS):
            raise ValueError(_("A share link can be valid for at most two years."))
        return value


class ShareLinkCreated(BaseModel):
    """The new link; its URL (with the token) is shown only now: only the token's hash is stored."""

    id: int
    url: str
    expires_at: dt.datetime


class ShareLinkOut(BaseModel):
    """A share link as listed (without its URL, which is not stored)."""

    id: int
    label: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    views: int
    last_viewed_at: dt.datetime | None
    active: bool = Field(description="Neither expired nor revoked")
