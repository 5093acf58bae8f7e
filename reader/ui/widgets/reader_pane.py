"""The middle pane: the open document's header, its text, the find bar and the number-key legend.

The pane owns what is local to reading: which document is shown, find in document (the bar
posts its query, the pane marks matches and moves the cursor), copying what is selected, and the
legend. What the user changes travels up to the screen as messages; the screen sets what the
pane shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from reader.models import Annotation, Document
from reader.text import textnav
from reader.ui.clipboard_copy import copy_text
from reader.ui.refusals import run_safely
from reader.ui.widgets.document_header import DocumentHeader
from reader.ui.widgets.document_view import DEFAULT_HIGHLIGHT, DocumentView, HighlightSpan
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.key_legend import KeyLegend
from reader.ui.widgets.markdown_styles import is_markdown
from reader.workspace import Workspace


def highlight_spans(annotations: list[Annotation], colors: dict[str, str]) -> list[HighlightSpan]:
    """What the view draws: anchored highlights in their own colour, else their first tag's."""
    spans = []
    for annotation in annotations:
        if annotation.status == "orphaned":
            continue  # its offsets no longer point at its words; listed in the pane only
        color = annotation.color or next(
            (colors[t.casefold()] for t in annotation.tags if t.casefold() in colors),
            DEFAULT_HIGHLIGHT,
        )
        spans.append(HighlightSpan(annotation.id, annotation.start, annotation.end, color))
    return spans


class ReaderPane(Vertical):
    """Header, text, find bar and legend of the one open document."""

    HELP_TITLE = "Copying"

    DEFAULT_CSS = """
    ReaderPane {
        width: 1fr;
    }
    """
    BINDINGS = [
        Binding("y", "copy", "Copy", show=False, id="copy",
                tooltip="Copy the selection or highlight as a cited Markdown quote"),
        Binding("Y", "copy_document", "Copy all highlights", show=False, id="copy_document",
                tooltip="Copy the document's highlights as Markdown"),
    ]  # fmt: skip

    @dataclass
    class DocumentShown(Message):
        """Another document is on show (the app remembers it, to reopen it next time)."""

        document: Document

    def __init__(self, workspace: Workspace, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.workspace = workspace
        self.document: Document | None = None
        self.loaded_hash: str | None = None  # content hash of the text on show
        self.header = DocumentHeader("Choose a document (Enter)", id="document-header")
        self.view = DocumentView(id="document")
        self.find_bar = FindBar(id="find-bar")
        self.legend = KeyLegend(id="key-legend")
        self._folded_text: str | None = None

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.view
        yield self.find_bar
        yield self.legend

    # What the screen sets

    def show_document(
        self, document: Document, text: str, spans: list[HighlightSpan], at: int
    ) -> None:
        """Show `document` with the cursor at `at`; a find in the last one is closed."""
        if self.document is None or self.document.id != document.id:
            self.post_message(self.DocumentShown(document))
        self.document = document
        self.loaded_hash = document.content_hash  # of the text on show (`document` is refreshed)
        self._folded_text = None
        if self.find_bar.is_open:
            self.close_find()
        self.view.load(text, spans, cursor=at, markdown=is_markdown(document.path))

    def show_header(self, colors: dict[str, str]) -> None:
        """The header of the open document as the store has it now (counts, its own tags)."""
        if self.document is None:
            return
        ws = self.workspace
        self.document = document = ws.document(self.document.id)
        self.header.show(document, ws.document_tags(document), ws.document_note(document), colors,
                         ws.attributes(document))  # fmt: skip

    def show_legend(self, colors: dict[str, str]) -> None:
        self.legend.show(self.workspace.favourite_tags(), colors)

    def save_reading_position(self) -> None:
        """Remember where the user is in the open document, for the next time it opens."""
        document = self.document
        if document is None or document.status != "ok":
            return
        offset = self.view.cursor
        run_safely(self, lambda: self.workspace.save_reading_position(document, offset))

    def selection_or_sentence(self) -> tuple[int, int] | None:
        """The selection, trimmed of surrounding whitespace; without one, the cursor's sentence."""
        view = self.view
        start, end = view.selection or textnav.sentence_bounds(view.text, view.cursor)
        while start < end and view.text[start].isspace():
            start += 1
        while end > start and view.text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    # Find in the document

    def open_find(self) -> None:
        if self.document is None:
            return
        self.find_bar.add_class("-open")
        self.find_bar.focus()
        if self.find_bar.value:
            self._find(self.find_bar.value)

    def close_find(self) -> None:
        self.find_bar.remove_class("-open")
        self.view.set_matches([])
        self.view.focus()

    def _find(self, query: str) -> None:
        view = self.view
        if self._folded_text is None:
            self._folded_text = textnav.fold(view.text)
        view.set_matches(textnav.find_all(view.text, query, self._folded_text))
        matches = view.matches  # none in a Markdown article's hidden front matter
        self.find_bar.border_title = Content(f"{len(matches)} match(es)")
        ahead = [start for start, _ in matches if start >= view.cursor]
        if matches:
            view.set_cursor(ahead[0] if ahead else matches[0][0])

    @on(DocumentView.FindRequested)
    def _find_requested(self, event: DocumentView.FindRequested) -> None:
        event.stop()
        self.open_find()

    @on(Input.Changed, "#find-bar")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._find(event.value)

    @on(Input.Submitted, "#find-bar")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.view.focus()  # the bar stays open: n / N move between the marked matches

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        event.stop()
        self.close_find()

    # Copying as cited Markdown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "copy_document") and self.document is None:
            return None
        return True

    def action_copy(self) -> None:
        """Copy the selection, else the highlight under the cursor, as a cited Markdown quote."""
        document, view, ws = self.document, self.view, self.workspace
        if document is None:
            return
        if view.selection is not None:
            start, end = view.selection
            cited = run_safely(self, lambda: ws.citation_for_span(document, start, end))
            what = "the selection"
        else:
            current = view.current_highlight()
            if current is None:
                self.notify("Select text or move onto a highlight to copy", markup=False)
                return
            cited = run_safely(self, lambda: ws.citation_for_annotation(current.annotation_id))
            what = "the highlight"
        if cited is not None:
            copy_text(self, cited, what)

    def action_copy_document(self) -> None:
        """Copy every highlight of the open document as Markdown."""
        document = self.document
        if document is None:
            return
        done = run_safely(self, lambda: self.workspace.highlights_markdown(document))
        if done is None:
            return
        markdown, count = done
        if not count:
            self.notify("This document has no highlights yet", markup=False)
            return
        copy_text(self, markdown, f"{count} highlight(s)")
