"""Use cases of the findings tree (bevindingenboom): proposal from the stickers, editing with history,
moving without cycles, merging (undoable), evidence and framework themes."""

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app import audit
from app.audit import Actor
from app.auth.models import User
from app.db import of_review
from app.db.base import from_row, utcnow
from app.documents.models import Document
from app.errors import Conflict, InvalidInput, NotFound
from app.findings.models import (
    BRANCH_OF_KIND,
    FindingEvidence,
    FindingNode,
    FindingNodeVersion,
    Framework,
    FrameworkTheme,
    NodeBranch,
    NodeKind,
    NodeTheme,
)
from app.findings.schemas import (
    EvidenceCreate,
    EvidenceOut,
    FrameworkOut,
    NodeCreate,
    NodeMerge,
    NodeMove,
    NodeOut,
    NodeUpdate,
    NodeVersionOut,
    ThemeOut,
    TreeOut,
)
from app.group_interview.models import Factor, FactorKind
from app.i18n import _, current_language
from app.interviews.models import Interview, Quote
from app.reviews.models import Review
from app.timeline.models import LifelineEvent
from app.voting import service as voting
from app.voting.models import StickerRound

FRAMEWORKS_FILE = Path(__file__).with_name("frameworks.json")
DEFAULT_KIND = {
    NodeBranch.success: NodeKind.success_factor,
    NodeBranch.hindering: NodeKind.hindering,
    NodeBranch.what_works: NodeKind.what_works,
}
"""The kind of a node at the top of each branch."""
CHILD_KIND = {
    NodeBranch.success: NodeKind.contributing,
    NodeBranch.hindering: NodeKind.recommendation,
    NodeBranch.what_works: NodeKind.what_works,
}
"""The kind of a node beneath another, per branch."""
MAX_DEPTH = 30
"""Levels of the findings tree below its root (the method uses three or four; drawing and reading stay bounded)."""
SNAPSHOT = ("title", "explanation", "parent_id", "position", "branch", "kind", "merged_into_id", "deleted")


# --- Frameworks -----------------------------------------------------------------------------------------------


def ensure_frameworks(session: Session) -> None:
    """Load the frameworks shipped as data (frameworks.json) once."""
    known = set(session.exec(select(Framework.key).where(col(Framework.review_id).is_(None))).all())
    for item in json.loads(FRAMEWORKS_FILE.read_text(encoding="utf-8")):
        if item["key"] in known:
            continue
        framework = Framework(
            key=item["key"], title_nl=item["title_nl"], title_en=item["title_en"], source=item["source"]
        )
        session.add(framework)
        session.flush()
        for position, theme in enumerate(item["themes"]):
            session.add(
                FrameworkTheme(
                    framework_id=framework.id or 0,
                    key=theme["key"],
                    title_nl=theme["title_nl"],
                    title_en=theme["title_en"],
                    group_nl=theme.get("group_nl", ""),
                    group_en=theme.get("group_en", ""),
                    position=position,
                )
            )
    session.flush()


def _nl() -> bool:
    return current_language() == "nl"


def frameworks(*, session: Session, review_id: int) -> list[FrameworkOut]:
    """The shipped frameworks and the team's own, with their themes."""
    ensure_frameworks(session)
    rows = session.exec(
        select(Framework)
        .where((col(Framework.review_id).is_(None)) | (Framework.review_id == review_id))
        .order_by(col(Framework.id))
    ).all()
    out = []
    for framework in rows:
        themes = session.exec(
            select(FrameworkTheme)
            .where(FrameworkTheme.framework_id == framework.id)
            .order_by(col(FrameworkTheme.position))
        ).all()
        out.append(
            FrameworkOut(
                id=framework.id or 0,
                key=framework.key,
                title=framework.title_nl if _nl() else framework.title_en,
                own=framework.review_id is not None,
                themes=[_theme_out(framework, t) for t in themes],
            )
        )
    return out


