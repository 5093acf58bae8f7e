"""The library's list: every document in one list that stays fast at 10,000 rows.

`DocumentList` draws rows itself with the Line API (`render_line`), so only the rows on screen
are ever rendered. Titles, authors, paths and warnings are untrusted: each is passed through
`display_safe_line` and drawn as literal segments, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.models import Document
from reader.text.sanitize import display_safe_line
from reader.ui.widgets.library_rows import (
    MARK_CLASSES,
    SORT_KEYS,
    STATUS_MARKS,
    FuzzyIndex,
    RowRole,
    SortKey,
    layout_row,
    sorted_indices,
)


class DocumentList(ScrollView, can_focus=True):
    """One row per document, drawn with the Line API; sorting and filtering reorder the rows."""

    HELP_TITLE = "Library"

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("o", "cycle_sort", "Sort", id="library.sort"),
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

    DEFAULT_CSS = """
    DocumentList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        & > .document-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .document-list--cursor-blurred {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .document-list--hover { background: $block-hover-background; }
        & > .document-list--unavailable { color: $text-disabled; }
        & > .document-list--mark-missing { color: $text-error; text-style: bold; }
        & > .document-list--mark-skipped { color: $text-warning; text-style: bold; }
        & > .document-list--detail { color: $text-muted; }
        & > .document-list--count { color: $text-accent; }
    }
    """

    class Chosen(Message):
        """Enter or a click asked to open `document` (never a skipped one)."""

        def __init__(self, document: Document) -> None:
            super().__init__()
            self.document = document

    class Highlighted(Message):
        """The highlighted document changed (None when the list shows no rows)."""

        def __init__(self, document: Document | None) -> None:
            super().__init__()
            self.document = document

    class ViewChanged(Message):
        """Rows were re-sorted, filtered or replaced; the pane retitles itself."""

    class FilterRequested(Message):
        """The user pressed `f`: the pane focuses its filter."""

    def __init__(
        self,
        documents: Sequence[Document] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._documents: list[Document] = []
        self._index = FuzzyIndex(self._documents)
        self._orders: dict[SortKey, list[int]] = {}
        self._sort_by: SortKey = "title"
        self._filter_text = ""
        self._rows: list[int] = []
        self._cursor: int | None = None
        self._hover: int | None = None
        self._click_opened = False
        self._announced: Document | None = None
        self._strips: LRUCache[tuple[int, int, str], Strip] = LRUCache(1024)
        self.set_documents(documents)

    # -- state ----------------------------------------------------------------------------------

    @property
    def documents(self) -> Sequence[Document]:
        """Every document, filtered out or not, in the order given."""
        return self._documents

    @property
    def sort_by(self) -> SortKey:
        return self._sort_by

    @property
    def filter_text(self) -> str:
        """The filter currently applied ("" shows every document)."""
        return self._filter_text

    @property
    def is_filtered(self) -> bool:
        """True when the query has words to match (punctuation alone filters nothing)."""
        return bool(FuzzyIndex.words(self._filter_text))

    @property
    def row_count(self) -> int:
        """How many rows the list shows now."""
        return len(self._rows)

    @property
    def rows(self) -> list[Document]:
        """The documents shown, top to bottom."""
        return [self._documents[i] for i in self._rows]

    @property
    def cursor(self) -> int | None:
        """Row number of the highlighted row, or None when there are no rows."""
        return self._cursor

    @property
    def highlighted_document(self) -> Document | None:
        if self._cursor is None:
            return None
        return self._documents[self._rows[self._cursor]]

    def set_documents(self, documents: Iterable[Document]) -> None:
        """Replace every document, keeping the highlighted one (by id) if it is still there."""
        keep = self.highlighted_document
        self._documents = list(documents)
        self._index = FuzzyIndex(self._documents)
        self._orders.clear()
        self._strips.clear()
        self._rebuild_rows(keep_id=keep.id if keep else None)

    def update_documents(self, documents: Iterable[Document]) -> None:
        """Replace these documents' rows in place (say, a highlight count changed after an
        edit): no re-read of the library, no new filter index; only a sort by count moves."""
        position = {document.id: i for i, document in enumerate(self._documents)}
        changed = False
        for document in documents:
            index = position.get(document.id)
            if index is not None and self._documents[index] != document:
                self._documents[index] = document
                changed = True
        if not changed:
            return
        self._strips.clear()
        self._orders.pop("annotations", None)
        if self._sort_by == "annotations":
            keep = self.highlighted_document
            self._rebuild_rows(keep_id=keep.id if keep else None)
        else:
            self.refresh()

    def set_sort_by(self, order: SortKey) -> None:
        """Sort by `order`, keeping the highlighted document highlighted."""
        self._sort_by = order
        keep = self.highlighted_document
        self._rebuild_rows(keep_id=keep.id if keep else None)

    def cycle_sort_by(self) -> SortKey:
        """Switch to the next sort order (title → date → most annotated → title)."""
        position = SORT_KEYS.index(self._sort_by)
        self.set_sort_by(SORT_KEYS[(position + 1) % len(SORT_KEYS)])
        return self._sort_by

    def set_filter_text(self, query: str) -> None:
        """Show only documents matching `query`, best match first, and highlight the best."""
        if query == self._filter_text:
            return
        self._filter_text = query
        self._rebuild_rows(keep_id=None)

    def select_document(self, document_id: int) -> bool:
        """Highlight the document with this id and scroll to it; False if it is not shown."""
        for row, index in enumerate(self._rows):
            if self._documents[index].id == document_id:
                self._move_cursor(row)
                return True
        return False

    def _order(self, order: SortKey) -> list[int]:
        if order not in self._orders:
            self._orders[order] = sorted_indices(self._documents, order)
        return self._orders[order]

    def _rebuild_rows(self, keep_id: int | None) -> None:
        order = self._order(self._sort_by)
        if not self.is_filtered:
            self._rows = list(order)
        else:
            scores = self._index.scores(self._filter_text)
            self._rows = [index for index in order if index in scores]
            self._rows.sort(key=lambda index: -scores[index])  # stable: ties keep the sort order
        self._hover = None
        self.virtual_size = Size(0, len(self._rows))
        row = 0 if self._rows else None
        if keep_id is not None:
            for position, index in enumerate(self._rows):
                if self._documents[index].id == keep_id:
                    row = position
                    break
        self._cursor = None
        self._move_cursor(row, top=row == 0)
        self.refresh()
        self.post_message(self.ViewChanged())

    def _move_cursor(self, row: int | None, top: bool = False) -> None:
        """Highlight `row` (clamped to the rows), redraw the two rows affected, scroll to it."""
        if row is not None:
            row = max(0, min(row, len(self._rows) - 1)) if self._rows else None
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
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, self.get_visual_style().rich_style)
        if row == self._cursor:
            state = "document-list--cursor" if self.has_focus else "document-list--cursor-blurred"
        elif row == self._hover:
            state = "document-list--hover"
        else:
            state = ""
        index = self._rows[row]
        key = (index, width, state)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(self._documents[index], width, state)
            self._strips[key] = strip
        return strip

    def _render_row(self, document: Document, width: int, state: str) -> Strip:
        """A row as literal segments: nothing in a title is ever read as markup."""
        # Later component classes win: the cursor recolours the row, the mark keeps its colour.
        row = () if document.status == "ok" else ("document-list--unavailable",)
        over = (state,) if state else ()
        mark = MARK_CLASSES.get(document.status, ())
        style = self.get_visual_style
        styles: dict[RowRole, Style] = {
            "pad": style(*over).rich_style,
            "title": style(*row, *over).rich_style,
            "detail": style(*row, "document-list--detail", *over).rich_style,
            "count": style("document-list--count", *over).rich_style,
            "mark": style(*over, *mark).rich_style,
        }
        title = display_safe_line(document.title or document.path)
        detail = display_safe_line(document.date or document.author or "")
        count = f"✎{document.annotations}" if document.annotations else ""
        if document.orphans:
            count += f" ⚠{document.orphans}"  # highlights that lost their text: see `O`
        pieces = layout_row(STATUS_MARKS.get(document.status, "?"), title, detail, count, width)
        strip = Strip([Segment(text, styles[role]) for text, role in pieces])
        return strip.adjust_cell_length(width, styles["pad"])

    def notify_style_update(self) -> None:
        """Theme or focus changed: every cached row may need new colours."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()

    def on_resize(self, _: events.Resize) -> None:
        self._scroll_to_cursor()

    def on_show(self, _: events.Show) -> None:
        self._scroll_to_cursor()

    def on_focus(self, _: events.Focus) -> None:
        self.refresh()

    def on_blur(self, _: events.Blur) -> None:
        self.refresh()

    # -- mouse --------------------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        row = self.scroll_offset.y + offset.y
        return row if 0 <= row < len(self._rows) else None

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
        self._move_cursor(len(self._rows) - 1)

    def action_cycle_sort(self) -> None:
        self.cycle_sort_by()

    def action_focus_filter(self) -> None:
        self.post_message(self.FilterRequested())

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
