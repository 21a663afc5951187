"""Request and response shapes of the findings tree."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.findings.models import NodeBranch, NodeKind
from app.http_schemas import RequestBody
from app.validation import Clean, Id

EvidenceKind = Literal["event", "quote", "round", "document", "interview", "factor"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000), Clean]


class EvidenceOut(BaseModel):
    """One piece of evidence behind a node, with a readable label."""

    id: int
    kind: EvidenceKind
    ref_id: int
    label: str
    note: str
    merged: bool = Field(description="Copied in by merging another node")
    exportable: bool = Field(
        default=True, description="False for a quote whose speaker does not (or no longer) consent to quotes"
    )


class ThemeOut(BaseModel):
    """A framework theme a node is coded with."""

    id: int
    framework_key: str
    key: str
    title: str


class NodeOut(BaseModel):
    """A node of the findings tree with its children; ``stickers`` counts all rounds."""

    id: int
    title: str
    kind: str
    branch: str
    explanation: str
    stickers: int
    version: int
    parent_id: int | None
    factor_id: int | None
    evidence: list[EvidenceOut] = Field(default_factory=list)
    themes: list[ThemeOut] = Field(default_factory=list)
    merged: list[int] = Field(default_factory=list, description="Ids of nodes merged into this one")
    children: list["NodeOut"] = Field(default_factory=list)


class TreeOut(BaseModel):
    """The findings tree: the success at the root, hindering factors with recommendations, what works."""

    root: NodeOut
    hindering: list[NodeOut]
    what_works: list[NodeOut]


class NodeCreate(RequestBody):
    """A new node: under ``parent_id`` (or at the top of its branch)."""

    title: Title
    explanation: Text = ""
    branch: NodeBranch = NodeBranch.success
    kind: NodeKind | None = None
    parent_id: Id | None = None
    factor_id: Id | None = None


class NodeUpdate(RequestBody):
    """Rewrite a node; ``version`` is the one the change is based on (stale → 409)."""

    version: Id
    title: Title | None = None
    explanation: Text | None = None
    kind: NodeKind | None = None


class NodeMove(RequestBody):
    """Move a node under another (``parent_id`` null: the top of its branch) at ``position`` (0 = first)."""

    parent_id: Id | None
    position: int = Field(ge=0, le=10_000)
    branch: NodeBranch | None = None


class NodeMerge(RequestBody):
    """Merge duplicate nodes into one: their stickers, evidence and children are combined; undoable."""

    node_ids: list[Id] = Field(min_length=1, max_length=50)


class EvidenceCreate(RequestBody):
    """Link evidence to a node."""

    kind: EvidenceKind
    ref_id: Id
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Clean] = ""


class ThemesSet(RequestBody):
    """Code a node with framework themes (replaces its current coding)."""

    theme_ids: list[Id] = Field(max_length=60)


class NodeVersionOut(BaseModel):
    """One version of a node."""

    version: int
    change: str
    changed_by_label: str
    changed_at: dt.datetime
    title: str
    explanation: str
    parent_id: int | None
    position: int
    branch: str
    kind: str
    merged_into_id: int | None
    deleted: bool


class FrameworkOut(BaseModel):
    """A framework with its themes, in the reader's language."""

    id: int
    key: str
    title: str
    own: bool
    themes: list[ThemeOut]
