"""The three panes of the main screen and which of them show: the library, the reader and the
open document's highlights. The container owns the layout (it follows the terminal's width and
the user's L and A) and keeps the highlights pane and the reader's cursor together."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import OptionList

from reader.errors import UsageError
from reader.models import Annotation, Document
from reader.text.relocate import relocate_offset
from reader.ui.screens.add_dialog import AddDialog, Added
from reader.ui.screens.metadata_dialog import MetadataDialog
from reader.ui.widgets.annotations_pane import AnnotationsPane
from reader.ui.widgets.corpus_watcher import CorpusWatcher, sync_summary
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.library_pane import LibraryPane
from reader.ui.widgets.reader_pane import ReaderPane, highlight_spans
from reader.workspace import Workspace

NARROW_WIDTH = 110  # below this, the library and the reader take turns
WIDE_WIDTH = 150  # from this width up, the highlights pane shows by default


class MainPanes(Horizontal):
    """Library | reader | highlights; narrow terminals show the library or the reader."""

    HELP_TITLE = "Panes"

    BINDINGS = [
        Binding("L", "focus_library", "Library", id="focus_library",
                tooltip="Go to the library (again: hide it and go back to the text)"),
        Binding("A", "focus_highlights", "Highlights", id="focus_highlights",
                tooltip="Go to the highlights pane (again: hide it and go back to the text)"),
        Binding("S", "sync", "Sync corpus", show=False, id="sync",
                tooltip="Read corpus/ again now (it is also watched while the app runs)"),
        Binding("ctrl+o", "add_article", "Add article", show=False, id="add_article",
                tooltip="Add a web page (address) or a file (HTML, PDF, EPUB, DOCX, text)"),
        Binding("I", "edit_metadata", "Title, author…", show=False, id="edit_metadata",
                tooltip="Correct the title, author, date, source or site of the document"),
    ]  # fmt: skip

    class LayoutChanged(Message):
        """The user showed or hid the library or the highlights (L, A): worth remembering."""

    def __init__(self, workspace: Workspace, documents: list[Document]) -> None:
        super().__init__(id="panes")
        self.workspace = workspace
        self.library = LibraryPane(documents, id="library")
        self.library.set_documents(documents, workspace.all_attributes)  # read when needed
        self.reader = ReaderPane(workspace, id="reader-pane")
        self.highlights = AnnotationsPane(id="annotations")
        self.watcher = CorpusWatcher(workspace.root, workspace.corpus_dir)
        self.library_visible = True
        self.highlights_visible: bool | None = None  # None: decided by the terminal width
        self.widths: tuple[int | None, int | None] = (None, None)  # `[ui]` library, highlights
        self._widths_for: bool | None = None  # the narrowness the widths were last set for

    def compose(self) -> ComposeResult:
        yield self.library
        yield self.reader
        yield self.highlights
        yield self.watcher

    @property
    def view(self) -> DocumentView:
        return self.reader.view

    # What the screen sets

    def show_document(
        self, document: Document, text: str, annotations: list[Annotation],
        colors: dict[str, str], at: int,
    ) -> None:  # fmt: skip
        """Show `document` in the reader (taking the whole width when narrow) and focus it."""
        self.reader.show_document(document, text, highlight_spans(annotations, colors), at)
        self.highlights.show(annotations, colors)
        self.library.select_document(document.id)
        if self._width < NARROW_WIDTH:
            self.library_visible = False
        self.apply_layout()
        self.view.focus()

    def show_annotations(
        self, annotations: list[Annotation], colors: dict[str, str], keep_id: int | None
    ) -> None:
        self.view.set_highlights(highlight_spans(annotations, colors))
        self.highlights.show(annotations, colors, keep_id)

    # The live library

    def refresh_library(self) -> None:
        """Show the documents and their attributes as the store has them now: the library's
        columns in one query, a document's full record and the attributes read when needed."""
        workspace = self.workspace
        self.library.set_rows(workspace.library_listing(), self._document_or_none,
                              workspace.all_attributes)  # fmt: skip

    def _document_or_none(self, doc_id: int) -> Document | None:
        try:
            return self.workspace.document(doc_id)
        except UsageError:  # gone since the listing was read: the row shows what it had
            return None

    def on_mount(self) -> None:
        if getattr(self.app, "live_library", False):
            # After the first frame: the sync's scan (0.5 s at 100,000 files) would hold the
            # interpreter while the screen is being drawn.
            self.call_after_refresh(self.watcher.start)

    def action_sync(self) -> None:
        self.notify("Reading corpus/ …", markup=False, timeout=2)
        self.watcher.sync_now()

    def action_add_article(self) -> None:
        def added(outcome: Added | None) -> None:
            if outcome is None:
                return
            self.notify(outcome.message, markup=False)
            self.refresh_library()
            self.library.select_document(outcome.document_id)
            document = self.workspace.document(outcome.document_id)
            if document.status == "ok":
                self.library.post_message(LibraryPane.DocumentChosen(document))
            self.reload_if_changed()  # the dialog's sync may have read the open file again

        self.app.push_screen(AddDialog(self.workspace.root), added)

    def _metadata_target(self) -> Document | None:
        """The document the user is on: the library's highlighted row when the library has
        the keyboard, else the open document."""
        focused = self.screen.focused
        if focused is not None and self.library in focused.ancestors_with_self:
            return self.library.highlighted_document
        return self.reader.document or self.library.highlighted_document

    def action_edit_metadata(self) -> None:
        document = self._metadata_target()
        if document is None:
            self.notify("Open or highlight a document first", markup=False)
            return

        def saved(updated: Document | None) -> None:
            if updated is None:
                return
            self.refresh_library()  # the filter reads titles
            if self.reader.document is not None and self.reader.document.id == updated.id:
                self.reader.show_header(self.workspace.tag_colors())
            self.notify(f"Saved: {updated.title}", markup=False)

        self.app.push_screen(MetadataDialog(self.workspace, document), saved)

    @on(CorpusWatcher.Failed)
    def _corpus_failed(self, event: CorpusWatcher.Failed) -> None:
        self.notify(f"Could not read corpus/: {event.reason}", severity="error", markup=False)

    @on(CorpusWatcher.Synced)
    def _corpus_synced(self, event: CorpusWatcher.Synced) -> None:
        """Files in `corpus/` changed: the library shows the store as it is now."""
        report = event.report
        if report.touched:
            self.notify(sync_summary(report), markup=False)
            self.refresh_library()
        self.reload_if_changed()

    def reload_if_changed(self) -> None:
        """Reload the open document in place (position kept, highlights re-placed, keyboard
        left where it is) when the store holds another text than the one on show: a sync here
        or in another process read its file again. Offsets typed on a stale text would land
        on other words."""
        document = self.reader.document
        if document is None:
            return
        fresh = self.workspace.document(document.id)
        if fresh.status == "ok" and fresh.content_hash == self.reader.loaded_hash:
            return
        colors = self.workspace.tag_colors()
        if fresh.status != "ok":
            if self.reader.loaded_hash is not None:  # say it once
                self.reader.loaded_hash = None
                self.reader.document = fresh
                self.reader.show_header(colors)
                self.notify(f"{fresh.path}: {fresh.warning or fresh.status}; its highlights "
                            "are kept", severity="warning", markup=False)  # fmt: skip
            return
        old_text, offset = self.view.text, self.view.cursor
        text = self.workspace.text(fresh)
        annotations = self.workspace.annotations(fresh)
        at = relocate_offset(old_text, text, offset)
        self.reader.show_document(fresh, text, highlight_spans(annotations, colors), at)
        self.reader.show_header(colors)
        self.highlights.show(annotations, colors)

    # Layout

    @property
    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self) -> None:
        self.apply_layout()

    def apply_layout(self) -> None:
        width = self._width
        narrow = width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        self._apply_widths(narrow)
        has_document = self.reader.document is not None
        show_library = self.library_visible or not has_document
        show_highlights = has_document and (
            self.highlights_visible if self.highlights_visible is not None else width >= WIDE_WIDTH
        )
        if narrow and show_library:
            show_highlights = False
        self.library.display = show_library
        self.reader.display = has_document and not (narrow and show_library)
        self.highlights.display = show_highlights
        self._keep_focus_on_show(show_library)

    def _apply_widths(self, narrow: bool) -> None:
        """The `[ui]` pane widths in columns; narrow, the library takes the width it shows in."""
        library, highlights = self.widths
        if self._widths_for == narrow:
            return
        self._widths_for = narrow
        if library:
            self.library.styles.width = "1fr" if narrow else library
            self.library.styles.min_width = self.library.styles.max_width = (
                None if narrow else library
            )
        if highlights:
            self.highlights.styles.width = highlights

    def _keep_focus_on_show(self, show_library: bool) -> None:
        """A pane that just hid must not keep the keyboard: keys would go nowhere."""
        if not self.is_mounted:
            return
        focused = self.screen.focused
        if focused is not None and all(node.display for node in focused.ancestors_with_self):
            return
        if self.reader.display:
            self.view.focus()
        elif show_library:
            self.library.focus_list()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_highlights" and self.reader.document is None:
            return None
        return True

    def action_focus_library(self) -> None:
        """Go to the library, showing it; from the library, hide it and go back to the text."""
        self.post_message(self.LayoutChanged())
        focused = self.screen.focused
        in_library = focused is not None and self.library in focused.ancestors_with_self
        if in_library and self.reader.document is not None:
            self.library_visible = False
            self.apply_layout()
            self.view.focus()
            return
        self.library_visible = True
        self.apply_layout()
        self.library.focus_list()

    def action_focus_highlights(self) -> None:
        """Go to the highlights pane, showing it; from the pane, hide it and go back."""
        self.post_message(self.LayoutChanged())
        if self.reader.document is None:
            return
        if self.highlights.display and self.screen.focused is self.highlights:
            self.highlights_visible = False
            self.apply_layout()
            self.view.focus()
            return
        self.highlights_visible = True
        if self._width < NARROW_WIDTH:
            self.library_visible = False
        self.apply_layout()
        self.highlights.focus()

    # The highlights pane drives the reader, the reader's cursor drives the pane

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        current = event.view.current_highlight()
        if current is not None:
            self.highlights.highlight_annotation(current.annotation_id)

    @on(OptionList.OptionHighlighted, "#annotations")
    def _annotation_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        pane = self.highlights
        if not pane.has_focus or event.option_index >= len(pane.annotations):
            return
        annotation = pane.annotations[event.option_index]
        if annotation.status != "orphaned":
            self.view.set_cursor(annotation.start, center=True)

    @on(OptionList.OptionSelected, "#annotations")
    def _annotation_selected(self, event: OptionList.OptionSelected) -> None:
        pane = self.highlights
        if event.option_index >= len(pane.annotations):
            return
        annotation = pane.annotations[event.option_index]
        if annotation.status == "orphaned":
            self.notify("This highlight lost its text when the file changed",
                        severity="warning", markup=False)  # fmt: skip
            return
        self.view.set_cursor(annotation.start, center=True)
        self.view.focus()

