"""The pieces of the tags view: a tree row per tag, the tree and its filter, and the list of
a tag's highlights. Kept apart from `tags_screen`, which owns what they show and every change."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Annotation, TagNode
from reader.text.sanitize import display_safe, display_safe_line
from reader.text.shorten import shorten
from reader.ui.refusals import run_safely
from reader.ui.widgets.annotations_pane import annotation_prompt
from reader.workspace import Workspace

DESCRIPTION_PREVIEW = 56
HIGHLIGHTS_PAGE = 50  # highlights listed at a time; the last row shows the next page
MORE = "more"


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
    first = shorten(display_safe_line(node.description.split("\n", 1)[0]), DESCRIPTION_PREVIEW)
    indent = "  " + "  " * node.depth + "  "
    return ("\n", (indent + first, "italic $text-muted"))


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


class TagDetail(Static):
    """The chosen tag's name, counts and codebook description."""

    def show(self, node: TagNode | None) -> None:
        if node is None:
            self.update("")
            return
        parts: list[Content | str | tuple[str, str]] = [
            (display_safe_line(node.path), f"bold {node.color or ''}".strip()),
            f"\n{node.highlights} highlight(s) in {node.documents} document(s)",
        ]
        if node.tagged_documents:
            parts.append(f"\non {node.tagged_documents} whole document(s) too")
        if not node.exists:
            parts.append(("\nno tag of its own: it groups its sub-tags", "italic"))
        elif node.highlights != node.own_highlights:
            parts.append(f"\n{node.own_highlights} with this tag itself, the rest by sub-tags")
        if node.description:
            parts += ["\n", (display_safe(node.description), "$text")]
        self.update(Content.assemble(*parts))


class TagHighlights(OptionList):
    """Every highlight of the chosen tag (sub-tags included), under its document's title. It
    lists a page at a time; a last row offers the next page, so a tag on 20,000 highlights
    opens as fast as one on 20."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tag-highlights.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tag-highlights.up"),
    ]

    def __init__(self, workspace: Workspace, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.workspace = workspace
        self.highlights: list[Annotation | None] = []  # None: a heading or the "more" row
        self.shown = HIGHLIGHTS_PAGE
        self._listed_key: str | None = None
        self.titles = workspace.document_titles()

    def show(self, node: TagNode | None) -> None:
        """List `node`'s first highlights (a new tag starts again at one page)."""
        self.clear_options()
        self.highlights = []
        if node is None:
            self.border_title = Content("Highlights")
            return
        if node.key != self._listed_key:
            self._listed_key, self.shown = node.key, HIGHLIGHTS_PAGE
        path, shown = node.path, self.shown
        annotations = run_safely(self, lambda: self.workspace.annotations(tag=path, limit=shown))
        annotations = annotations or []
        colors = self.workspace.tag_colors()
        options = []
        document_id = None
        for annotation in annotations:
            if annotation.document_id != document_id:
                document_id = annotation.document_id
                title = display_safe_line(self.titles.get(document_id) or annotation.doc)
                options.append(Option(Content.styled(title, "bold underline"), disabled=True))
                self.highlights.append(None)
            options.append(Option(annotation_prompt(annotation, colors)))
            self.highlights.append(annotation)
        more = node.highlights - len(annotations)
        if more > 0:
            hint = f"… {more:,} more · enter shows the next {min(more, HIGHLIGHTS_PAGE)}"
            options.append(Option(Content.styled(hint, "italic $text-muted"), id=MORE))
            self.highlights.append(None)
        self.add_options(options)
        self.border_title = Content(
            f"{display_safe_line(node.path)} · {node.highlights} highlight(s) "
            f"in {node.documents} document(s)"
        )

    def show_more(self, node: TagNode | None, at: int) -> None:
        """The next page of `node`'s highlights, the cursor staying on row `at`."""
        self.shown += HIGHLIGHTS_PAGE
        self.show(node)
        self.highlighted = at

    def focus_first(self) -> bool:
        """Put the cursor on the first highlight; False when there is none."""
        first = next((i for i, h in enumerate(self.highlights) if h is not None), None)
        if first is None:
            return False
        self.focus()
        self.highlighted = first
        return True
