"""share-back meetings: the meeting (its room a group_interviews row, purpose share_back), reactions, decisions

Revision ID: 8ad43a9287b7
Revises: c979bfb1cde6
Create Date: 2026-12-01 18:32:33.723265
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models

revision: str = "8ad43a9287b7"
down_revision: str | None = "c979bfb1cde6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_back_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("current_node_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_share_back_meetings_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["current_node_id"],
            ["finding_nodes.id"],
            name=op.f("fk_share_back_meetings_current_node_id_finding_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_share_back_meetings_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["group_interviews.id"],
            name=op.f("fk_share_back_meetings_room_id_group_interviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_back_meetings")),
        sa.UniqueConstraint("room_id", name=op.f("uq_share_back_meetings_room_id")),
    )
    with op.batch_alter_table("share_back_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_back_meetings_review_id"), ["review_id"], unique=False)

    op.create_table(
        "share_back_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("kept", "rephrased", "removed", "added", name="decision", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("title_before", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("title_after", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("node_version", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", app.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_share_back_decisions_decided_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["share_back_meetings.id"],
            name=op.f("fk_share_back_decisions_meeting_id_share_back_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["finding_nodes.id"],
            name=op.f("fk_share_back_decisions_node_id_finding_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_share_back_decisions_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_back_decisions")),
        sa.UniqueConstraint("meeting_id", "node_id", name=op.f("uq_share_back_decisions_meeting_id")),
    )
    with op.batch_alter_table("share_back_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_back_decisions_review_id"), ["review_id"], unique=False)

    op.create_table(
        "share_back_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column(
            "reaction",
            sa.Enum("agree", "partly", "disagree", name="reaction", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("updated_at", app.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["share_back_meetings.id"],
            name=op.f("fk_share_back_reactions_meeting_id_share_back_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["finding_nodes.id"],
            name=op.f("fk_share_back_reactions_node_id_finding_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_share_back_reactions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name=op.f("fk_share_back_reactions_review_id_reviews"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_back_reactions")),
        sa.UniqueConstraint("meeting_id", "node_id", "participant_id", name=op.f("uq_share_back_reactions_meeting_id")),
    )
    with op.batch_alter_table("share_back_reactions", schema=None) as batch_op:
        batch_op.create_index("ix_share_back_reactions_meeting_node", ["meeting_id", "node_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_back_reactions_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_back_reactions_review_id"), ["review_id"], unique=False)

    with op.batch_alter_table("group_interviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "purpose",
                sa.Enum("group_interview", "share_back", name="roompurpose", native_enum=False, length=30),
                nullable=False,
                server_default="group_interview",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("group_interviews", schema=None) as batch_op:
        batch_op.drop_column("purpose")

    with op.batch_alter_table("share_back_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_back_reactions_review_id"))
        batch_op.drop_index(batch_op.f("ix_share_back_reactions_participant_id"))
        batch_op.drop_index("ix_share_back_reactions_meeting_node")

    op.drop_table("share_back_reactions")
    with op.batch_alter_table("share_back_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_back_decisions_review_id"))

    op.drop_table("share_back_decisions")
    with op.batch_alter_table("share_back_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_back_meetings_review_id"))

    op.drop_table("share_back_meetings")
