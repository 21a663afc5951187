"""The tables of the studies area: a study, its members and cases, coders' codings and overarching elements."""

import datetime as dt

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db.base import Created, CreatedUpdated, VersionRow, ts_column, utcnow
from app.reviews.models import Member


class Study(CreatedUpdated, table=True):
    """A study (cross-case synthesis) that groups several case reviews."""

    __tablename__ = "studies"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    research_question: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    revealed_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class StudyRow(SQLModel):
    """The head the study's tables share: an ``id`` and the ``study_id`` of the study the row belongs to
    (indexed, and deleted with the study); the table's own columns follow."""

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)


class StudyMember(StudyRow, Member, table=True):
    """A user's role in a study (owner, researcher, reader — as for reviews)."""

    __tablename__ = "study_members"
    __table_args__ = (UniqueConstraint("study_id", "user_id"),)


class StudyCase(StudyRow, table=True):
    """A review taken into a study as one case, with free key/value attributes to filter and group by."""

    __tablename__ = "study_cases"
    __table_args__ = (UniqueConstraint("study_id", "review_id"),)

    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    attributes_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    position: int = 0
    added_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    added_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StudyCoding(StudyRow, table=True):
    """One coder's coding of one findings-tree node with a framework's themes (``coder_id`` null: the resolved,
    agreed coding that becomes the study's coding, with its rationale)."""

    __tablename__ = "study_codings"
    __table_args__ = (UniqueConstraint("study_id", "node_id", "framework_key", "coder_id"),)

    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    framework_key: str = Field(max_length=60)
    coder_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE", index=True)
    theme_keys_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    rationale: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StudyElement(StudyRow, table=True):
    """An overarching working element (werkzaam element) of a study; ``version`` guards concurrent edits."""

    __tablename__ = "study_elements"

    title: str = Field(max_length=300)
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    theme_keys_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    position: int = 0
    version: int = 1
    deleted: bool = False  # removed from the study's list, kept with its history, restorable
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StudyElementSupport(StudyRow, table=True):
    """A findings-tree node of one case that supports (or, ``counter``, contradicts) an overarching element."""

    __tablename__ = "study_element_supports"
    __table_args__ = (UniqueConstraint("element_id", "node_id"),)

    element_id: int = Field(foreign_key="study_elements.id", ondelete="CASCADE", index=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    counter: bool = False


class StudyElementVersion(VersionRow, table=True):
    """One version of an overarching element: who changed what, when."""

    __tablename__ = "study_element_versions"
    __table_args__ = (UniqueConstraint("element_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    element_id: int = Field(foreign_key="study_elements.id", ondelete="CASCADE", index=True)
    snapshot_json: str = Field(sa_column=Column(Text, nullable=False))


class StudyLiteratureVerdict(StudyRow, table=True):
    """A researcher's verdict on one framework element in one case (recognised / partly / not seen), overriding
    the one proposed from the coding, with a note."""

    __tablename__ = "study_literature_verdicts"
    __table_args__ = (UniqueConstraint("study_id", "framework_key", "theme_key", "review_id"),)

    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    framework_key: str = Field(max_length=60)
    theme_key: str = Field(max_length=80)
    verdict: str = Field(max_length=12)
    note: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StudyFramework(StudyRow, Created, table=True):
    """A study's own framework (an imported codebook): its themes as JSON ``[{"key", "name", "description",
    "group", "guid"}]``, in order."""

    __tablename__ = "study_frameworks"
    __table_args__ = (UniqueConstraint("study_id", "key"),)

    key: str = Field(max_length=60)
    title: str = Field(max_length=300)
    themes_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