def _theme_out(framework: Framework, theme: FrameworkTheme) -> ThemeOut:
    group = theme.group_nl if _nl() else theme.group_en
    title = theme.title_nl if _nl() else theme.title_en
    return ThemeOut(
        id=theme.id or 0, framework_key=framework.key, key=theme.key, title=f"{group}: {title}" if group else title
    )


def add_framework(*, session: Session, review_id: int, title: str, themes: list[str], user: User) -> Framework:
    """A team's own framework (its themes in the language they were typed, for both languages)."""
    count = len(session.exec(select(Framework.id).where(Framework.review_id == review_id)).all())
    framework = Framework(review_id=review_id, key=f"own-{review_id}-{count + 1}", title_nl=title, title_en=title)
    session.add(framework)
    session.flush()
    for position, theme in enumerate(themes):
        session.add(
            FrameworkTheme(
                framework_id=framework.id or 0, key=f"t{position}", title_nl=theme, title_en=theme, position=position
            )
        )
    audit.record(session, actor=Actor.of(user), action="framework.create", review_id=review_id)
    return framework


# --- Reading the tree -------------------------------------------------------------------------------------------


def _nodes(session: Session, review_id: int) -> list[FindingNode]:
    return list(
        session.exec(
            select(FindingNode)
            .where(FindingNode.review_id == review_id)
            .order_by(col(FindingNode.position), col(FindingNode.id))
        )
    )


def _visible(nodes: list[FindingNode]) -> list[FindingNode]:
    """The nodes still in the tree: not deleted, and not beneath (or merged into) a deleted node."""
    by_id = {n.id: n for n in nodes}
    hidden: dict[int | None, bool] = {}

    def gone(node: FindingNode) -> bool:
        chain: list[int | None] = []
        current: FindingNode | None = node
        result = False
        while current is not None:
            if current.id in hidden:
                result = hidden[current.id]
                break
            if current.id in chain:  # a cycle the service never writes: leave it visible
                break
            chain.append(current.id)
            if current.deleted:
                result = True
                break
            up = current.merged_into_id if current.merged_into_id is not None else current.parent_id
            current = by_id.get(up) if up is not None else None
        for node_id in chain:
            hidden[node_id] = result
        return result

    return [n for n in nodes if not gone(n)]


def ancestors(by_id: Mapping[int | None, FindingNode], node: FindingNode) -> Iterator[FindingNode]:
    """The parents of ``node`` upwards, each once: a cycle (which the service never writes, but a database may
    hold) ends the walk instead of looping for ever."""
    seen = {node.id}
    up = by_id.get(node.parent_id)
    while up is not None and up.id not in seen:
        seen.add(up.id)
        yield up
        up = by_id.get(up.parent_id)


def deleted_nodes(*, session: Session, review_id: int) -> list[FindingNode]:
    """The deleted nodes (not those that only went with a deleted parent), newest change first."""
    rows = [n for n in _nodes(session, review_id) if n.deleted]
    return sorted(rows, key=lambda n: n.updated_at, reverse=True)


def get_node(*, session: Session, review_id: int, node_id: int) -> FindingNode:
    """One node of this review's tree."""
    return of_review(
        session, FindingNode, node_id, review_id, missing=_("This node of the findings tree does not exist.")
    )


def _unconsented_quotes(session: Session, review_id: int, evidence: list[FindingEvidence]) -> set[int]:
    from app.interviews.service import exportable_quotes

    if not any(e.kind == "quote" for e in evidence):
        return set()
    allowed = {q.id for q in exportable_quotes(session=session, review_id=review_id)}
    return {e.ref_id for e in evidence if e.kind == "quote" and e.ref_id not in allowed}


