"""The tables of the findings tree, its versions, evidence and frameworks."""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.auth import models as _auth_tables  # noqa: F401  (foreign-key targets)
from app.db.base import ReviewRow, VersionRow, enum_type, json_column, ts_column, utcnow
from app.group_interview import models as _group_interview_tables  # noqa: F401  (foreign-key targets)
from app.reviews import models as _reviews_tables  # noqa: F401  (foreign-key targets)


class NodeBranch(StrEnum):
    """The three branches of the findings tree."""

    success = "success"
    hindering = "hindering"
    what_works = "what_works"


class NodeKind(StrEnum):
    """What a node of the findings tree is; each kind belongs to one branch (``BRANCH_OF_KIND``)."""

    success_factor = "success_factor"
    contributing = "contributing"
    hindering = "hindering"
    recommendation = "recommendation"
    what_works = "what_works"


BRANCH_OF_KIND = {
    NodeKind.success_factor: NodeBranch.success,
    NodeKind.contributing: NodeBranch.success,
    NodeKind.hindering: NodeBranch.hindering,
    NodeKind.recommendation: NodeBranch.hindering,
    NodeKind.what_works: NodeBranch.what_works,
}
"""The branch each kind of node belongs to."""


class FindingNode(ReviewRow, table=True):
    """A node of the findings tree (bevindingenboom); the root is the review's success statement.

    ``branch`` is ``success`` (main success factors and their contributing factors), ``hindering`` (hindering
    factors with their recommendations) or ``what_works``. A node merged into another keeps its row with
    ``merged_into_id`` set, so the merge can be undone. Every change is a ``FindingNodeVersion``.
    """

    __tablename__ = "finding_nodes"

    parent_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    branch: NodeBranch = Field(default=NodeBranch.success, sa_type=enum_type(NodeBranch, length=12))
    kind: NodeKind = Field(default=NodeKind.success_factor, sa_type=enum_type(NodeKind, length=20))
    title: str = Field(max_length=300)
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    position: int = 0
    factor_id: int | None = Field(default=None, foreign_key="factors.id", ondelete="SET NULL")
    merged_into_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="SET NULL")
    version: int = 1
    deleted: bool = False
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    updated_by: str = Field(default="", max_length=200)


class FindingNodeVersion(ReviewRow, VersionRow, table=True):
    """One version of a findings-tree node: who changed what, when."""

    __tablename__ = "finding_node_versions"
    __table_args__ = (UniqueConstraint("node_id", "version"),)

    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    changed_by_label: str = Field(default="", max_length=200)
    snapshot: dict[str, Any] = Field(sa_column=json_column("snapshot_json"))


class FindingEvidence(ReviewRow, table=True):
    """Evidence behind a node: a life-line event, quote, sticker round, document, interview or factor.

    ``from_node_id`` is set on evidence copied in by a merge, so undoing the merge removes exactly those.
    """

    __tablename__ = "finding_evidence"

    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=12)
    ref_id: int
    note: str = Field(default="", max_length=500)
    from_node_id: int | None = Field(default=None, foreign_key="finding_nodes.id", ondelete="CASCADE")


class Framework(SQLModel, table=True):
    """A coding scheme from the literature, or a team's own (``review_id`` set): data, not code."""

    __tablename__ = "frameworks"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int | None = Field(default=None, foreign_key="reviews.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=60)
    title_nl: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    source: str = Field(default="", max_length=500)


class FrameworkTheme(SQLModel, table=True):
    """One theme of a framework (e.g. "communication"), optionally in a group."""

    __tablename__ = "framework_themes"

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="frameworks.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=80)
    group_nl: str = Field(default="", max_length=200)
    group_en: str = Field(default="", max_length=200)
    title_nl: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    position: int = 0


class NodeTheme(ReviewRow, table=True):
    """A findings-tree node coded with a framework theme."""

    __tablename__ = "node_themes"
    __table_args__ = (UniqueConstraint("node_id", "theme_id"),)

    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    theme_id: int = Field(foreign_key="framework_themes.id", ondelete="CASCADE", index=True)
