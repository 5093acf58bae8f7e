"""The main screen: library, reader and highlights panes side by side.

The screen owns what spans the panes: the `EditSession` (every change to highlights goes through
it, one transaction per action), which panes show, and the other screens it opens. Each pane
owns its own state: the reader pane its document, find bar and legend, the library its rows and
filter. Panes post messages up; the screen sets what they show. An edit redraws the open
document's highlights and the one library row it changed (the `Edited` message), never the
whole library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from reader.edit_session import Change, EditSession
from reader.models import Annotation, Document
from reader.search.results import SearchResult
from reader.ui.arrivals import LibraryArrivals
from reader.ui.messages import Edited
from reader.ui.refusals import run_safely
from reader.ui.screens.annotate_dialog import AnnotateDialog, AnnotationEdit
from reader.ui.screens.bulk_tag_dialog import BulkTagDialog, BulkTagging
from reader.ui.widgets.corpus_watcher import CorpusWatcher
from reader.ui.widgets.document_view import DocumentView, HighlightSpan
from reader.ui.widgets.library_pane import LibraryPane
from reader.ui.widgets.main_panes import MainPanes
from reader.workspace import Workspace

if TYPE_CHECKING:  # the search, tags, stats and export screens load when first opened
    from reader.ui.screens.search_screen import SearchScreen, SearchTagging
    from reader.ui.screens.tags_screen import TagJump

T = TypeVar("T")
READER_ACTIONS = {"annotate", "mark", "edit", "delete", "reattach", "favourite", "repeat_tags"}


class MainScreen(Screen[None]):
    """Library on the left, the document in the middle, its highlights on the right."""

    HELP_TITLE = "Annotating"

    # Each tooltip doubles as the command palette's help line (`reader.ui.palette`).
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
        Binding("ctrl+r,U", "redo", "Redo", show=False, id="redo", tooltip="Redo what u undid"),
        Binding("E", "edit_document", "Doc tags/note", show=False, id="edit_document",
                tooltip="Tag and annotate the whole document"),
        Binding("x", "export", "Export", show=False, id="export",
                tooltip="Write Markdown, JSON or CSV to a file"),
        Binding("ctrl+f,slash", "search", "Search all", id="search",
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
    ]  # fmt: skip

    def __init__(
        self, workspace: Workspace, open_at: tuple[Document, int | None] | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.session = EditSession(workspace)
        self._open_at = open_at
        self.tag_colors: dict[str, str] = {}
        self.panes = MainPanes(workspace, [])  # the library fills once the frame is up
        self.library = self.panes.library
        self.reader = self.panes.reader
        self.arrivals = LibraryArrivals(self)
        self.search_screen: SearchScreen | None = None  # while open: told of documents arriving

    @property
    def document(self) -> Document | None:
        """The open document (the reader pane owns it)."""
        return self.reader.document

    @property
    def view(self) -> DocumentView:
        return self.reader.view

    def compose(self) -> ComposeResult:
        yield self.panes
        yield Footer()

    def on_mount(self) -> None:
        self.panes.apply_layout()
        self.tag_colors = self.workspace.tag_colors()
        self.reader.show_legend(self.tag_colors)
        if self._open_at is not None:
            self.open_document(*self._open_at)
        else:
            self.library.focus_list()
        self.call_after_refresh(self.arrivals.ready)  # the first frame does not wait for it

    @on(CorpusWatcher.Committed)
    def _documents_arrived(self) -> None:
        self.arrivals.ask()  # a few times a second at most, however small the batches

    def on_unmount(self) -> None:
        self.save_reading_position()

    # Talking to the domain

    def safely(self, action: Callable[[], T]) -> T | None:
        """Run one domain action; a refusal becomes a notification, never a crash."""
        return run_safely(self, action)

    # Opening documents

    @on(LibraryPane.DocumentChosen)
    def _document_chosen(self, event: LibraryPane.DocumentChosen) -> None:
        self.open_document(event.document)

    def open_document(self, document: Document, at: int | None = None) -> None:
        """Show `document`, at `at` or where the user last was in it."""
        self.save_reading_position()
        text = self.safely(lambda: self.workspace.text(document))
        if text is None:
            return
        if at is None:
            at = self.workspace.reading_position(document) or 0
        self.tag_colors = self.workspace.tag_colors()
        annotations = self.workspace.annotations(document)
        self.panes.show_document(document, text, annotations, self.tag_colors, at)
        self.reader.show_header(self.tag_colors)
        self.refresh_bindings()

    def save_reading_position(self) -> None:
        self.reader.save_reading_position()

    # What an edit changed

    def edited(self, change: Change | None) -> None:
        """Announce and redraw an edit (posted, so it reaches `_redraw` after this action)."""
        if change is not None:
            self.post_message(Edited(change))

    @on(Edited)
    def _redraw(self, event: Edited) -> None:
        change = event.change
        if change.codebook_changed:
            self.tag_colors = self.workspace.tag_colors()
            self.reader.show_legend(self.tag_colors)
        document = self.document
        if document is not None and (
            change.codebook_changed or document.id in change.document_ids
        ):
            annotations = self.workspace.annotations(document)
            self.panes.show_annotations(annotations, self.tag_colors, change.annotation_id)
            self.reader.show_header(self.tag_colors)
        changed = [self.workspace.document(i) for i in sorted(change.document_ids)]
        self.library.update_documents(changed)
        if change.message:
            self.notify(change.message, markup=False)
        self.refresh_bindings()

    # Which actions apply now

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action in READER_ACTIONS and self.focused is not view:
            return False
        if action in ("edit", "delete") and view.current_highlight() is None:
            return None  # shown greyed: there is no highlight under the cursor
        if action == "undo" and not self.session.can_undo:
            return None
        if action == "redo" and not self.session.can_redo:
            return None
        if action in ("edit_document", "bulk_tag") and self.document is None:
            return None
        return True

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_bindings()  # edit and delete grey out off a highlight

    # Highlighting

    def action_mark(self) -> None:
        """Highlight the selection (or sentence) at once, no questions asked."""
        if self._unselected_highlight() is not None:
            self.notify("Already highlighted · e edits, d deletes", markup=False)
            return
        self._highlight_here([])

    def action_annotate(self) -> None:
        """Ask for tags and a note, then highlight the selection (or sentence) with them;
        Escape leaves nothing behind."""
        document = self.document
        if document is None:
            return
        existing = self._unselected_highlight()
        if existing is not None:
            self._edit(existing.annotation_id)  # rather than stack a copy on it
            return
        span = self.reader.selection_or_sentence()
        if span is None:
            self.notify("Nothing to highlight here", severity="warning", markup=False)
            return
        quote = self.view.text[span[0] : span[1]]

        def save(edit: AnnotationEdit | None) -> None:
            if edit is not None:
                self._highlight_here(edit.tags, edit.note, span)

        self.app.push_screen(
            AnnotateDialog("New highlight", quote, [], "", self.workspace.tag_usage()), save
        )

    def _unselected_highlight(self) -> HighlightSpan | None:
        """With nothing selected, the highlight `a`, `m` and the number keys act on rather than
        stack a copy: the one under the cursor, or one that is exactly the cursor's sentence
        (at the end of the text the cursor sits just past it)."""
        view = self.view
        if view.selection is not None:
            return None
        current = view.current_highlight()
        if current is not None:
            return current
        span = self.reader.selection_or_sentence()
        return next((h for h in view.highlights if (h.start, h.end) == span), None)

    def _highlight_here(
        self, tags: list[str], note: str = "", span: tuple[int, int] | None = None
    ) -> Annotation | None:
        """Highlight `span` (else the selection or sentence) with `tags` and `note`; undoable."""
        document = self.document
        span = span or self.reader.selection_or_sentence()
        if document is None or span is None:
            self.notify("Nothing to highlight here", severity="warning", markup=False)
            return None
        done = self.safely(lambda: self.session.highlight(document, *span, tags, note))
        if done is None:
            return None
        made, change = done
        self.view.action_clear_selection()
        self.view.set_cursor(made.start)
        self.edited(change)
        return made

    def action_edit(self) -> None:
        current = self.view.current_highlight()
        if current is not None:
            self._edit(current.annotation_id)

    def _edit(self, ann_id: int) -> None:
        annotation = self.safely(lambda: self.workspace.annotation(ann_id))
        if annotation is None:
            return

        def save(edit: AnnotationEdit | None) -> None:
            if edit is not None:
                self.edited(self.safely(lambda: self.session.edit(annotation.id, *_fields(edit))))

        dialog = AnnotateDialog("Edit highlight", annotation.quote, annotation.tags,
                                annotation.note, self.workspace.tag_usage())  # fmt: skip
        self.app.push_screen(dialog, save)

    def action_delete(self) -> None:
        current = self.view.current_highlight()
        if current is not None:
            self.edited(self.safely(lambda: self.session.delete(current.annotation_id)))

    def action_edit_document(self) -> None:
        document = self.document
        if document is None:
            return
        tags = self.workspace.document_tags(document)
        note = self.workspace.document_note(document)

        def save(edit: AnnotationEdit | None) -> None:
            if edit is not None:
                self.edited(
                    self.safely(lambda: self.session.edit_document(document, *_fields(edit)))
                )

        dialog = AnnotateDialog(f"Document: {document.title}", document.title, tags, note,
                                self.workspace.tag_usage())  # fmt: skip
        self.app.push_screen(dialog, save)

    # Undo and redo

    def action_undo(self) -> None:
        self.edited(self.safely(self.session.undo))

    def action_redo(self) -> None:
        self.edited(self.safely(self.session.redo))

    # Tagging in one keystroke: number keys and `.`

    def action_favourite(self, slot: int) -> None:
        """Apply the tag on number key `slot`; on a highlight that has it, take it off."""
        tag = self.safely(lambda: self.session.favourite(slot))
        if tag is not None:
            self._apply_tags([tag], toggle=True)

    def action_repeat_tags(self) -> None:
        """Apply the last tags applied (by dialog, number key or `.`) again."""
        tags = self.safely(self.session.repeat_tags)
        if tags is not None:
            self._apply_tags(tags)

    def _apply_tags(self, tags: list[str], toggle: bool = False) -> None:
        """On a highlight (nothing selected): add the tags to it (a number key toggles its tag).
        Else highlight the selection, or the sentence under the cursor, with the tags."""
        current = self._unselected_highlight()
        if current is not None:
            self.edited(
                self.safely(lambda: self.session.add_tags(current.annotation_id, tags, toggle))
            )
        else:
            self._highlight_here(tags)

    # Many highlights at once

    def action_bulk_tag(self) -> None:
        """Add or remove a tag on every highlight of the open document."""
        if self.document is None:
            return
        ids = [a.id for a in self.workspace.annotations(self.document)]
        if not ids:
            self.notify("This document has no highlights yet", markup=False)
            return
        self.ask_bulk_tagging(ids, f"all {len(ids)} highlight(s) of this document")

    def ask_bulk_tagging(self, ids: list[int], what: str) -> None:
        """Ask for a tag (with suggestions; a new one confirmed), then tag every highlight."""

        def answered(request: BulkTagging | None) -> None:
            if request is not None:
                self.edited(self.safely(
                    lambda: self.session.bulk_tag(ids, request.tag, request.remove)))  # fmt: skip

        dialog = BulkTagDialog(what, self.workspace.tag_usage(), self.session.is_new_tag)
        self.app.push_screen(dialog, answered)

    # The other screens: what they come back with

    def action_search(self) -> None:
        from reader.ui.screens.search_screen import SearchScreen

        self.search_screen = SearchScreen(self.workspace)
        self.app.push_screen(self.search_screen, self._search_done)

    def _search_done(self, result: SearchResult | SearchTagging | None) -> None:
        """Open the result's document with its span selected, or on its highlight."""
        from reader.ui.screens.search_screen import SearchTagging

        self.search_screen = None
        if isinstance(result, SearchTagging):
            found = f"the {len(result.annotation_ids)} highlight(s) found by “{result.query}”"
            self.ask_bulk_tagging(list(result.annotation_ids), found)
        elif result is not None:
            selection = (result.start, result.end) if result.annotation is None else None
            self.go_to(result.document_id, result.start, result.annotation, selection)

    def go_to(self, document_id: int, at: int, annotation_id: int | None = None,
               selection: tuple[int, int] | None = None) -> None:  # fmt: skip
        """Open a document at `at`, on a highlight of the pane or with a span selected."""
        document = self.safely(lambda: self.workspace.document(document_id))
        if document is None:
            return
        self.open_document(document, at)
        if self.document is None or self.document.id != document_id:
            return  # it could not be opened: the refusal was shown
        if annotation_id is not None:
            self.panes.highlights.highlight_annotation(annotation_id)
        if selection is not None and selection[1] > selection[0]:
            self.view.select(*selection)  # ready to highlight with a or m
        self.view.set_cursor(selection[1] if selection else at, center=True)

    def action_tags(self) -> None:
        from reader.ui.screens.tags_screen import TagsScreen

        tags_before = self.session.tag_keys()
        self.app.push_screen(TagsScreen(self.workspace),
                             lambda jump: self._tags_done(jump, tags_before))  # fmt: skip

    def _tags_done(self, jump: TagJump | None, tags_before: set[str]) -> None:
        """Back from the tags view: names, colours and keys may have changed."""
        restarted = self.session.codebook_changed(tags_before)
        said = "Undo starts afresh: tags were renamed, merged or deleted" if restarted else ""
        self.edited(Change(said, codebook_changed=True))
        if jump is None:
            return
        annotation = jump.annotation
        self.go_to(annotation.document_id, annotation.start, annotation.id)
        if annotation.status == "orphaned":
            self.notify("This highlight lost its text: select new text and press R", markup=False)

    def action_stats(self) -> None:
        stats = self.safely(self.workspace.stats)
        if stats is not None:
            from reader.ui.screens.stats_screen import StatsScreen

            self.app.push_screen(StatsScreen(stats, self.workspace))

    def action_orphans(self) -> None:
        from reader.ui.screens.orphan_actions import show_orphans

        show_orphans(self)

    def action_reattach(self) -> None:
        """Attach one of this document's orphans to the selected text."""
        from reader.ui.screens.orphan_actions import reattach_orphan

        reattach_orphan(self)

    def action_export(self) -> None:
        from reader.ui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.workspace, self.document))


def _fields(edit: AnnotationEdit) -> tuple[list[str], str]:
    return edit.tags, edit.note