def _evidence_labels(session: Session, review_id: int, evidence: list[FindingEvidence]) -> dict[int, str]:
    labels: dict[int, str] = {}
    for item in evidence:
        label = ""
        if item.kind == "event" and (event := session.get(LifelineEvent, item.ref_id)):
            label = f"{event.when_text} — {event.title}"
        elif item.kind == "quote" and (quote := session.get(Quote, item.ref_id)):
            label = f"{quote.speaker}: “{quote.text}”"
        elif item.kind == "round" and (sticker_round := session.get(StickerRound, item.ref_id)):
            label = _("Sticker round %(n)s", n=sticker_round.id)
        elif item.kind == "document" and (document := session.get(Document, item.ref_id)):
            label = document.title
        elif item.kind == "interview" and (interview := session.get(Interview, item.ref_id)):
            label = _(
                "Interview of %(date)s", date=interview.held_on.strftime("%d-%m-%Y") if interview.held_on else "?"
            )
        elif item.kind == "factor" and (factor := session.get(Factor, item.ref_id)):
            label = factor.title
        labels[item.id or 0] = label or _("(removed)")
    return labels


def node_out(
    node: FindingNode,
    *,
    stickers: int = 0,
    evidence: Sequence[EvidenceOut] = (),
    themes: Sequence[ThemeOut] = (),
    merged: Sequence[int] = (),
    children: Sequence[NodeOut] = (),
) -> NodeOut:
    """A node as the tree shows it: its own fields, its ``stickers`` and what the tree adds (evidence, themes,
    the nodes merged into it, its children); a node on its own has none of those."""
    return from_row(
        NodeOut,
        node,
        stickers=stickers,
        evidence=list(evidence),
        themes=list(themes),
        merged=list(merged),
        children=list(children),
    )


def tree(*, session: Session, review_id: int) -> TreeOut:
    """The whole tree: merged nodes folded into their target, deleted nodes left out."""
    review = session.get(Review, review_id)
    assert review is not None
    nodes = _visible(_nodes(session, review_id))
    by_id = {n.id: n for n in nodes}
    counts = voting.sticker_counts(session=session, review_id=review_id)
    evidence = list(session.exec(select(FindingEvidence).where(FindingEvidence.review_id == review_id)))
    labels = _evidence_labels(session, review_id, evidence)
    unconsented = _unconsented_quotes(session, review_id, evidence)
    theme_rows = session.exec(
        select(NodeTheme, FrameworkTheme, Framework)
        .join(FrameworkTheme, col(FrameworkTheme.id) == col(NodeTheme.theme_id))
        .join(Framework, col(Framework.id) == col(FrameworkTheme.framework_id))
        .where(NodeTheme.review_id == review_id)
    ).all()
    themes: dict[int, list[ThemeOut]] = defaultdict(list)
    for link, theme, framework in theme_rows:
        themes[link.node_id].append(_theme_out(framework, theme))
    by_node: dict[int, list[FindingEvidence]] = defaultdict(list)
    for item in evidence:
        by_node[item.node_id].append(item)

    def target(node: FindingNode) -> FindingNode:
        seen = set()
        while node.merged_into_id is not None and node.merged_into_id in by_id and node.id not in seen:
            seen.add(node.id)
            node = by_id[node.merged_into_id]
        return node

    merged: dict[int, list[FindingNode]] = defaultdict(list)
    for node in nodes:
        if node.merged_into_id is not None:
            merged[target(node).id or 0].append(node)
    children: dict[int | None, list[FindingNode]] = defaultdict(list)
    for node in nodes:
        if node.merged_into_id is None:
            parent = by_id.get(node.parent_id) if node.parent_id else None
            children[target(parent).id if parent else None].append(node)

    built: set[int | None] = set()  # each node shown once, even if the database holds a cycle

    def build(node: FindingNode) -> NodeOut:
        built.add(node.id)
        group = [node, *merged.get(node.id or 0, [])]
        factor_ids = {n.factor_id for n in group if n.factor_id}
        kids = [c for member in group for c in children.get(member.id, []) if c.id not in built]
        built.update(c.id for c in kids)
        return node_out(
            node,
            stickers=sum(counts.get(f, 0) for f in factor_ids if f is not None),
            evidence=[
                EvidenceOut(
                    id=e.id or 0,
                    kind=e.kind,
                    ref_id=e.ref_id,
                    label=labels[e.id or 0],
                    note=e.note,
                    merged=e.from_node_id is not None,
                    exportable=not (e.kind == "quote" and e.ref_id in unconsented),
                )
                for e in by_node.get(node.id or 0, [])
            ],
            themes=themes.get(node.id or 0, []),
            merged=[m.id or 0 for m in merged.get(node.id or 0, [])],
            children=[build(c) for c in sorted(kids, key=lambda c: (c.position, c.id or 0))],
        )

    top = sorted(children.get(None, []), key=lambda n: (n.position, n.id or 0))
    root = NodeOut(
        id=0,
        title=review.success_statement or _("The success of the case is not written yet."),
        kind="root",
        branch="success",
        explanation="",
        stickers=0,
        version=0,
        parent_id=None,
        factor_id=None,
        children=[build(n) for n in top if n.branch == "success"],
    )
    return TreeOut(
        root=root,
        hindering=[build(n) for n in top if n.branch == "hindering"],
        what_works=[build(n) for n in top if n.branch == "what_works"],
    )


