"""The tables of sticker rounds and stickers."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from app.db.base import ReviewRow, enum_type, ts_column, utcnow
from app.group_interview import models as _group_interview_tables  # noqa: F401  (foreign-key targets)
from app.group_interview.models import FactorKind
from app.participants import models as _participants_tables  # noqa: F401  (foreign-key targets)
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class RoundStatus(StrEnum):
    """Where a sticker round stands: prepared, open for stickers, or closed."""

    draft = "draft"
    open = "open"
    closed = "closed"


class StickerSource(StrEnum):
    """How a sticker was placed: on a participant's phone, on the room's tablet, or counted from paper."""

    phone = "phone"
    tablet = "tablet"
    paper = "paper"


class StickerRound(ReviewRow, table=True):
    """A round of sticker (dot) voting: strengths (success factors) or improvement points (hindering)."""

    __tablename__ = "sticker_rounds"

    group_interview_id: int = Field(foreign_key="group_interviews.id", ondelete="CASCADE", index=True)
    kind: FactorKind = Field(sa_type=enum_type(FactorKind))
    stickers_per_person: int = 3
    max_per_factor: int = 2
    anonymous: bool = True
    # Results also per side (family vs professionals), each shown only with at least 3 voters (issue 13).
    perspectives: bool = False
    status: RoundStatus = Field(default=RoundStatus.draft, sa_type=enum_type(RoundStatus, length=10))
    revealed: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class Sticker(ReviewRow, table=True):
    """One sticker on one factor; ``participant_id`` is null for unnamed paper stickers.

    ``client_key`` makes placing idempotent: a phone that retries after a lost answer gets the same sticker.
    """

    __tablename__ = "stickers"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id", "client_key"),
        # The live tally counts a round's stickers per factor on every sticker: a covering index keeps it cheap.
        Index("ix_stickers_round_factor", "round_id", "factor_id"),
    )

    # No index of its own: both indexes above begin with the round.
    round_id: int = Field(foreign_key="sticker_rounds.id", ondelete="CASCADE")
    factor_id: int = Field(foreign_key="factors.id", ondelete="CASCADE", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participants.id", ondelete="CASCADE", index=True)
    source: StickerSource = Field(default=StickerSource.phone, sa_type=enum_type(StickerSource, length=10))
    client_key: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
