"""The pieces of the tags view: a tree row per tag, the tree and its filter, and the list of
a tag's highlights. Kept apart from `tags_screen`, which owns what they show and every change."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList

from reader.models import TagNode
from reader.sanitize import display_safe_line

DESCRIPTION_PREVIEW = 56


def tag_prompt(node: TagNode, marked: bool, width: int = 0) -> Content:
    """One row of the tree: mark, indent, colour swatch, label, number key, then the counts
    in a column (`width` is the widest indent + label + key of the tree)."""
    label = display_safe_line(node.label)
    key = f" [{node.favourite}]" if node.favourite else ""
    documents = f"{node.documents} doc" + ("s" if node.documents != 1 else "")
    padding = " " * max(0, width - 2 * node.depth - len(label) - len(key))
    return Content.assemble(
        ("✓ " if marked else "  ", "bold $accent"),
        "  " * node.depth,
        ("● ", node.color or "$text-muted"),
        (label, "bold" if node.exists else "italic $text-muted"),
        (key, "bold $accent"),
        padding,
        (f"  {node.highlights:>5} · {documents}", "$text-muted"),
        *_description_line(node),
    )


def _description_line(node: TagNode) -> tuple[str | tuple[str, str], ...]:
    """The codebook entry's first line, short, under the tag's name."""
    if not node.description:
        return ()
    first = " ".join(node.description.split("\n", 1)[0].split())
    if len(first) > DESCRIPTION_PREVIEW:
        first = first[: DESCRIPTION_PREVIEW - 1] + "…"
    indent = "  " + "  " * node.depth + "  "
    return ("\n", (indent + display_safe_line(first), "italic $text-muted"))


def label_width(nodes: list[TagNode]) -> int:
    return max((2 * n.depth + len(n.label) + (4 if n.favourite else 0) for n in nodes), default=0)


class TagTree(OptionList):
    """The codebook, depth first; j/k move like everywhere else."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tags.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up"),
    ]


class TagFilter(Input):
    """Narrows the tree as you type; escape asks the screen to clear it."""

    HELP_TITLE = "Tag filter"

    BINDINGS = [Binding("escape", "clear", "Clear filter", id="tags.filter.clear")]

    class Cleared(Message):
        """Escape in the filter: show the whole tree again."""

    def action_clear(self) -> None:
        self.post_message(self.Cleared())


def visible_nodes(nodes: list[TagNode], query: str) -> list[TagNode]:
    """The tags whose path or description holds every word of `query` (any case), with their
    parents so the tree still reads as a tree."""
    words = query.casefold().split()
    if not words:
        return nodes
    matches = {
        n.key for n in nodes if all(w in f"{n.key} {n.description.casefold()}" for w in words)
    }
    keep = {prefix for key in matches for prefix in _ancestors(key)} | matches
    return [n for n in nodes if n.key in keep]


def _ancestors(key: str) -> list[str]:
    parts = key.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


class TagHighlights(OptionList):
    """Every highlight of the chosen tag (sub-tags included), under its document's title."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tag-highlights.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tag-highlights.up"),
    ]
