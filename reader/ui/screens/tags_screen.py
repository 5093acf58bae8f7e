"""The tags view (`t`): the codebook as a tree with colours, descriptions and counts, every
highlight of the chosen tag across documents, and the keys that rename, move, merge, recolour,
describe, delete and pin tags. Enter on a highlight opens its document there."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from reader.codebook.tag_names import NAMED_COLORS, tidy_tag_name
from reader.errors import ReaderError, TagConflict
from reader.models import Annotation, TagNode
from reader.text.sanitize import display_safe_line
from reader.ui.refusals import notify_refusal, run_safely
from reader.ui.screens.codebook_file_dialog import CodebookFileDialog
from reader.ui.screens.prompt_dialogs import ConfirmDialog, PromptDialog
from reader.ui.widgets.tag_tree import (
    MORE,
    TagDetail,
    TagFilter,
    TagHighlights,
    TagTree,
    label_width,
    tag_prompt,
    visible_nodes,
)
from reader.workspace import Workspace

T = TypeVar("T")
ON_A_TAG = {"rename", "move", "mark", "merge", "color", "describe", "delete", "pin"}


@dataclass(frozen=True)
class TagJump:
    """The highlight the user chose to open."""

    annotation: Annotation


class TagsScreen(Screen[TagJump | None]):
    """Browse and manage the codebook; changes are made through `Workspace`, one at a time."""

    HELP_TITLE = "Tags view"

    DEFAULT_CSS = """
    TagsScreen > Horizontal > #tags-side {
        width: 45%;
        min-width: 36;
    }
    TagsScreen TagTree {
        height: 1fr;
        border: round $accent 50%;
    }
    TagsScreen TagTree:focus, TagsScreen TagHighlights:focus {
        border: round $accent;
    }
    TagsScreen #tag-detail {
        height: auto;
        max-height: 8;
        padding: 0 1;
        color: $text-muted;
    }
    TagsScreen TagHighlights {
        width: 1fr;
        height: 1fr;
        border: round $accent 50%;
    }
    TagsScreen TagHighlights > .option-list--option {
        padding: 0 0 1 0;
    }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="tags.close"),
        Binding("slash", "filter", "Filter", id="tags.filter"),
        Binding("n", "new", "New", id="tags.new"),
        Binding("r", "rename", "Rename", id="tags.rename"),
        Binding("m", "move", "Move", id="tags.move"),
        Binding("space", "mark", "Mark", id="tags.mark"),
        Binding("M", "merge", "Merge", id="tags.merge"),
        Binding("c", "color", "Colour", id="tags.color"),
        Binding("D", "describe", "Describe", id="tags.describe"),
        Binding("d", "delete", "Delete", id="tags.delete"),
        Binding("x", "export_codebook", "Export CSV", show=False, id="tags.export"),
        Binding("i", "import_codebook", "Import CSV", show=False, id="tags.import"),
        *(
            Binding(str(n), f"pin({n})", f"Key {n}", show=False, id=f"tags.pin{n}")
            for n in range(10)
        ),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.nodes: list[TagNode] = []
        self.marked: set[str] = set()  # keys of the tags space marked for merging
        self._shown_state: tuple[TagNode | None, int] | None = None
        self.all_nodes: list[TagNode] = []
        self.tag_filter = TagFilter(placeholder="Filter tags and descriptions", id="tag-filter")
        self.tag_filter.display = False
        self.tag_tree = TagTree(id="tag-tree")
        self.detail = TagDetail(id="tag-detail")
        self.highlight_list = TagHighlights(workspace, id="tag-highlights")

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="tags-side"):
                yield self.tag_filter
                yield self.tag_tree
                yield self.detail
            yield self.highlight_list
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.tag_tree.focus()

    # Showing

    @property
    def current(self) -> TagNode | None:
        index = self.tag_tree.highlighted
        return self.nodes[index] if index is not None and index < len(self.nodes) else None

    def reload(self, keep: str | None = None) -> None:
        """Read the codebook again and keep the cursor on `keep` (a key) or where it was."""
        self.all_nodes = self.workspace.codebook()
        self.marked &= {n.key for n in self.all_nodes}
        self._fill_tree(keep)

    def _fill_tree(self, keep: str | None = None) -> None:
        """Show the codebook, or the tags the filter matches with their parents."""
        current = self.current
        keep = keep or (current.key if current else None)
        self.nodes = visible_nodes(self.all_nodes, self.tag_filter.value)
        tree = self.tag_tree
        tree.clear_options()
        width = label_width(self.nodes)
        tree.add_options(Option(tag_prompt(n, n.key in self.marked, width)) for n in self.nodes)
        if not self.nodes:
            hint = (
                "No tag matches the filter (escape clears it)."
                if self.all_nodes
                else "No tags yet. n adds one, i imports a codebook CSV, "
                "or tag a highlight (a in the reader)."
            )
            tree.add_option(Option(Content(hint), disabled=True))
        shown = sum(n.exists for n in self.nodes)
        total = sum(n.exists for n in self.all_nodes)
        tree.border_title = Content(f"Tags · {shown} of {total}" if shown != total else
                                    f"Tags · {total}")  # fmt: skip
        index = next((i for i, n in enumerate(self.nodes) if n.key == keep), 0)
        if self.nodes:
            tree.highlighted = min(index, len(self.nodes) - 1)
        self._shown_state = None  # the codebook changed: show the current tag afresh
        self._show_current()

    # Filtering

    def action_filter(self) -> None:
        self.tag_filter.display = True
        self.tag_filter.focus()

    @on(Input.Changed, "#tag-filter")
    def _filter_changed(self) -> None:
        self._fill_tree()

    @on(Input.Submitted, "#tag-filter")
    def _filter_submitted(self) -> None:
        self.tag_tree.focus()

    @on(TagFilter.Cleared)
    def clear_filter(self) -> None:
        self.tag_filter.value = ""
        self.tag_filter.display = False
        self.tag_tree.focus()
        self._fill_tree()

    @on(OptionList.OptionHighlighted, "#tag-tree")
    def _tag_highlighted(self) -> None:
        self._show_current()

    def _show_current(self) -> None:
        """Detail and highlights of the tag under the cursor, unless they are on screen already
        (moving the cursor in `reload` announces the same tag a second time)."""
        node = self.current
        if (node, self.highlight_list.shown) == self._shown_state:
            return
        self.detail.show(node)
        self.highlight_list.show(node)
        self._shown_state = (node, self.highlight_list.shown)

    # Going to a highlight

    @on(OptionList.OptionSelected, "#tag-tree")
    def _tag_chosen(self) -> None:
        self.highlight_list.focus_first()

    @on(OptionList.OptionSelected, "#tag-highlights")
    def _highlight_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE:
            self.highlight_list.show_more(self.current, event.option_index)
            self._shown_state = (self.current, self.highlight_list.shown)
            return
        annotation = self.highlight_list.highlights[event.option_index]
        if annotation is not None:
            self.dismiss(TagJump(annotation))

    def action_close(self) -> None:
        self.dismiss(None)

    # Managing the codebook

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ON_A_TAG:
            return self.focused is self.tag_tree and self.current is not None
        return True

    def _safely(self, action: Callable[[], T]) -> T | None:
        """Run one change; a refusal becomes a notification, never a crash."""
        return run_safely(self, action)

    def _paths(self) -> list[str]:
        return [n.path for n in self.nodes]

    def action_new(self) -> None:
        """Add a code to the codebook (under the current tag's parent path, to start with)."""
        node = self.current
        start = f"{node.path.rsplit('/', 1)[0]}/" if node and "/" in node.path else ""

        def answered(path: str | None) -> None:
            if path and path.strip():
                made = self._safely(lambda: self.workspace.create_tag(path))
                if made:
                    self._changed(f"Added {made} · D describes it, 1-9 pins it to a key", made)

        self.app.push_screen(
            PromptDialog("New tag", start, "A path: frame/energy sits under frame.", self._paths()),
            answered,
        )

    def action_rename(self) -> None:
        node = self.current
        if node is None:
            return

        def answered(new: str | None) -> None:
            if new and new.strip() and new.strip() != node.path:
                self._repath(new.strip(), lambda merge: self.workspace.rename_tag(
                    node.path, new, merge), "Renamed")  # fmt: skip

        self.app.push_screen(
            PromptDialog(f"Rename {node.path}", node.path,
                         "Sub-tags follow. An existing name merges (you are asked).",
                         self._paths()),
            answered,
        )  # fmt: skip

    def action_move(self) -> None:
        node = self.current
        if node is None:
            return
        parent = node.path.rsplit("/", 1)[0] if "/" in node.path else ""

        def answered(new_parent: str | None) -> None:
            if new_parent is None:
                return
            target = f"{new_parent.strip().strip('/')}/{node.label}".strip("/")
            self._repath(target, lambda merge: self.workspace.move_tag(
                node.path, new_parent, merge), "Moved")  # fmt: skip

        self.app.push_screen(
            PromptDialog(f"Move {node.path} under", parent,
                         "A parent path; empty puts it at the top.", self._paths()),
            answered,
        )  # fmt: skip

    def _repath(self, target: str, change: Callable[[bool], object], verb: str) -> None:
        """Rename or move; landing on existing tags asks before merging into them."""
        try:
            change(False)
        except TagConflict as conflict:
            names = ", ".join(conflict.existing)

            def confirmed(yes: bool | None) -> None:
                if yes and self._safely(lambda: change(True)) is not None:
                    self._changed(f"{verb} and merged into {names}", target)

            self.app.push_screen(
                ConfirmDialog("Merge?", f"{names} already exists. Merge into it? "
                              "Its highlights and these become one tag."),
                confirmed,
            )  # fmt: skip
            return
        except (ReaderError, sqlite3.Error) as exc:
            notify_refusal(self, exc)
            return
        self._changed(f"{verb} to {target}", target)

    def _changed(self, message: str, keep_path: str | None = None) -> None:
        self.notify(display_safe_line(message), markup=False)
        self.reload(tidy_tag_name(keep_path).casefold() if keep_path else None)

    def action_mark(self) -> None:
        node = self.current
        if node is None:
            return
        self.marked ^= {node.key}
        index = self.tag_tree.highlighted
        if index is None:
            return
        prompt = tag_prompt(node, node.key in self.marked, label_width(self.nodes))
        self.tag_tree.replace_option_prompt_at_index(index, prompt)  # no need to read it all again
        if index + 1 < len(self.nodes):
            self.tag_tree.highlighted = index + 1  # on to the next, to mark several in a row

    def action_merge(self) -> None:
        node = self.current
        if node is None:
            return
        sources = [n.path for n in self.nodes if n.key in self.marked] or [node.path]

        def answered(into: str | None) -> None:
            if not into or not into.strip():
                return
            if self._safely(lambda: self.workspace.merge_tags(sources, into)) is not None:
                self.marked.clear()
                self._changed(f"Merged {len(sources)} tag(s) into {into.strip()}", into.strip())

        shown = ", ".join(sources)
        self.app.push_screen(
            PromptDialog(f"Merge {shown} into", "",
                         "Every highlight keeps its passages, now with this tag. "
                         "Mark several tags with space first.", self._paths()),
            answered,
        )  # fmt: skip

    def action_color(self) -> None:
        node = self.current
        if node is None:
            return

        def answered(color: str | None) -> None:
            if color and color.strip():
                made = self._safely(lambda: self.workspace.color_tag(node.path, color))
                if made:
                    self._changed(f"{node.path} is now {made}")

        names = ", ".join(sorted(NAMED_COLORS))
        self.app.push_screen(
            PromptDialog(f"Colour of {node.path}", node.color or "",
                         f"#rrggbb, #rgb or one of: {names}"),
            answered,
        )  # fmt: skip

    def action_describe(self) -> None:
        node = self.current
        if node is None:
            return

        def answered(text: str | None) -> None:
            if text is None or text.strip() == node.description:
                return
            if self._safely(lambda: self.workspace.describe_tag(node.path, text) or True):
                self._changed(f"Described {node.path}")

        self.app.push_screen(
            PromptDialog(f"Describe {node.path} (the codebook entry)", node.description,
                         "When to apply this tag, with an example."),
            answered,
        )  # fmt: skip

    def action_delete(self) -> None:
        node = self.current
        if node is None:
            return
        with_subtags = not node.exists
        preview = self._safely(lambda: self.workspace.tag_deletion(node.path, with_subtags))
        if preview is None:
            return
        names = ", ".join(preview.tags)
        message = (
            f"Delete {names}?\n{preview.highlights} highlight(s) in {preview.documents} "
            "document(s) lose this tag. The highlights themselves stay."
        )

        def confirmed(yes: bool | None) -> None:
            if yes and self._safely(lambda: self.workspace.delete_tag(node.path, with_subtags)):
                self._changed(f"Deleted {names}")

        self.app.push_screen(ConfirmDialog("Delete tag", message), confirmed)

    def action_pin(self, key: int) -> None:
        """Put the tag on number key `key` in the reader (0 takes it off)."""
        node = self.current
        if node is None:
            return
        slot = key or None
        if slot is None and node.favourite is None:
            return
        if self._safely(lambda: self.workspace.set_favourite(node.path, slot) or True):
            self._changed(
                f"Key {slot} now tags {node.path}" if slot else f"{node.path} is off its key"
            )

    # Sharing the codebook

    def action_export_codebook(self) -> None:
        """Write the codebook as CSV (path,description,color) to a file the user names."""
        self.app.push_screen(CodebookFileDialog(self.workspace, "export"), self._shared)

    def action_import_codebook(self) -> None:
        """Add the tags, descriptions and colours of a CSV codebook; nothing is removed."""
        self.app.push_screen(CodebookFileDialog(self.workspace, "import"), self._shared)

    def _shared(self, outcome: str | None) -> None:
        if outcome is not None:
            self._changed(outcome)
