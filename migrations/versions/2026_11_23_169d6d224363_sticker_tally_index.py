"""sticker tally index: stickers per (round, factor), counted on every sticker placed

Revision ID: 169d6d224363
Revises: 6695da4b4027
Create Date: 2026-11-23 12:28:21.449093
"""

from collections.abc import Sequence

from alembic import op

revision: str = '169d6d224363'
down_revision: str | None = '6695da4b4027'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_stickers_round_factor', 'stickers', ['round_id', 'factor_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_stickers_round_factor', table_name='stickers')
