"""HTTP routes of the findings tree (API v1): the tree and its changes, the figure and the one-page print."""

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import Field, StringConstraints

from app.db import SessionDep
from app.deps import MemberDep, PathId, WriterDep
from app.downloads import LateFile, download, log_export
from app.findings import figure, service
from app.findings.schemas import (
    EvidenceCreate,
    FrameworkOut,
    NodeCreate,
    NodeMerge,
    NodeMove,
    NodeOut,
    NodeUpdate,
    NodeVersionOut,
    ThemesSet,
    TreeOut,
)
from app.http_schemas import RequestBody
from app.i18n import current_language
from app.validation import Clean

api = APIRouter(tags=["findings tree"])


def _node(session: SessionDep, review_id: int, node_id: int) -> NodeOut:
    """The node as it appears in the tree now (a merged node: its own row, without the merge)."""
    found = _find(service.tree(session=session, review_id=review_id), node_id)
    if found is not None:
        return found
    return service.node_out(service.get_node(session=session, review_id=review_id, node_id=node_id))


def _find(tree: TreeOut, node_id: int) -> NodeOut | None:
    stack = [tree.root, *tree.hindering, *tree.what_works]
    while stack:
        node = stack.pop()
        if node.id == node_id:
            return node
        stack.extend(node.children)
    return None


@api.get("/reviews/{review_id}/findings-tree", response_model=TreeOut)
def read_tree(session: SessionDep, access: MemberDep) -> TreeOut:
    """The findings tree: ``root`` (the success) with its branches, plus hindering factors and what works."""
    return service.tree(session=session, review_id=access.review_id)


@api.post("/reviews/{review_id}/findings-tree/propose", response_model=TreeOut, status_code=201)
def propose_tree(session: SessionDep, access: WriterDep) -> TreeOut:
    """Propose a tree from the group interview's factors and stickers (only while the tree is empty)."""
    return service.propose(session=session, review_id=access.review_id, user=access.viewer.user)


@api.post("/reviews/{review_id}/findings-tree/nodes", response_model=NodeOut, status_code=201)
def create_node(session: SessionDep, access: WriterDep, data: NodeCreate) -> NodeOut:
    """Add a node: a main success factor, a contributing factor, a hindering factor, a recommendation."""
    node = service.create_node(session=session, review_id=access.review_id, data=data, user=access.viewer.user)
    return _node(session, access.review_id, node.id or 0)


@api.patch("/reviews/{review_id}/findings-tree/nodes/{node_id}", response_model=NodeOut)
def update_node(session: SessionDep, access: WriterDep, node_id: PathId, data: NodeUpdate) -> NodeOut:
    """Rewrite a node; send the ``version`` you started from (a stale one answers 409)."""
    service.update_node(
        session=session, review_id=access.review_id, node_id=node_id, data=data, user=access.viewer.user
    )
    return _node(session, access.review_id, node_id)


@api.post("/reviews/{review_id}/findings-tree/nodes/{node_id}/move", response_model=NodeOut)
def move_node(session: SessionDep, access: WriterDep, node_id: PathId, data: NodeMove) -> NodeOut:
    """Move a node under ``parent_id`` (null: top of its branch) at ``position``; under its own descendant: 409."""
    service.move_node(session=session, review_id=access.review_id, node_id=node_id, data=data, user=access.viewer.user)
    return _node(session, access.review_id, node_id)


@api.post("/reviews/{review_id}/findings-tree/nodes/{node_id}/merge", response_model=NodeOut)
def merge_nodes(session: SessionDep, access: WriterDep, node_id: PathId, data: NodeMerge) -> NodeOut:
    """Merge duplicate nodes into this one (stickers, evidence and sub-factors combined; undoable)."""
    service.merge_nodes(
        session=session, review_id=access.review_id, into_id=node_id, data=data, user=access.viewer.user
    )
    return _node(session, access.review_id, node_id)


@api.post("/reviews/{review_id}/findings-tree/nodes/{node_id}/unmerge", response_model=NodeOut)
def unmerge_node(session: SessionDep, access: WriterDep, node_id: PathId) -> NodeOut:
    """Undo the merge of this node."""
    service.unmerge_node(session=session, review_id=access.review_id, node_id=node_id, user=access.viewer.user)
    return _node(session, access.review_id, node_id)


@api.delete("/reviews/{review_id}/findings-tree/nodes/{node_id}", status_code=204)
def delete_node(session: SessionDep, access: WriterDep, node_id: PathId) -> Response:
    """Delete a node and what hangs beneath it (restorable)."""
    service.set_deleted(
        session=session, review_id=access.review_id, node_id=node_id, deleted=True, user=access.viewer.user
    )
    return Response(status_code=204)


