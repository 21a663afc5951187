"""shared rate limits: attempts per key and minute, for every worker (PostgreSQL; SQLite counts in memory)

Revision ID: c979bfb1cde6
Revises: 169d6d224363
Create Date: 2026-11-23 13:54:33.462210
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c979bfb1cde6'
down_revision: str | None = '169d6d224363'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rate_limit_windows',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('window_no', sa.Integer(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window_no', name=op.f('pk_rate_limit_windows')),
    )


def downgrade() -> None:
    op.drop_table('rate_limit_windows')
