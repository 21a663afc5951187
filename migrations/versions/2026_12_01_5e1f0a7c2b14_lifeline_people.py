"""life-line people and anchors: family members with their fuzzy birth dates, what each event's date was read
against (a person, another event, a reference date); undated and open-ended events have no earliest/latest

Revision ID: 5e1f0a7c2b14
Revises: 3462117a8346
Create Date: 2026-12-01 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = '5e1f0a7c2b14'
down_revision: str | None = "3462117a8346"
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
    op.create_table(
        'lifeline_anchors',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('reference_date', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['event_id'], ['lifeline_events.id'], name=op.f('fk_lifeline_anchors_event_id_lifeline_events'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['review_id'], ['reviews.id'], name=op.f('fk_lifeline_anchors_review_id_reviews'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_lifeline_anchors')),
    )
    with op.batch_alter_table('lifeline_anchors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lifeline_anchors_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lifeline_anchors_target_id'), ['target_id'], unique=False)
    with op.batch_alter_table('lifeline_events', schema=None) as batch_op:
        batch_op.alter_column('earliest', existing_type=sa.Date(), nullable=True)
        batch_op.alter_column('latest', existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('lifeline_events', schema=None) as batch_op:
        batch_op.alter_column('latest', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('earliest', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('lifeline_anchors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lifeline_anchors_target_id'))
        batch_op.drop_index(batch_op.f('ix_lifeline_anchors_review_id'))
    op.drop_table('lifeline_anchors')
    with op.batch_alter_table('lifeline_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lifeline_people_review_id'))
    op.drop_table('lifeline_people')
