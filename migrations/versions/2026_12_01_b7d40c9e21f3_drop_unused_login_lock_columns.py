"""drop users.failed_logins and users.locked_until: login failures are counted per address in a window
(app.security, app.shared_limits) since the backoff change, so nothing reads or writes these columns any more

Revision ID: b7d40c9e21f3
Revises: 5e1f0a7c2b14
Create Date: 2026-12-01 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models

revision: str = "b7d40c9e21f3"
down_revision: str | None = "5e1f0a7c2b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", app.models.UTCDateTime(timezone=True), nullable=True))