@api.post("/reviews/{review_id}/findings-tree/nodes/{node_id}/restore", response_model=NodeOut)
def restore_node(session: SessionDep, access: WriterDep, node_id: PathId) -> NodeOut:
    """Restore a deleted node."""
    service.set_deleted(
        session=session, review_id=access.review_id, node_id=node_id, deleted=False, user=access.viewer.user
    )
    return _node(session, access.review_id, node_id)


@api.get("/reviews/{review_id}/findings-tree/nodes/{node_id}/history", response_model=list[NodeVersionOut])
def node_history(session: SessionDep, access: MemberDep, node_id: PathId) -> list[NodeVersionOut]:
    """Every version of a node: who changed what, when (merges and moves included)."""
    return service.history(session=session, review_id=access.review_id, node_id=node_id)


@api.post("/reviews/{review_id}/findings-tree/nodes/{node_id}/evidence", response_model=NodeOut, status_code=201)
def add_evidence(session: SessionDep, access: WriterDep, node_id: PathId, data: EvidenceCreate) -> NodeOut:
    """Back a node with evidence: a life-line event, a consented quote, a sticker round, a document, an interview."""
    service.add_evidence(
        session=session, review_id=access.review_id, node_id=node_id, data=data, user=access.viewer.user
    )
    return _node(session, access.review_id, node_id)


@api.delete("/reviews/{review_id}/findings-tree/nodes/{node_id}/evidence/{evidence_id}", status_code=204)
def remove_evidence(session: SessionDep, access: WriterDep, node_id: PathId, evidence_id: PathId) -> Response:
    """Unlink evidence from a node."""
    service.remove_evidence(
        session=session,
        review_id=access.review_id,
        node_id=node_id,
        evidence_id=evidence_id,
        user=access.viewer.user,
    )
    return Response(status_code=204)


@api.put("/reviews/{review_id}/findings-tree/nodes/{node_id}/themes", response_model=NodeOut)
def set_themes(session: SessionDep, access: WriterDep, node_id: PathId, data: ThemesSet) -> NodeOut:
    """Code a node with framework themes (replaces its coding)."""
    service.set_themes(
        session=session,
        review_id=access.review_id,
        node_id=node_id,
        theme_ids=data.theme_ids,
        user=access.viewer.user,
    )
    return _node(session, access.review_id, node_id)


@api.get("/reviews/{review_id}/frameworks", response_model=list[FrameworkOut])
def list_frameworks(session: SessionDep, access: MemberDep) -> list[FrameworkOut]:
    """The frameworks from the literature and the team's own, with their themes."""
    return service.frameworks(session=session, review_id=access.review_id)


class FrameworkCreate(RequestBody):
    """A team's own framework."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]
    themes: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), Clean]] = Field(
        min_length=1, max_length=40
    )


@api.post("/reviews/{review_id}/frameworks", response_model=list[FrameworkOut], status_code=201)
def add_framework(session: SessionDep, access: WriterDep, data: FrameworkCreate) -> list[FrameworkOut]:
    """Add the team's own framework for coding factors."""
    service.add_framework(
        session=session, review_id=access.review_id, title=data.title, themes=data.themes, user=access.viewer.user
    )
    return service.frameworks(session=session, review_id=access.review_id)


@api.get("/reviews/{review_id}/findings-tree/figure")
def tree_figure(session: SessionDep, access: MemberDep) -> Response:
    """The tree as a plotly figure (JSON with ``data`` and ``layout``; each node's id in ``customdata``)."""
    tree = service.tree(session=session, review_id=access.review_id)
    return Response(figure.figure_json(tree, current_language()), media_type="application/json")


@api.get("/reviews/{review_id}/findings-tree.svg")
def tree_svg(session: SessionDep, access: MemberDep) -> Response:
    """The whole tree on one A3 landscape page, as SVG."""
    tree = service.tree(session=session, review_id=access.review_id)
    svg = figure.tree_svg(tree, current_language(), title=access.review.case_pseudonym or None)
    log_export(session, access, "findings-tree.svg")
    return download(svg, "bevindingenboom.svg")


@api.get("/reviews/{review_id}/findings-tree.pdf")
def tree_pdf(session: SessionDep, access: MemberDep) -> Response:
    """The whole tree on one A3 landscape page, as PDF for the wall."""
    tree = service.tree(session=session, review_id=access.review_id)
    log_export(session, access, "findings-tree.pdf")
    lang, title = current_language(), access.review.case_pseudonym or None
    return LateFile(lambda: figure.tree_pdf(tree, lang, title=title), filename="bevindingenboom.pdf")