# --- Changing the tree ------------------------------------------------------------------------------------------


def _snapshot(node: FindingNode) -> dict[str, Any]:
    return {field: getattr(node, field) for field in SNAPSHOT}


def _version(session: Session, node: FindingNode, change: str, user: User) -> None:
    session.add(
        FindingNodeVersion(
            review_id=node.review_id,
            node_id=node.id or 0,
            version=node.version,
            change=change,
            changed_by=user.id,
            changed_by_label=user.name,
            snapshot=_snapshot(node),
        )
    )


def _touch(session: Session, node: FindingNode, change: str, user: User, *, bump: bool = True) -> None:
    if bump:
        node.version += 1
    node.updated_at, node.updated_by = utcnow(), user.name
    session.add(node)
    session.flush()
    _version(session, node, change, user)


def _siblings(session: Session, review_id: int, parent_id: int | None, branch: str) -> list[FindingNode]:
    query = select(FindingNode).where(
        FindingNode.review_id == review_id,
        col(FindingNode.deleted).is_(False),
        col(FindingNode.merged_into_id).is_(None),
    )
    query = (
        query.where(FindingNode.parent_id == parent_id)
        if parent_id
        else query.where(col(FindingNode.parent_id).is_(None), FindingNode.branch == branch)
    )
    return list(session.exec(query.order_by(col(FindingNode.position), col(FindingNode.id))))


def _check_parent(session: Session, review_id: int, parent_id: int | None, *, height: int = 1) -> FindingNode | None:
    """The parent a node (with ``height`` levels of its own) may go under: in the tree, and not so deep that
    the tree passes ``MAX_DEPTH`` levels."""
    if parent_id is None:
        return None
    parent = get_node(session=session, review_id=review_id, node_id=parent_id)
    if parent.deleted or parent.merged_into_id is not None:
        raise InvalidInput(_("Choose a node that is still in the tree."))
    by_id: dict[int | None, FindingNode] = {n.id: n for n in _nodes(session, review_id)}
    if len(list(ancestors(by_id, parent))) + 1 + height > MAX_DEPTH:
        raise InvalidInput(_("The findings tree can be at most %(levels)s levels deep.", levels=MAX_DEPTH))
    return parent


