"""The library pane: a fuzzy filter box over the list of every document."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from reader.models import Document
from reader.text.attribute_filters import split_filters
from reader.ui.screens.prompt_dialogs import PromptDialog
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.library_columns import ColumnRows, DocumentLoader
from reader.ui.widgets.library_model import AttributeSource
from reader.ui.widgets.library_rows import SORT_LABELS, FuzzyIndex, SortKey


class LibraryFilter(Input):
    """The filter box: Down or Enter goes to the list; Escape clears it (or, if empty, leaves)."""

    HELP_TITLE = "Library filter"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "submit", "To list", show=False, id="library.filter.to_list"),
        Binding("escape", "clear_filter", "Clear filter", id="library.filter.clear"),
    ]

    def action_clear_filter(self) -> None:
        if self.value:
            self.clear()
        else:
            self.post_message(self.Submitted(self, self.value))


class LibraryPane(Vertical):
    """The left pane: a filter box over the list of every document."""

    DEFAULT_CSS = """
    LibraryPane {
        height: 1fr;
        border: round $border-blurred;
        border-title-color: $text-muted;
        &:focus-within {
            border: round $border;
            border-title-color: $text;
        }
        & > LibraryFilter { margin: 0 0 1 0; }
    }
    """

    class DocumentChosen(Message):
        """The user asked to open `document` (Enter, or a click on the highlighted row)."""

        def __init__(self, document: Document, *, library: LibraryPane | None = None) -> None:
            super().__init__()
            self.document = document
            self.library = library

        @property
        def control(self) -> LibraryPane | None:
            return self.library

    class DocumentHighlighted(Message):
        """The highlighted document changed (None when no row is shown)."""

        def __init__(
            self, document: Document | None, *, library: LibraryPane | None = None
        ) -> None:
            super().__init__()
            self.document = document
            self.library = library

        @property
        def control(self) -> LibraryPane | None:
            return self.library

    def __init__(
        self,
        documents: Sequence[Document] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document_list = DocumentList(documents, id="library-list")
        self.filter_input = LibraryFilter(
            placeholder="Filter (f)", id="library-filter", compact=True
        )
        self._retitle()

    def compose(self) -> ComposeResult:
        yield self.filter_input
        yield self.document_list

    # -- API ------------------------------------------------------------------------------------

    @property
    def highlighted_document(self) -> Document | None:
        return self.document_list.highlighted_document

    @property
    def sort_by(self) -> SortKey:
        return self.document_list.sort_by

    def set_documents(
        self, documents: Iterable[Document], attributes: AttributeSource | None = None
    ) -> None:
        """Replace the documents (and their attributes by id, for `outlet:ECFR` filters and
        grouping), keeping the highlighted one (by id) if it is still there."""
        self.document_list.set_documents(documents, attributes)
        self._retitle()

    def set_rows(
        self,
        columns: ColumnRows,
        load: DocumentLoader | None = None,
        attributes: AttributeSource | None = None,
    ) -> None:
        """Replace the rows with `columns` (`Workspace.library_listing()`), `load` giving a
        document by id when a row needs it, and the attributes (or how to read them when a
        filter or grouping first needs them); the highlighted document and filter stay."""
        self.document_list.set_rows(columns, load, attributes)
        self._retitle()

    def update_documents(self, documents: Iterable[Document]) -> None:
        """Redraw the rows of these documents (their counts changed), nothing else."""
        self.document_list.update_documents(documents)

    def select_document(self, doc_id: int) -> bool:
        """Highlight document `doc_id` and scroll to it, clearing the filter if it hides it."""
        if self.document_list.select_document(doc_id):
            return True
        if self.document_list.model.index_of(doc_id) is None:
            return False
        self.document_list.set_filter_text("")
        self.filter_input.value = ""  # its Changed message finds the query already applied
        self._retitle()
        return self.document_list.select_document(doc_id)

    def focus_list(self, scroll_visible: bool = True) -> None:
        """Give the keyboard to the list (the filter keeps its text)."""
        self.document_list.focus(scroll_visible)

    def focus_filter(self) -> None:
        """Give the keyboard to the filter box."""
        self.filter_input.focus()

    def focus(self, scroll_visible: bool = True) -> LibraryPane:
        """Focusing the pane focuses its list (the pane itself takes no keys)."""
        self.focus_list(scroll_visible)
        return self

    # -- messages -------------------------------------------------------------------------------

    def _retitle(self) -> None:
        listing = self.document_list
        total = len(listing.documents)
        words, _ = split_filters(listing.filter_text)
        if listing.is_filtered:
            count = f"{listing.row_count} of {total}"
            order = "by match" if FuzzyIndex.words(words) else self._order_label()
        else:
            count, order = str(total), self._order_label()
        self.border_title = Content.assemble("Library · ", count, " · ", order)

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.document_list.set_filter_text(event.value)
        self._retitle()

    @on(events.DescendantFocus)
    def _filter_focused(self, event: events.DescendantFocus) -> None:
        if event.widget is self.filter_input:  # a filter is coming: get its strings ready
            self.document_list.prepare_filter()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()

    @on(DocumentList.FilterRequested)
    def _focus_filter(self, event: DocumentList.FilterRequested) -> None:
        event.stop()
        self.focus_filter()

    def _order_label(self) -> str:
        group = self.document_list.group_by
        return f"by {group}" if group else SORT_LABELS[self.document_list.sort_by]

    @on(DocumentList.GroupRequested)
    def _ask_group(self, event: DocumentList.GroupRequested) -> None:
        event.stop()
        names = self.document_list.model.attribute_names
        if not names:
            self.notify("No document has attributes yet: I on a document sets some",
                        markup=False)  # fmt: skip
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            name = name.strip().casefold()
            if name and name not in names:
                self.notify(f"No document has the attribute {name!r}", severity="warning",
                            markup=False)  # fmt: skip
                return
            self.document_list.set_group_by(name or None)
            self._retitle()

        hint = "One of: " + ", ".join(names) + " · empty: back to the sort order (o)"
        self.app.push_screen(PromptDialog("Order the library by", self.document_list.group_by
                                          or "", hint, names), chosen)  # fmt: skip

    @on(DocumentList.ViewChanged)
    def _view_changed(self, event: DocumentList.ViewChanged) -> None:
        self._retitle()  # and on up: the app remembers the sort

    @on(DocumentList.Chosen)
    def _chosen(self, event: DocumentList.Chosen) -> None:
        event.stop()
        self.post_message(self.DocumentChosen(event.document, library=self))

    @on(DocumentList.Highlighted)
    def _highlighted(self, event: DocumentList.Highlighted) -> None:
        event.stop()
        self.post_message(self.DocumentHighlighted(event.document, library=self))
