"""The main screen: library, reader and highlights panes, and every annotating action.

The screen owns the state that spans panes (the open document, the undo stack) and makes every
change to highlights, always through `Workspace`, one transaction per action (the tags view
changes the codebook the same way). Its other groups of actions (search, orphans, export and
copy, find, fast tagging) are mixins in `*_actions.py`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList

from reader import textnav
from reader.errors import ReaderError
from reader.models import Annotation, Document
from reader.sanitize import display_safe_line
from reader.ui.export_actions import ExportActions
from reader.ui.find_actions import FindActions, FindBar
from reader.ui.orphan_actions import OrphanActions
from reader.ui.refusals import notify_refusal, run_safely
from reader.ui.screens.annotate_dialog import AnnotateDialog, AnnotationEdit
from reader.ui.search_actions import SearchActions
from reader.ui.tagging_actions import TaggingActions
from reader.ui.widgets.annotations_pane import AnnotationsPane
from reader.ui.widgets.document_header import DocumentHeader
from reader.ui.widgets.document_view import DEFAULT_HIGHLIGHT, DocumentView, HighlightSpan
from reader.ui.widgets.library_pane import LibraryPane
from reader.workspace import Workspace

T = TypeVar("T")
NARROW_WIDTH = 110  # below this, the library and the reader take turns
WIDE_WIDTH = 150  # from this width up, the highlights pane shows by default
READER_ACTIONS = {"annotate", "mark", "edit", "delete", "copy", "reattach", "favourite",
                  "repeat_tags"}  # fmt: skip
QUOTE_IN_MESSAGE = 40


@dataclass
class UndoStep:
    """What `u` reverts: a description for the notification and the function that reverts."""

    description: str
    revert: Callable[[], Any]


class MainScreen(
    SearchActions, OrphanActions, ExportActions, FindActions, TaggingActions, Screen[None]
):
    """Library on the left, the document in the middle, its highlights on the right.

    Search, orphans, export and copy, find in document and fast tagging are mixins
    (`*_actions.py`) over the state this class owns; `ScreenState` types what they may use.
    """

    DEFAULT_CSS = """
    MainScreen > Horizontal > LibraryPane {
        width: 28%;
        min-width: 40;
        max-width: 64;
    }
    MainScreen > Horizontal > #reader-pane {
        width: 1fr;
    }
    MainScreen #find-bar {
        display: none;
        dock: bottom;
    }
    MainScreen #find-bar.-open {
        display: block;
    }
    MainScreen.-narrow > Horizontal > LibraryPane {
        width: 1fr;
    }
    """
    # Each tooltip doubles as the command palette's help line (`ReaderApp.get_system_commands`).
    BINDINGS = [
        Binding("a,enter", "annotate", "Highlight", id="annotate",
                tooltip="Highlight the selection (or sentence) and add tags and a note"),
        Binding("m", "mark", "Mark", id="mark",
                tooltip="Highlight the selection (or sentence) with no dialog"),
        Binding("e", "edit", "Edit", id="edit",
                tooltip="Edit tags and note of the highlight under the cursor"),
        Binding("d", "delete", "Delete", id="delete",
                tooltip="Delete the highlight under the cursor (u undoes)"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last change"),
        Binding("E", "edit_document", "Doc tags/note", show=False, id="edit_document",
                tooltip="Tag and annotate the whole document"),
        Binding("y", "copy", "Copy", show=False, id="copy",
                tooltip="Copy the selection or highlight as a cited Markdown quote"),
        Binding("Y", "copy_document", "Copy all highlights", show=False, id="copy_document",
                tooltip="Copy the document's highlights as Markdown"),
        Binding("x", "export", "Export", show=False, id="export",
                tooltip="Write Markdown, JSON or CSV to a file"),
        Binding("slash,ctrl+f", "search", "Search", id="search",
                tooltip="Fuzzy search across titles, text, highlights, notes and tags"),
        Binding("O", "orphans", "Orphans", show=False, id="orphans",
                tooltip="Highlights whose words are gone from their file"),
        Binding("R", "reattach", "Re-attach orphan", show=False, id="reattach",
                tooltip="Attach an orphaned highlight to the selection"),
        Binding("t", "tags", "Tags", id="tags",
                tooltip="The codebook: tag tree, counts, every highlight of a tag; rename, merge"),
        Binding("s", "stats", "Stats", show=False, id="stats",
                tooltip="Statistics: tags by document, co-occurrence, totals per document"),
        Binding("T", "bulk_tag", "Tag all", show=False, id="bulk_tag",
                tooltip="Add or remove a tag on every highlight of this document"),
        Binding("full_stop", "repeat_tags", "Repeat tags", show=False, id="repeat_tags",
                tooltip="Apply the last tags again to the selection or highlight"),
        *(Binding(str(n), f"favourite({n})", f"Apply the tag on key {n}", show=False,
                  id=f"favourite{n}", tooltip="Pin tags to number keys in the tags view (t)")
          for n in range(1, 10)),
        Binding("L", "toggle_library", "Library", id="toggle_library",
                tooltip="Show or hide the library pane"),
        Binding("A", "toggle_annotations", "Highlights", id="toggle_annotations",
                tooltip="Show or hide the highlights pane"),
    ]  # fmt: skip

    def __init__(
        self, workspace: Workspace, open_at: tuple[Document, int | None] | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.document: Document | None = None
        self.undo_stack: list[UndoStep] = []
        self.library_visible = True
        self.annotations_visible: bool | None = None  # None: decided by the terminal width
        self._open_at = open_at
        self._colors: dict[str, str] = {}
        self.library = LibraryPane(workspace.documents(), id="library")
        self.header = DocumentHeader(id="document-header")
        self.view = DocumentView(id="document")
        self.pane = AnnotationsPane(id="annotations")
        self.find_bar = FindBar(placeholder="Find in document (enter: back to text, n/N next)",
                                id="find-bar")  # fmt: skip
        self._folded_text: str | None = None
        self.last_tags: list[str] = []  # what `.` applies again

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield self.library
            with Vertical(id="reader-pane"):
                yield self.header
                yield self.view
                yield self.find_bar
            yield self.pane
        yield Footer()

    def on_mount(self) -> None:
        self.header.update("Choose a document (Enter)")
        self._apply_layout()
        if self._open_at is not None:
            document, at = self._open_at
            self.open_document(document, at)
        else:
            self.library.focus_list()

    def on_unmount(self) -> None:
        self.save_reading_position()

    # Layout

    def on_resize(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        width = self.size.width or self.app.size.width
        narrow = width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        has_document = self.document is not None
        show_library = self.library_visible or not has_document
        show_annotations = has_document and (
            self.annotations_visible
            if self.annotations_visible is not None
            else width >= WIDE_WIDTH
        )
        if narrow and show_library:
            show_annotations = False
        self.library.display = show_library
        self.query_one("#reader-pane").display = has_document and not (narrow and show_library)
        self.pane.display = show_annotations

    def action_toggle_library(self) -> None:
        self.library_visible = not self.library_visible or self.document is None
        if self.library_visible:
            self._apply_layout()
            self.library.focus_list()
        else:
            self.view.focus()
        self._apply_layout()

    def action_toggle_annotations(self) -> None:
        pane = self.pane
        self.annotations_visible = not pane.display
        if self.annotations_visible and self.size.width < NARROW_WIDTH:
            self.library_visible = False
        self._apply_layout()
        if self.annotations_visible and pane.display:
            pane.focus()
        else:
            self.view.focus()

    # Talking to the domain

    def _safely(self, action: Callable[[], T]) -> T | None:
        """Run one domain action; a failure becomes a notification, never a crash."""
        return run_safely(self, action)

    # Opening documents

    @on(LibraryPane.DocumentChosen)
    def _document_chosen(self, event: LibraryPane.DocumentChosen) -> None:
        self.open_document(event.document)

    def open_document(self, document: Document, at: int | None = None) -> None:
        """Show `document`, at `at` or where the user last was in it."""
        self.save_reading_position()
        text = self._safely(lambda: self.workspace.text(document))
        if text is None:
            return
        self.document = document
        self._folded_text = None
        if self.find_bar.has_class("-open"):
            self.close_find()
        if at is None:
            at = self.workspace.reading_position(document) or 0
        view = self.view
        self._colors = self.workspace.tag_colors()
        annotations = self.workspace.annotations(document)
        view.load(text, self._spans(annotations), cursor=at)
        self._show_annotations(annotations)
        self._refresh_header()
        self.library.select_document(document.id)
        if self.size.width < NARROW_WIDTH:
            self.library_visible = False  # narrow: the reader takes the whole width
        self._apply_layout()
        view.focus()

    def save_reading_position(self) -> None:
        if self.document is None or self.document.status != "ok":
            return
        view = self.view
        offset = view.cursor
        self._safely(lambda: self.workspace.save_reading_position(self.document, offset))  # type: ignore[arg-type]

    def _spans(self, annotations: list[Annotation]) -> list[HighlightSpan]:
        spans = []
        for annotation in annotations:
            if annotation.status == "orphaned":
                continue  # its offsets no longer point at its words; listed in the pane only
            color = annotation.color or next(
                (
                    self._colors[t.casefold()]
                    for t in annotation.tags
                    if t.casefold() in self._colors
                ),
                DEFAULT_HIGHLIGHT,
            )
            spans.append(HighlightSpan(annotation.id, annotation.start, annotation.end, color))
        return spans

    def _refresh_header(self) -> None:
        if self.document is None:
            return
        document = self.workspace.document(str(self.document.id))
        self.document = document
        tags = self.workspace.document_tags(document)
        note = self.workspace.document_note(document)
        self.header.show(document, tags, note, self._colors)

    def _show_annotations(self, annotations: list[Annotation], keep_id: int | None = None) -> None:
        self.pane.show(annotations, self._colors, keep_id)

    def refresh_annotations(self, focus_id: int | None = None) -> None:
        """Redraw highlights, the pane, the header and the library count after a change."""
        if self.document is None:
            return
        self._colors = self.workspace.tag_colors()
        annotations = self.workspace.annotations(self.document)
        self.view.set_highlights(self._spans(annotations))
        self._show_annotations(annotations, focus_id)
        self._refresh_header()
        self.call_after_refresh(self._refresh_library)

    def _refresh_library(self) -> None:
        self.library.set_documents(self.workspace.documents())

    # Which actions apply now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action in READER_ACTIONS and self.focused is not view:
            return False
        if action in ("edit", "delete") and view.current_highlight() is None:
            return None  # shown greyed: there is no highlight under the cursor
        if action == "undo" and not self.undo_stack:
            return None
        if action in ("edit_document", "toggle_annotations", "bulk_tag") and self.document is None:
            return None
        return True

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        self.refresh_bindings()
        current = event.view.current_highlight()
        if current is not None:
            self.pane.highlight_annotation(current.annotation_id)

    # Annotating

    def _selection_or_sentence(self, view: DocumentView) -> tuple[int, int] | None:
        """The selection, trimmed of surrounding whitespace; without one, the cursor's sentence."""
        span = view.selection or textnav.sentence_bounds(view.text, view.cursor)
        start, end = span
        while start < end and view.text[start].isspace():
            start += 1
        while end > start and view.text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def action_mark(self) -> None:
        """Highlight the selection at once, no questions asked."""
        self._create_highlight(with_dialog=False)

    def action_annotate(self) -> None:
        """Highlight the selection and open the tags and note dialog."""
        self._create_highlight(with_dialog=True)

    def _create_highlight(self, with_dialog: bool) -> None:
        view = self.view
        if self.document is None:
            return
        if view.selection is None and view.current_highlight() is not None:
            # On a highlight with nothing selected: edit it rather than stack a duplicate.
            if with_dialog:
                self.action_edit()
            else:
                self.notify("Already highlighted · e edits, d deletes", markup=False)
            return
        made = self.highlight_here()
        if made is not None and with_dialog:
            self._open_dialog(made, "New highlight")

    def highlight_here(self, tags: list[str] | None = None) -> Annotation | None:
        """Highlight the selection (or the sentence under the cursor) with `tags`; undoable."""
        view = self.view
        span = self._selection_or_sentence(view)
        if self.document is None or span is None:
            self.notify("Nothing to highlight here", severity="warning", markup=False)
            return None
        document = self.document
        made = self._safely(lambda: self.workspace.annotate(document, *span, tags=tags or []))
        if made is None:
            return None
        view.action_clear_selection()
        view.set_cursor(made.start)
        self._push_undo(
            f"highlight “{self._short(made.quote)}”", lambda: self.workspace.delete(made.id)
        )
        self.refresh_annotations(made.id)
        return made

    def action_edit(self) -> None:
        current = self.view.current_highlight()
        if current is None:
            return
        annotation = self._safely(lambda: self.workspace.annotation(current.annotation_id))
        if annotation is not None:
            self._open_dialog(annotation, "Edit highlight")

    def _open_dialog(self, annotation: Annotation, heading: str) -> None:
        def save(edit: AnnotationEdit | None) -> None:
            if edit is None or (edit.tags == annotation.tags and edit.note == annotation.note):
                return
            updated = self._safely(
                lambda: self.workspace.update(annotation.id, edit.tags, edit.note)
            )
            if updated is None:
                return
            if updated.tags:
                self.last_tags = updated.tags  # `.` applies them to the next passage
            before = annotation
            self._push_undo(
                f"edit of “{self._short(before.quote)}”",
                lambda: self.workspace.update(before.id, before.tags, before.note),
            )
            self.refresh_annotations(annotation.id)

        dialog = AnnotateDialog(
            heading, annotation.quote, annotation.tags, annotation.note, self.workspace.tag_usage()
        )
        self.app.push_screen(dialog, save)

    def action_delete(self) -> None:
        current = self.view.current_highlight()
        if current is None:
            return
        deleted = self._safely(lambda: self.workspace.delete(current.annotation_id))
        if deleted is None:
            return
        self._push_undo(
            f"deletion of “{self._short(deleted.quote)}”", lambda: self.workspace.restore(deleted)
        )
        self.refresh_annotations()
        self.notify(f"Deleted “{self._short(deleted.quote)}” · u undoes", markup=False)

    def action_edit_document(self) -> None:
        if self.document is None:
            return
        document = self.document
        tags = self.workspace.document_tags(document)
        note = self.workspace.document_note(document)

        def save(edit: AnnotationEdit | None) -> None:
            if edit is None or (edit.tags == tags and edit.note == note):
                return
            done = self._safely(
                lambda: (
                    self.workspace.set_document_annotation(document, edit.tags, edit.note) or True
                )
            )
            if done:
                self._push_undo(
                    "document tags and note",
                    lambda: self.workspace.set_document_annotation(document, tags, note),
                )
                self.refresh_annotations()

        dialog = AnnotateDialog(
            f"Document: {document.title}", document.title, tags, note, self.workspace.tag_usage()
        )
        self.app.push_screen(dialog, save)

    # Find in the open document: the actions are `FindActions`; Textual only registers `@on`
    # handlers defined on its own classes, so the messages are routed here.

    @on(DocumentView.FindRequested)
    def _find_requested(self) -> None:
        self.open_find()

    @on(Input.Changed, "#find-bar")
    def _find_changed(self, event: Input.Changed) -> None:
        self._find(event.value)

    @on(Input.Submitted, "#find-bar")
    def _find_submitted(self) -> None:
        self.back_to_text()

    # Undo

    def _push_undo(self, description: str, revert: Callable[[], Any]) -> None:
        self.undo_stack.append(UndoStep(description, revert))
        self.refresh_bindings()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", markup=False)
            return
        step = self.undo_stack.pop()
        try:
            step.revert()
        except ReaderError as exc:  # can no longer be done (say, its tag was renamed since)
            self.notify(f"Cannot undo {step.description}: {exc}", title="Dropped from undo",
                        severity="warning", markup=False)  # fmt: skip
            self.refresh_bindings()
            return
        except sqlite3.Error as exc:  # the database was busy or refused: try again later
            self.undo_stack.append(step)
            notify_refusal(self, exc)
            return
        self.refresh_annotations()
        self.notify(f"Undid {step.description}", markup=False)
        self.refresh_bindings()

    # The highlights pane drives the reader

    @on(OptionList.OptionHighlighted, "#annotations")
    def _annotation_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        pane = self.pane
        if not pane.has_focus or event.option_index >= len(pane.annotations):
            return
        annotation = pane.annotations[event.option_index]
        if annotation.status != "orphaned":
            self.view.set_cursor(annotation.start, center=True)

    @on(OptionList.OptionSelected, "#annotations")
    def _annotation_selected(self, event: OptionList.OptionSelected) -> None:
        pane = self.pane
        annotation = pane.annotations[event.option_index]
        view = self.view
        if annotation.status == "orphaned":
            self.notify(
                "This highlight lost its text when the file changed",
                severity="warning",
                markup=False,
            )
            return
        view.set_cursor(annotation.start, center=True)
        view.focus()

    @staticmethod
    def _short(text: str) -> str:
        flat = display_safe_line(" ".join(text.split()))
        return flat if len(flat) <= QUOTE_IN_MESSAGE else flat[: QUOTE_IN_MESSAGE - 1] + "…"
