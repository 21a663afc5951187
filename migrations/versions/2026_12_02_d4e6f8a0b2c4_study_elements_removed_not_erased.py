"""study_elements.deleted: removing an overarching element keeps it (and its history) and can be undone, like a
life-line event, instead of erasing it

Revision ID: d4e6f8a0b2c4
Revises: b7d40c9e21f3
Create Date: 2026-12-02 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e6f8a0b2c4"
down_revision: str | None = "b7d40c9e21f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("study_elements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # Removed elements would come back as if never removed: erase them (and their history) first, as before.
    op.execute("DELETE FROM study_elements WHERE deleted")
    with op.batch_alter_table("study_elements", schema=None) as batch_op:
        batch_op.drop_column("deleted")