def _height(session: Session, review_id: int, node_id: int) -> int:
    """How many levels a node and the nodes beneath it take (1 for a leaf)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for node in _nodes(session, review_id):
        children[node.parent_id].append(node.id or 0)
    level, height, seen = [node_id], 0, {node_id}
    while level:
        height += 1
        level = [c for n in level for c in children.get(n, []) if c not in seen]
        seen.update(level)
    return height


def create_node(
    *, session: Session, review_id: int, data: NodeCreate, user: User, change: str = "create"
) -> FindingNode:
    """Add a node under a parent, or at the top of a branch; it goes last among its siblings.

    ``change`` names the first version (``share-back-add``: added at the share-back meeting).
    """
    parent = _check_parent(session, review_id, data.parent_id)
    branch = parent.branch if parent else data.branch
    if data.factor_id is not None:
        factor = session.get(Factor, data.factor_id)
        if factor is None or factor.review_id != review_id:
            raise InvalidInput(_("This factor does not exist."))
    kind = data.kind or (CHILD_KIND[branch] if parent else DEFAULT_KIND[branch])
    node = FindingNode(
        review_id=review_id,
        parent_id=parent.id if parent else None,
        branch=branch,
        kind=kind,
        title=data.title,
        explanation=data.explanation,
        position=len(_siblings(session, review_id, parent.id if parent else None, branch)),
        factor_id=data.factor_id,
        updated_by=user.name,
    )
    session.add(node)
    session.flush()
    _version(session, node, change, user)
    if data.factor_id is not None:
        session.add(FindingEvidence(review_id=review_id, node_id=node.id or 0, kind="factor", ref_id=data.factor_id))
    audit.record(session, actor=Actor.of(user), action="finding.create", review_id=review_id, target=f"node:{node.id}")
    return node


def _check_version(node: FindingNode, version: int) -> None:
    if version != node.version:
        raise Conflict(
            _("Someone else changed this node in the meantime. Compare both versions and try again."),
            detail={
                "current": {f: getattr(node, f) for f in ("title", "explanation", "kind")} | {"version": node.version}
            },
        )


def update_node(
    *, session: Session, review_id: int, node_id: int, data: NodeUpdate, user: User, change: str = "update"
) -> FindingNode:
    """Rewrite a node as a new version; a stale version answers 409 with the current one.

    ``change`` names the version (``share-back``: rephrased at the share-back meeting).
    """
    node = get_node(session=session, review_id=review_id, node_id=node_id)
    _check_version(node, data.version)
    for field in ("title", "explanation", "kind"):
        value = getattr(data, field)
        if value is not None:
            setattr(node, field, value)
    _touch(session, node, change, user)
    audit.record(session, actor=Actor.of(user), action="finding.update", review_id=review_id, target=f"node:{node_id}")
    return node


def _descendants(session: Session, review_id: int, node_id: int) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for node in _nodes(session, review_id):
        children[node.parent_id].append(node.id or 0)
        if node.merged_into_id is not None:
            children[node.merged_into_id].append(node.id or 0)
    found, stack = set(), [node_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def move_node(*, session: Session, review_id: int, node_id: int, data: NodeMove, user: User) -> FindingNode:
    """Move a node under another parent at a position; never under itself or its own descendants (409)."""
    node = get_node(session=session, review_id=review_id, node_id=node_id)
    if node.merged_into_id is not None or node.deleted:
        raise Conflict(_("This node was merged or deleted; restore it first."))
    if data.parent_id is not None and (
        data.parent_id == node_id or data.parent_id in _descendants(session, review_id, node_id)
    ):
        raise Conflict(_("A node cannot be moved under itself or under one of its own sub-factors."))
    parent = _check_parent(session, review_id, data.parent_id, height=_height(session, review_id, node_id))
    branch = parent.branch if parent else (data.branch or node.branch)
    old = [s for s in _siblings(session, review_id, node.parent_id, node.branch) if s.id != node_id]
    for position, sibling in enumerate(old):
        if sibling.position != position:
            sibling.position = position
            session.add(sibling)
    new = [s for s in _siblings(session, review_id, parent.id if parent else None, branch) if s.id != node_id]
    new.insert(min(data.position, len(new)), node)
    node.parent_id, node.branch = (parent.id if parent else None), branch
    node.kind = _kind_for(node.kind, branch, top=parent is None)
    for position, sibling in enumerate(new):
        sibling.position = position
        session.add(sibling)
    _touch(session, node, "move", user)
    _retarget_descendants(session, review_id, node)
    audit.record(session, actor=Actor.of(user), action="finding.move", review_id=review_id, target=f"node:{node_id}")
    return node


def _retarget_descendants(session: Session, review_id: int, node: FindingNode) -> None:
    for child_id in _descendants(session, review_id, node.id or 0):
        child = session.get(FindingNode, child_id)
        if child is not None and child.branch != node.branch:
            child.branch = node.branch
            child.kind = _kind_for(child.kind, node.branch, top=False)
            session.add(child)


def _kind_for(kind: NodeKind, branch: NodeBranch, *, top: bool) -> NodeKind:
    """The kind a node gets in its new place: a top node takes its branch's kind; beneath another node it
    keeps its kind when that fits the branch (a hindering factor may hang under another one), else the
    branch's kind for sub-nodes."""
    if top:
        return DEFAULT_KIND[branch]
    if BRANCH_OF_KIND.get(kind) != branch or kind == NodeKind.success_factor:
        return CHILD_KIND[branch]
    return kind


