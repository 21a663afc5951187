"""Request and response shapes of sticker rounds and stickers."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from app.group_interview.models import FactorKind
from app.http_schemas import RequestBody
from app.validation import Clean, Id
from app.voting.models import RoundStatus


class RoundCreate(RequestBody):
    """A sticker round: strengths (success factors) or improvement points (hindering factors)."""

    kind: FactorKind
    stickers_per_person: int = Field(default=3, ge=1, le=20)
    max_per_factor: int = Field(default=2, ge=1, le=20)
    anonymous: bool = True
    perspectives: bool = Field(
        default=False, description="Also count per side (family vs professionals); said on the phones before voting"
    )


class RoundOut(BaseModel):
    """A sticker round's settings and state."""

    id: int
    review_id: int
    kind: FactorKind
    stickers_per_person: int
    max_per_factor: int
    anonymous: bool
    status: RoundStatus
    perspectives: bool = False
    revealed: bool
    created_at: dt.datetime


class StickerCreate(RequestBody):
    """Place one sticker; a researcher places it for the tablet holder (``participant_id``, if given, must be them)."""

    factor_id: Id
    participant_id: Id | None = None
    client_key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$"), Clean] | None = Field(
        default=None, description="A random key per sticker: a retried request returns the same sticker"
    )


class StickerOut(BaseModel):
    """A placed sticker (answered only to whoever placed it)."""

    id: int
    round_id: int
    factor_id: int


class ResultOut(BaseModel):
    """How many stickers a factor got in a round."""

    factor_id: int
    stickers: int


class PerspectiveOut(BaseModel):
    """Stickers on one factor per side; null where that side had fewer than 3 voters in the round."""

    factor_id: int
    family: int | None = Field(description="Stickers of parents, children and their network")
    professional: int | None = Field(description="Stickers of professionals")


class NamedResultOut(ResultOut):
    """Per factor, with who placed them (named rounds only)."""

    by: dict[str, int]


class PaperCount(RequestBody):
    """Stickers counted on paper: per participant on a factor, or unnamed per factor."""

    factor_id: Id
    participant_id: Id | None = None
    stickers: int = Field(ge=0, le=100)


class PaperCounts(RequestBody):
    """The counts typed in by the facilitator; each replaces the earlier paper count of that cell."""

    counts: list[PaperCount] = Field(min_length=1, max_length=500)
