"""live_events by (group interview, id), for the streams' reads and the last event before a transaction's own; the
stickers' round_id index dropped (the (round, factor) index and the (round, participant, client key) constraint both
begin with the round: a third copy cost every sticker placed an index write)

Revision ID: e5a7c9b1d3f6
Revises: d4e6f8a0b2c4
Create Date: 2026-12-07 17:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5a7c9b1d3f6"
down_revision: str | None = "d4e6f8a0b2c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_live_events_interview_event", "live_events", ["group_interview_id", "id"], unique=False)
    op.drop_index("ix_live_events_group_interview_id", table_name="live_events")
    op.drop_index("ix_stickers_round_id", table_name="stickers")


def downgrade() -> None:
    op.create_index("ix_stickers_round_id", "stickers", ["round_id"], unique=False)
    op.create_index("ix_live_events_group_interview_id", "live_events", ["group_interview_id"], unique=False)
    op.drop_index("ix_live_events_interview_event", table_name="live_events")