def merge_nodes(*, session: Session, review_id: int, into_id: int, data: NodeMerge, user: User) -> FindingNode:
    """Merge duplicates into one node: stickers, evidence and sub-factors combined; kept in history, undoable."""
    target = get_node(session=session, review_id=review_id, node_id=into_id)
    if target.merged_into_id is not None or target.deleted:
        raise Conflict(_("Merge into a node that is still in the tree."))
    if not set(data.node_ids) - {into_id}:
        raise InvalidInput(_("Choose at least one other node to merge into this one."))
    for node_id in dict.fromkeys(data.node_ids):
        if node_id == into_id:
            continue
        if into_id in _descendants(session, review_id, node_id):
            raise Conflict(_("A node cannot be merged into one of its own sub-factors."))
        node = get_node(session=session, review_id=review_id, node_id=node_id)
        if node.merged_into_id is not None:
            raise Conflict(_("This node is already merged."))
        if node.deleted:
            raise Conflict(_("This node was deleted; restore it first."))
        # its sub-factors come to hang under the target: the tree stays within MAX_DEPTH levels
        _check_parent(session, review_id, into_id, height=_height(session, review_id, node_id) - 1)
        node.merged_into_id = into_id
        _touch(session, node, "merge", user)
        for item in session.exec(select(FindingEvidence).where(FindingEvidence.node_id == node_id)).all():
            session.add(
                FindingEvidence(
                    review_id=review_id,
                    node_id=into_id,
                    kind=item.kind,
                    ref_id=item.ref_id,
                    note=item.note,
                    from_node_id=node_id,
                )
            )
    _touch(session, target, "merge", user)
    audit.record(
        session,
        actor=Actor.of(user),
        action="finding.merge",
        review_id=review_id,
        target=f"node:{into_id}",
        detail=",".join(map(str, data.node_ids)),
    )
    return target


def unmerge_node(*, session: Session, review_id: int, node_id: int, user: User) -> FindingNode:
    """Undo a merge: the node comes back with its own evidence and sub-factors; the copies are removed."""
    node = get_node(session=session, review_id=review_id, node_id=node_id)
    if node.merged_into_id is None:
        raise Conflict(_("This node is not merged."))
    target_id = node.merged_into_id
    node.merged_into_id = None
    session.exec(delete(FindingEvidence).where(col(FindingEvidence.from_node_id) == node_id))
    _touch(session, node, "unmerge", user)
    target = session.get(FindingNode, target_id)
    if target is not None:
        _touch(session, target, "unmerge", user)
    audit.record(session, actor=Actor.of(user), action="finding.unmerge", review_id=review_id, target=f"node:{node_id}")
    return node


def _lift_out_of_deleted(session: Session, review_id: int, node: FindingNode) -> None:
    """A restored node whose parent is still deleted moves up to its nearest ancestor still in the tree (or to the
    top of its branch), at the end: restoring it would otherwise bring back nothing anyone can see."""
    nodes = _nodes(session, review_id)
    visible = {n.id for n in _visible(nodes)}
    if node.id in visible:
        return
    by_id = {n.id: n for n in nodes}
    up = next((a for a in ancestors(by_id, node) if a.id in visible), None)
    node.parent_id = up.id if up else None
    node.position = len([s for s in _siblings(session, review_id, node.parent_id, node.branch) if s.id != node.id])
    node.kind = _kind_for(node.kind, node.branch, top=up is None)


