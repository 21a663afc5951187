"""life-line people: family members with their fuzzy birth dates (ages and school stages are read against them)

Revision ID: 5e1f0a7c2b14
Revises: c979bfb1cde6
Create Date: 2026-12-01 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = '5e1f0a7c2b14'
down_revision: str | None = 'c979bfb1cde6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'lifeline_people',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('born_text', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('created_at', app.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['review_id'], ['reviews.id'], name=op.f('fk_lifeline_people_review_id_reviews'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lifeline_people')),
        sa.UniqueConstraint('review_id', 'name', name=op.f('uq_lifeline_people_review_id')),
    )
    with op.batch_alter_table('lifeline_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lifeline_people_review_id'), ['review_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lifeline_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lifeline_people_review_id'))
    op.drop_table('lifeline_people')
