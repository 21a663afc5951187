"""A tidy left-to-right layout of the findings tree (pure: no plotly, database or web imports).

Every leaf gets a row of its own; a parent sits halfway between its first and last child, one column to the
left. Leaf labels are drawn to the right of their marker, a parent's label above it; a subtree is pushed down
just far enough that its parent's label never overlaps what stands above it in that column. Positions are in
pixels (x to the right, y downwards), so the interactive figure and the printed SVG share one layout.
"""

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

COLUMN_PX: Final = 236.0
LINE_PX: Final = 17.0
ROW_GAP_PX: Final = 12.0
GROUP_GAP_PX: Final = 46.0
LEFT_PX: Final = 118.0
TOP_PX: Final = 16.0
LABEL_PAD_PX: Final = 5.0
PARENT_WRAP: Final = 27
LEAF_WRAP: Final = 34
MAX_LINES: Final = 4
ROOT_MAX_LINES: Final = 7
CHAR_PX: Final = 7.1  # average width of a 13 px sans-serif character


@dataclass
class Box:
    """One node to place: its wrapped label, marker size and children; ``x``/``y`` are filled in."""

    key: str
    kind: str
    title: str
    size: float
    node_id: int | None = None
    stickers: int = 0
    hover: str = ""
    children: list["Box"] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    depth: int = 0
    x: float = 0.0
    y: float = 0.0

    @property
    def is_leaf(self) -> bool:
        """Whether nothing hangs beneath this node."""
        return not self.children

    def walk(self) -> Iterator["Box"]:
        """This node and everything beneath it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Layout:
    """The placed forest: the trees in order, the y of the rule between them, and the drawing's extent."""

    trees: list[Box]
    separators: list[float]
    width: float
    height: float

    def boxes(self) -> Iterator[Box]:
        """Every placed node."""
        for tree in self.trees:
            yield from tree.walk()

    def edges(self) -> Iterator[tuple[Box, Box]]:
        """Every (parent, child) link."""
        for box in self.boxes():
            for child in box.children:
                yield box, child


def wrap(text: str, width: int, max_lines: int = MAX_LINES) -> list[str]:
    """Wrap a label into at most ``max_lines`` lines, the last one ending in "…" when text was cut."""
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
    return lines


def _label_height(box: Box) -> float:
    return len(box.lines) * LINE_PX


def _shift(box: Box, dy: float) -> None:
    for node in box.walk():
        node.y += dy


def _place(box: Box, depth: int, top: float) -> float:
    """Place ``box`` and its subtree from ``top`` down; return the first free y below it."""
    box.depth = depth
    box.x = LEFT_PX + depth * COLUMN_PX
    if box.is_leaf:
        box.lines = box.lines or wrap(box.title, LEAF_WRAP)
        height = max(box.size, _label_height(box))
        box.y = top + height / 2
        return top + height + ROW_GAP_PX
    box.lines = box.lines or wrap(box.title, PARENT_WRAP)
    bottom = top
    for child in box.children:
        bottom = _place(child, depth + 1, bottom)
    box.y = (box.children[0].y + box.children[-1].y) / 2
    label_top = box.y - box.size / 2 - LABEL_PAD_PX - _label_height(box)
    if label_top < top:
        dy = top - label_top
        _shift(box, dy)
        bottom += dy
    return max(bottom, box.y + box.size / 2 + ROW_GAP_PX)


def _right_edge(box: Box) -> float:
    if box.is_leaf:
        longest = max((len(line) for line in box.lines), default=0)
        return box.x + box.size / 2 + LABEL_PAD_PX + longest * CHAR_PX
    longest = max((len(line) for line in box.lines), default=0)
    return box.x + longest * CHAR_PX / 2


def place(trees: list[Box]) -> Layout:
    """Lay out a forest top to bottom: each tree left to right, a rule and some air between the trees."""
    top = TOP_PX
    separators: list[float] = []
    for index, tree in enumerate(trees):
        if index:
            separators.append(top + GROUP_GAP_PX / 2 - ROW_GAP_PX / 2)
            top += GROUP_GAP_PX
        if tree.kind == "root":
            tree.lines = wrap(tree.title, PARENT_WRAP, ROOT_MAX_LINES)
        top = _place(tree, 0, top)
    boxes = [box for tree in trees for box in tree.walk()]
    width = max((_right_edge(box) for box in boxes), default=LEFT_PX) + 16
    width = max(width, LEFT_PX + 2 * COLUMN_PX + LEAF_WRAP * CHAR_PX)
    return Layout(trees=trees, separators=separators, width=width, height=top)