def set_deleted(
    *, session: Session, review_id: int, node_id: int, deleted: bool, user: User, change: str | None = None
) -> FindingNode:
    """Delete a node (its sub-factors go with it; restorable from the history) or restore it.

    ``change`` names the version (default ``delete`` / ``restore``; ``share-back-remove`` at the meeting).
    """
    node = get_node(session=session, review_id=review_id, node_id=node_id)
    if node.deleted == deleted:
        raise Conflict(_("Nothing to change."))
    node.deleted = deleted
    if not deleted:
        _lift_out_of_deleted(session, review_id, node)
    _touch(session, node, change or ("delete" if deleted else "restore"), user)
    audit.record(
        session,
        actor=Actor.of(user),
        action="finding.delete" if deleted else "finding.restore",
        review_id=review_id,
        target=f"node:{node_id}",
    )
    return node


def history(*, session: Session, review_id: int, node_id: int) -> list[NodeVersionOut]:
    """Every version of a node, oldest first."""
    get_node(session=session, review_id=review_id, node_id=node_id)
    rows = session.exec(
        select(FindingNodeVersion)
        .where(FindingNodeVersion.node_id == node_id)
        .order_by(col(FindingNodeVersion.version), col(FindingNodeVersion.id))
    ).all()
    return [
        NodeVersionOut(
            version=r.version,
            change=r.change,
            changed_by_label=r.changed_by_label,
            changed_at=r.changed_at,
            **r.snapshot,
        )
        for r in rows
    ]


def _evidence_exists(session: Session, review_id: int, kind: str, ref_id: int) -> bool:
    from app.interviews.service import exportable_quotes

    if kind == "quote":
        return any(q.id == ref_id for q in exportable_quotes(session=session, review_id=review_id))
    model: Any = {
        "event": LifelineEvent,
        "round": StickerRound,
        "document": Document,
        "interview": Interview,
        "factor": Factor,
    }[kind]
    row = session.get(model, ref_id)
    return row is not None and row.review_id == review_id


def add_evidence(
    *, session: Session, review_id: int, node_id: int, data: EvidenceCreate, user: User
) -> FindingEvidence:
    """Back a node with evidence of this review; only quotes whose speaker consents to quotes."""
    get_node(session=session, review_id=review_id, node_id=node_id)
    if not _evidence_exists(session, review_id, data.kind, data.ref_id):
        if data.kind == "quote":
            raise InvalidInput(_("Only quotes of participants who consent to quotes can back a finding."))
        raise InvalidInput(_("This evidence does not exist in this review."))
    item = FindingEvidence(review_id=review_id, node_id=node_id, kind=data.kind, ref_id=data.ref_id, note=data.note)
    session.add(item)
    session.flush()
    audit.record(
        session, actor=Actor.of(user), action="finding.evidence", review_id=review_id, target=f"node:{node_id}"
    )
    return item


def remove_evidence(*, session: Session, review_id: int, node_id: int, evidence_id: int, user: User) -> None:
    """Unlink evidence from a node."""
    item = session.get(FindingEvidence, evidence_id)
    if item is None or item.node_id != node_id or item.review_id != review_id:
        raise NotFound(_("This evidence does not exist."))
    session.delete(item)
    audit.record(
        session,
        actor=Actor.of(user),
        action="finding.evidence.remove",
        review_id=review_id,
        target=f"node:{node_id}",
    )


def set_themes(*, session: Session, review_id: int, node_id: int, theme_ids: list[int], user: User) -> None:
    """Code a node with framework themes (the shipped frameworks or the team's own)."""
    get_node(session=session, review_id=review_id, node_id=node_id)
    allowed = {t.id for f in frameworks(session=session, review_id=review_id) for t in f.themes}
    unknown = set(theme_ids) - allowed
    if unknown:
        raise InvalidInput(_("Unknown theme: %(ids)s.", ids=", ".join(map(str, sorted(unknown)))))
    session.exec(delete(NodeTheme).where(col(NodeTheme.node_id) == node_id))
    for theme_id in dict.fromkeys(theme_ids):
        session.add(NodeTheme(review_id=review_id, node_id=node_id, theme_id=theme_id))
    audit.record(session, actor=Actor.of(user), action="finding.themes", review_id=review_id, target=f"node:{node_id}")


