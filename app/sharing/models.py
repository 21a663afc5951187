"""The tables of read-only share links."""

import datetime as dt

from sqlmodel import Field

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import Created, ReviewRow, ts_column
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class ShareLink(ReviewRow, Created, table=True):
    """A read-only link for teams (tree, report, life-line) with an expiry; only the token's hash is kept."""

    __tablename__ = "share_links"

    token_hash: str = Field(max_length=64, unique=True, index=True)
    label: str = Field(default="", max_length=200)
    expires_at: dt.datetime = Field(sa_column=ts_column())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    views: int = 0
    last_viewed_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
