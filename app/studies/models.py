"""The tables of the studies area: a study, its members and cases, coders' codings and overarching elements."""

import datetime as dt

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db.base import Created, CreatedUpdated, UTCDateTime, VersionRow, enum_type, utcnow
from app.reviews.models import Role


def _ts() -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=False)


class Study(CreatedUpdated, table=True):
    """A study (cross-case synthesis) that groups several case reviews."""

    __tablename__ = "studies"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    research_question: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    revealed_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class StudyMember(SQLModel, table=True):
    """A user's role in a study (owner, researcher, reader — as for reviews)."""

    __tablename__ = "study_members"
    __table_args__ = (UniqueConstraint("study_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    role: Role = Field(sa_type=enum_type(Role))
    added_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StudyCase(SQLModel, table=True):
    """A review taken into a study as one case, with free key/value attributes to filter and group by."""

    __tablename__ = "study_cases"
    __table_args__ = (UniqueConstraint("study_id", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    attributes_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    position: int = 0
    added_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    added_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StudyCoding(SQLModel, table=True):
    """One coder's coding of one findings-tree node with a framework's themes (``coder_id`` null: the resolved,
    agreed coding that becomes the study's coding, with its rationale)."""

    __tablename__ = "study_codings"
    __table_args__ = (UniqueConstraint("study_id", "node_id", "framework_key", "coder_id"),)

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    node_id: int = Field(foreign_key="finding_nodes.id", ondelete="CASCADE", index=True)
    framework_key: str = Field(max_length=60)
    coder_id: int | None = Field(default=None, foreign_key="users.id", ondelete="CASCADE", index=True)
    theme_keys_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    rationale: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StudyElement(SQLModel, table=True):
    """An overarching working element (werkzaam element) of a study; ``version`` guards concurrent edits."""

    __tablename__ = "study_elements"

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=300)
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    theme_keys_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    position: int = 0
    version: int = 1
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StudyElementSupport(SQLModel, table=True):
    """A findings-tree node of one case that supports (or, ``counter``, contradicts) an overarching element."""

    __tablename__ = "study_element_supports"
    __table_args__ = (UniqueConstraint("element_id", "node_id"),)

    id: int | None = Field(default=None, primary_key=True)
    element_id: int = Field(foreign_key="study_elements.id", ondelete="CASCADE", index=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
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


class StudyLiteratureVerdict(SQLModel, table=True):
    """A researcher's verdict on one framework element in one case (recognised / partly / not seen), overriding
    the one proposed from the coding, with a note."""

    __tablename__ = "study_literature_verdicts"
    __table_args__ = (UniqueConstraint("study_id", "framework_key", "theme_key", "review_id"),)

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    review_id: int = Field(foreign_key="reviews.id", ondelete="CASCADE", index=True)
    framework_key: str = Field(max_length=60)
    theme_key: str = Field(max_length=80)
    verdict: str = Field(max_length=12)
    note: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class StudyFramework(Created, table=True):
    """A study's own framework (an imported codebook): its themes as JSON ``[{"key", "name", "description",
    "group", "guid"}]``, in order."""

    __tablename__ = "study_frameworks"
    __table_args__ = (UniqueConstraint("study_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    study_id: int = Field(foreign_key="studies.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=60)
    title: str = Field(max_length=300)
    themes_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