def propose(*, session: Session, review_id: int, user: User, main_count: int = 5) -> TreeOut:
    """Propose a tree from the group interview: success factors with the most stickers as main branches,
    hindering factors as the second branch; each backed by its factor, life-line moment and sticker rounds.
    Only for an empty tree (the researchers then accept or change it)."""
    if any(not n.deleted for n in _nodes(session, review_id)):
        raise Conflict(_("The findings tree already has nodes; change it instead of proposing a new one."))
    counts = voting.sticker_counts(session=session, review_id=review_id)
    factors = session.exec(
        select(Factor)
        .where(Factor.review_id == review_id, col(Factor.merged_into_id).is_(None))
        .order_by(col(Factor.id))
    ).all()
    rounds = voting.rounds_per_factor(session=session, review_id=review_id)
    ranked = sorted(factors, key=lambda f: (-counts.get(f.id or 0, 0), f.id or 0))
    success = [f for f in ranked if f.kind == FactorKind.success]
    hindering = [f for f in ranked if f.kind == FactorKind.hindering]
    mains = success[:main_count]
    for factor in [*mains, *success[main_count:], *hindering]:
        branch = NodeBranch.hindering if factor.kind == FactorKind.hindering else NodeBranch.success
        node = create_node(
            session=session,
            review_id=review_id,
            data=NodeCreate(
                title=factor.title[:300],
                explanation=factor.description[:10_000],
                branch=branch,
                factor_id=factor.id,
            ),
            user=user,
        )
        if factor in success[main_count:]:
            node.kind = NodeKind.contributing
            session.add(node)
        if factor.event_id is not None:
            session.add(
                FindingEvidence(review_id=review_id, node_id=node.id or 0, kind="event", ref_id=factor.event_id)
            )
        for round_id in sorted(r for f, r in rounds if f == factor.id):
            session.add(FindingEvidence(review_id=review_id, node_id=node.id or 0, kind="round", ref_id=round_id))
    session.flush()
    audit.record(session, actor=Actor.of(user), action="finding.propose", review_id=review_id)
    return tree(session=session, review_id=review_id)


def evidence_options(*, session: Session, review_id: int) -> dict[str, list[dict[str, Any]]]:
    """What a node can be backed with, per kind: life-line events, consented quotes only, sticker rounds,
    documents and interviews of this review, each with a readable label."""
    from app.interviews.service import exportable_quotes

    events = session.exec(
        select(LifelineEvent)
        .where(LifelineEvent.review_id == review_id, col(LifelineEvent.deleted).is_(False))
        .order_by(col(LifelineEvent.earliest), col(LifelineEvent.id))
    ).all()
    rounds = session.exec(
        select(StickerRound).where(StickerRound.review_id == review_id).order_by(col(StickerRound.id))
    ).all()
    documents = session.exec(
        select(Document).where(Document.review_id == review_id).order_by(col(Document.dated), col(Document.id))
    ).all()
    interviews = session.exec(
        select(Interview).where(Interview.review_id == review_id).order_by(col(Interview.held_on), col(Interview.id))
    ).all()
    round_kind = {FactorKind.success: _("strengths"), FactorKind.hindering: _("points for improvement")}
    return {
        "event": [{"id": e.id, "label": f"{e.when_text} — {e.title}"} for e in events],
        "quote": [
            {"id": q.id, "label": f"{q.speaker}: “{q.text}”"}
            for q in exportable_quotes(session=session, review_id=review_id)
        ],
        "round": [
            {"id": r.id, "label": _("Sticker round %(n)s", n=r.id) + f" ({round_kind.get(r.kind, r.kind)})"}
            for r in rounds
        ],
        "document": [
            {"id": d.id, "label": d.title + (f" ({d.dated.strftime('%d-%m-%Y')})" if d.dated else "")}
            for d in documents
        ],
        "interview": [
            {
                "id": i.id,
                "label": _("Interview of %(date)s", date=i.held_on.strftime("%d-%m-%Y") if i.held_on else "?"),
            }
            for i in interviews
        ],
    }
