"""The library's list: every document in one list that stays fast at 100,000 rows.

`DocumentList` draws rows itself with the Line API (`render_line`), so only the rows on screen
are ever rendered. Titles, authors, paths and warnings are untrusted: each is passed through
`display_safe_line` and drawn as literal segments, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.models import Document
from reader.text.sanitize import display_safe_line
from reader.ui.widgets.library_columns import ColumnRows, DocumentLoader
from reader.ui.widgets.library_filtering import (
    PREPARE_AFTER_SECONDS,
    Filtered,
    filter_in_background,
    needs_background,
    prepare_index_in_background,
    release_held_objects,
)
from reader.ui.widgets.library_model import AttributeSource, LibraryModel
from reader.ui.widgets.library_row_strip import DOCUMENT_LIST_CSS, render_row
from reader.ui.widgets.library_rows import SortKey


class DocumentList(ScrollView, can_focus=True):
    """One row per document, drawn with the Line API; sorting and filtering reorder the rows."""

    HELP_TITLE = "Library"

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("o", "cycle_sort", "Sort", id="library.sort"),
        Binding("b", "group_by", "Group by", show=False, id="library.group",
                tooltip="Order the library by an attribute (outlet, year…), its value on each row"),
        Binding("f", "focus_filter", "Filter", id="library.filter"),
        Binding("up,k", "cursor_up", "Up", show=False, id="library.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="library.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="library.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="library.page_down"),
        Binding("home,g", "first", "First", show=False, id="library.first"),
        Binding("end,G", "last", "Last", show=False, id="library.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-list--cursor",
        "document-list--cursor-blurred",
        "document-list--hover",
        "document-list--unavailable",
        "document-list--mark-missing",
        "document-list--mark-skipped",
        "document-list--detail",
        "document-list--count",
    }
    """
    | Class | Description |
    | :- | :- |
    | `document-list--cursor` | The highlighted row while the list has focus. |
    | `document-list--cursor-blurred` | The highlighted row while focus is elsewhere. |
    | `document-list--hover` | The row under the mouse. |
    | `document-list--unavailable` | Rows of missing and skipped documents. |
    | `document-list--mark-missing` | The ✗ mark of a missing document. |
    | `document-list--mark-skipped` | The ⊘ mark of a skipped document. |
    | `document-list--detail` | The date (or author) on the right. |
    | `document-list--count` | The highlight count (✎3). |
    """

    DEFAULT_CSS = DOCUMENT_LIST_CSS

    @dataclass
    class Chosen(Message):
        """Enter or a click asked to open `document` (never a skipped one)."""

        document: Document

    @dataclass
    class Highlighted(Message):
        """The highlighted document changed (None when the list shows no rows)."""

        document: Document | None

    class ViewChanged(Message):
        """Rows were re-sorted, filtered or replaced; the pane retitles itself."""

    class FilterRequested(Message):
        """The user pressed `f`: the pane focuses its filter."""

    class GroupRequested(Message):
        """The user pressed `b`: the pane asks which attribute to order by."""

    def __init__(
        self,
        documents: Sequence[Document] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = LibraryModel()
        self._cursor: int | None = None
        self._hover: int | None = None
        self._click_opened = False
        self._announced: Document | None = None
        self._strips: LRUCache[tuple[int, int, str], Strip] = LRUCache(1024)
        self._pending_query: str | None = None
        self._prepare_soon: Timer | None = None
        self.set_documents(documents)

    # -- state (the model decides the rows; the list keeps the cursor and draws) -------------

    @property
    def documents(self) -> Sequence[Document]:
        """Every document, filtered out or not, in the order given."""
        return self.model.documents

    @property
    def sort_by(self) -> SortKey:
        return self.model.sort_by

    @property
    def group_by(self) -> str | None:
        return self.model.group_by

    @property
    def filter_text(self) -> str:
        """The filter currently applied ("" shows every document)."""
        return self.model.filter_text

    @property
    def is_filtered(self) -> bool:
        return self.model.is_filtered

    @property
    def row_count(self) -> int:
        """How many rows the list shows now."""
        return len(self.model.rows)

    @property
    def rows(self) -> list[Document]:
        """The documents shown, top to bottom."""
        return [self.model.documents[i] for i in self.model.rows]

    @property
    def cursor(self) -> int | None:
        """Row number of the highlighted row, or None when there are no rows."""
        return self._cursor

    @property
    def highlighted_document(self) -> Document | None:
        if self._cursor is None:
            return None
        return self.model.documents[self.model.rows[self._cursor]]

    def set_documents(
        self, documents: Iterable[Document], attributes: AttributeSource | None = None
    ) -> None:
        """Replace every document (and, if given, their attributes by document id), keeping
        the highlighted one (by id) if it is still there."""
        keep = self._highlighted_id()
        self.model.set_documents(documents, attributes)
        self._strips.clear()
        self._show_rows(keep_id=keep)

    def set_rows(
        self,
        columns: ColumnRows,
        load: DocumentLoader | None = None,
        attributes: AttributeSource | None = None,
    ) -> None:
        """Replace every row with `columns` (`Workspace.library_listing()`: no `Document` per
        row; `load` gives one by id when a row is highlighted or opened), keeping the
        highlighted document (by id) and the filter. Cheap enough to repeat during a sync."""
        keep = self._highlighted_id()
        query = self._pending_query or self.model.filter_text
        later = self.is_mounted and needs_background(self.model, query, len(columns))
        self.model.set_rows(columns, load, attributes, refilter=not later)
        self._strips.clear()
        self._show_rows(keep_id=keep)
        if later and filter_in_background(self, self.model, query):
            self._pending_query = query  # meanwhile the last matches, those still there
        if self.is_mounted and self._prepare_soon is None:  # not before the frame settles
            self._prepare_soon = self.set_timer(PREPARE_AFTER_SECONDS, self.prepare_filter)

    def prepare_filter(self) -> None:
        """Build the filter's index for the current rows in a thread (large libraries), if
        not built yet: the first keystroke then only scores."""
        if self._prepare_soon is not None:
            self._prepare_soon.stop()
            self._prepare_soon = None
        prepare_index_in_background(self, self.model)

    def on_unmount(self) -> None:
        release_held_objects()

    def _highlighted_id(self) -> int | None:
        if self._cursor is None or not self.model.rows:
            return None
        return self.model.columns.ids[self.model.rows[self._cursor]]

    def update_documents(self, documents: Iterable[Document]) -> None:
        """Replace these documents' rows in place (say, a highlight count changed after an
        edit): no re-read of the library, no new filter index; only a sort by count moves."""
        keep = self._highlighted_id()
        if not self.model.update_documents(documents):
            return
        self._strips.clear()
        if self.model.sort_by == "annotations" and not self.model.group_by:
            self._show_rows(keep_id=keep)
        else:
            self.refresh()

    def set_sort_by(self, order: SortKey) -> None:
        """Sort by `order`, keeping the highlighted document highlighted."""
        keep = self._highlighted_id()
        self.model.set_sort_by(order)
        self._show_rows(keep_id=keep)

    def set_group_by(self, name: str | None) -> None:
        """Order the rows by attribute `name` (None: by the sort order again), its value on
        each row; documents without it come last."""
        keep = self._highlighted_id()
        self.model.set_group_by(name)
        self._strips.clear()
        self._show_rows(keep_id=keep)

    def cycle_sort_by(self) -> SortKey:
        """Switch to the next sort order (title → date → most annotated → title); a grouping
        by attribute ends first."""
        keep = self._highlighted_id()
        self.model.next_sort()
        self._strips.clear()
        self._show_rows(keep_id=keep)
        return self.model.sort_by

    def set_filter_text(self, query: str) -> None:
        """Show only documents matching `query`, best match first, and highlight the best."""
        if query == self.model.filter_text and self._pending_query is None:
            return
        if self.is_mounted and filter_in_background(self, self.model, query):
            self._pending_query = query  # shown when `Filtered` arrives
            return
        self._pending_query = None
        self.model.set_filter_text(query)
        self._show_rows(keep_id=None)

    @on(Filtered)
    def _filtered(self, event: Filtered) -> None:
        event.stop()
        if event.query != self._pending_query:
            return  # typed over: a newer job is on its way
        if self.model.apply_filter(event.query, event.rows, event.generation):
            self._pending_query = None
            self._show_rows(keep_id=None)
        else:  # the rows or their order changed meanwhile: score again
            self.set_filter_text(event.query)

    @property
    def pending_filter(self) -> str | None:
        """The query being scored in the background, if any (the rows shown are older)."""
        return self._pending_query

    def select_document(self, document_id: int) -> bool:
        """Highlight the document with this id and scroll to it; False if it is not shown."""
        row = self.model.row_of(document_id)
        if row is not None:
            self._move_cursor(row)
        return row is not None

    def _show_rows(self, keep_id: int | None) -> None:
        """The model's rows changed: size, cursor (on `keep_id` if shown) and repaint."""
        self._hover = None
        rows = self.model.rows
        self.virtual_size = Size(0, len(rows))
        row = 0 if rows else None
        if keep_id is not None and (kept := self.model.row_of(keep_id)) is not None:
            row = kept
        self._cursor = None
        self._move_cursor(row, top=row == 0)
        self.refresh()
        self.post_message(self.ViewChanged())

    def _move_cursor(self, row: int | None, top: bool = False) -> None:
        """Highlight `row` (clamped to the rows), redraw the two rows affected, scroll to it."""
        if row is not None:
            rows = self.model.rows
            row = max(0, min(row, len(rows) - 1)) if rows else None
        previous, self._cursor = self._cursor, row
        if previous != row:
            if previous is not None:
                self.refresh_line(previous)
            if row is not None:
                self.refresh_line(row)
        self._scroll_to_cursor(top=top)
        document = self.highlighted_document
        if document is not self._announced:
            self._announced = document
            self.post_message(self.Highlighted(document))

    def _scroll_to_cursor(self, top: bool = False) -> None:
        if self._cursor is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, self._cursor, max(1, self.scrollable_content_region.width), 1),
            animate=False,
            force=True,
            immediate=True,
            top=top,
        )

    # -- rendering ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        if not 0 <= row < len(self.model.rows):
            return Strip.blank(width, self.get_visual_style().rich_style)
        if row == self._cursor:
            state = "document-list--cursor" if self.has_focus else "document-list--cursor-blurred"
        elif row == self._hover:
            state = "document-list--hover"
        else:
            state = ""
        index = self.model.rows[row]
        key = (index, width, state)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(index, width, state)
            self._strips[key] = strip
        return strip

    def _render_row(self, index: int, width: int, state: str) -> Strip:
        return render_row(self.model, index, width, state, self.get_visual_style)

    def notify_style_update(self) -> None:
        """Theme or focus changed: every cached row may need new colours."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    @on(events.Resize)
    @on(events.Show)
    def _keep_cursor_in_view(self) -> None:
        self._scroll_to_cursor()

    @on(events.Focus)
    @on(events.Blur)
    def _repaint_cursor(self) -> None:
        self.refresh()  # the cursor row's colours follow focus

    # -- mouse --------------------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        row = self.scroll_offset.y + offset.y
        return row if 0 <= row < len(self.model.rows) else None

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover:
            for old_or_new in (self._hover, row):
                if old_or_new is not None:
                    self.refresh_line(old_or_new)
            self._hover = row

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row; a click on the highlighted row (or a double click) opens it."""
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        if event.chain == 1:
            self._click_opened = False
        if row != self._cursor:
            self._move_cursor(row)
            self._click_opened = False
        elif not self._click_opened:
            self._click_opened = True
            self.action_open()

    # -- actions --------------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        if self._cursor is not None:
            self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(0 if self._cursor is None else self._cursor + 1)

    def action_page_up(self) -> None:
        if self._cursor is not None:
            self._move_cursor(self._cursor - max(1, self.scrollable_content_region.height))

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height)
        self._move_cursor(0 if self._cursor is None else self._cursor + page)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self.model.rows) - 1)

    def action_cycle_sort(self) -> None:
        self.cycle_sort_by()

    def action_focus_filter(self) -> None:
        self.post_message(self.FilterRequested())

    def action_group_by(self) -> None:
        self.post_message(self.GroupRequested())

    def action_open(self) -> None:
        """Ask to open the highlighted document; a skipped one only says why it was skipped."""
        document = self.highlighted_document
        if document is None:
            return
        if document.status == "skipped":
            reason = display_safe_line(document.warning or "not a readable text file")
            title = display_safe_line(document.title or document.path)
            self.notify(f"{title}: {reason}", title="Skipped", severity="warning", markup=False)
            return
        self.post_message(self.Chosen(document))
