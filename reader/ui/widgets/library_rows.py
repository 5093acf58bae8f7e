"""What the library shows and in which order: row layout, sorting, the fuzzy filter.

Pure helpers with no widget state, so `DocumentList` and its tests share one definition; the
fuzzy filter itself is `library_index.FuzzyIndex`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len, get_character_cell_size, set_cell_size

from reader.models import Document
from reader.text.attribute_filters import passes, split_filters, value_kind
from reader.text.shorten import shorten
from reader.ui.widgets.library_columns import ColumnRows, as_columns
from reader.ui.widgets.library_index import EXACT_TOKEN_LENGTH, FUZZY_CUTOFF, FuzzyIndex

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

SortKey = Literal["title", "date", "annotations"]
SORT_KEYS: tuple[SortKey, ...] = ("title", "date", "annotations")
SORT_LABELS: dict[SortKey, str] = {
    "title": "by title",
    "date": "by date",
    "annotations": "most annotated",
}
STATUS_MARKS = {"ok": " ", "missing": "✗", "skipped": "⊘"}
MARK_CLASSES = {
    "missing": ("document-list--mark-missing",),
    "skipped": ("document-list--mark-skipped",),
}

RowRole = Literal["pad", "mark", "title", "detail", "count"]


# ---------------------------------------------------------------------------------------------
# Pure helpers (no widget state): row layout, sorting, filtering.


def _fit(text: str, width: int) -> str:
    """`shorten` measured as Rich draws, so the row's columns line up to the cell."""
    return shorten(text, width, char_width=get_character_cell_size)


def layout_row(
    mark: str, title: str, detail: str, count: str, width: int
) -> list[tuple[str, RowRole]]:
    """One row as (text, role) pieces filling exactly `width` cells.

    ` m title…             detail ✎3 `: the title keeps at least half the room (or all it
    needs), at least two spaces part it from the detail, and the detail then the count are
    dropped before the title is squeezed further.
    """
    if width <= 0:
        return []
    inner = width - 4  # " m " before the title, one space at the end
    if inner <= 0:
        return [(set_cell_size(f" {mark} ", width), "mark")]
    title_cells = cell_len(title)
    right_room = inner - min(title_cells, inner // 2) - 2
    shown_count = count if count and cell_len(count) <= right_room else ""
    detail_room = right_room - cell_len(shown_count) - (1 if shown_count else 0)
    shown_detail = _fit(detail, detail_room) if detail and detail_room >= 3 else ""
    right_cells = cell_len(shown_detail) + cell_len(shown_count)
    right_cells += 1 if shown_detail and shown_count else 0
    shown_title = _fit(title, inner - right_cells - (2 if right_cells else 0))
    gap = inner - cell_len(shown_title) - right_cells
    pieces: list[tuple[str, RowRole]] = [
        (" ", "pad"),
        (mark, "mark"),
        (" ", "pad"),
        (shown_title, "title"),
        (" " * gap, "pad"),
        (shown_detail, "detail"),
        (" " if shown_detail and shown_count else "", "pad"),
        (shown_count, "count"),
        (" ", "pad"),
    ]
    return [(text, role) for text, role in pieces if text]


def title_order(rows: ColumnRows | Sequence[Document]) -> list[int]:
    """Indices A→Z by title ignoring case, then by path (skipped files not yet moved)."""
    columns = as_columns(rows)
    indices = sorted(range(len(columns)), key=columns.paths.__getitem__)  # a run if in order
    titles = [title.casefold() for title in columns.titles]
    indices.sort(key=titles.__getitem__)  # stable: equal titles stay by path
    return indices


def sorted_indices(
    rows: ColumnRows | Sequence[Document], order: SortKey, by_title: list[int] | None = None
) -> list[int]:
    """Indices into the rows in the given order (`by_title`: `title_order`, if known).

    title: A→Z ignoring case (then by path); date: newest first, undated last; annotations:
    most first; ties by title. Whatever the order, files that could not be read (skipped,
    with their reason) come after the readable ones: they are there to be fixed, not read.
    Python's sort with a list's own `__getitem__` as the key (C, no Python call per row) keeps
    numpy (~90 ms to import) out of the library's first frame.
    """
    columns = as_columns(rows)
    indices = title_order(columns) if by_title is None else by_title
    if order == "date":  # "" (undated) sorts lowest, so last; `reverse` keeps ties in order
        dates = [date or "" for date in columns.dates]
        indices = sorted(indices, key=dates.__getitem__, reverse=True)
    elif order == "annotations":
        indices = sorted(indices, key=columns.annotations.__getitem__, reverse=True)
    statuses = columns.statuses
    if "skipped" not in statuses:
        return list(indices)
    readable = [i for i in indices if statuses[i] != "skipped"]
    return readable + [i for i in indices if statuses[i] == "skipped"]


def attribute_kinds(attributes: Mapping[int, Mapping[str, str]]) -> dict[str, str]:
    """Each attribute name's type (number, date, text) across the documents carrying it."""
    values: dict[str, list[str]] = {}
    for document_values in attributes.values():
        for name, value in document_values.items():
            values.setdefault(name, []).append(value)
    return {name: value_kind(found) for name, found in values.items()}


def grouped_indices(
    rows: ColumnRows | Sequence[Document], attributes: Mapping[int, Mapping[str, str]], name: str
) -> list[int]:
    """Indices ordered by the value of attribute `name` (numbers by size, dates and text
    A→Z), by title within a value; documents without it last; skipped files after all."""
    columns = as_columns(rows)
    values = [attributes.get(doc_id, {}).get(name) for doc_id in columns.ids]
    kind = value_kind([v for v in values if v is not None])

    def key(index: int) -> tuple[bool, bool, float, str, str]:
        value = values[index]
        number = float(value) if kind == "number" and value is not None else 0.0
        text = "" if value is None or kind == "number" else value.casefold()
        return (columns.statuses[index] == "skipped", value is None, number, text,
                columns.titles[index].casefold())  # fmt: skip

    return sorted(range(len(columns)), key=key)


class OrderRanks:
    """An order of the rows and each row's place in it, built on first use (in the filter's
    thread, under a lock), to put matches in that order without sorting the whole order."""

    def __init__(self, order: Sequence[int], size: int) -> None:
        self.order, self._size = order, size
        self._ranks: NDArray[np.intp] | None = None
        self._array: NDArray[np.intp] | None = None
        self._building = threading.Lock()

    def ranks(self) -> NDArray[np.intp]:
        """`ranks()[i]`: where row i is in the order (rows not in it rank last)."""
        import numpy as np  # loaded when first needed, not before the first frame

        with self._building:
            if self._ranks is None:
                self._array = np.asarray(self.order, dtype=np.intp)
                ranks = np.full(self._size, self._size, dtype=np.intp)
                ranks[self._array] = np.arange(len(self.order))
                self._ranks = ranks
        return self._ranks

    def best_first(self, matched: NDArray[np.intp], means: NDArray[np.float64]) -> list[int]:
        """`matched` rows by mean score, best first, ties in the order. The rows are picked
        out of the order in one pass (no sort when every score is equal, as when each word
        occurs literally) and then sorted by score alone, stably: at 100,000 rows sorting on
        both keys took ~15 ms of a keystroke's 25."""
        import numpy as np  # loaded when first needed, not before the first frame

        ranks = self.ranks()[matched]
        if len(ranks) and int(ranks.max()) >= len(self.order):  # a row outside the order
            return matched[np.lexsort((ranks, -means))].tolist()
        assert self._array is not None  # set with the ranks
        picked = np.zeros(len(self.order), dtype=bool)
        picked[ranks] = True
        in_order = self._array[picked]
        if not len(means) or means.min() == means.max():
            return in_order.tolist()
        score = np.zeros(self._size, dtype=np.float64)
        score[matched] = means
        return in_order[np.argsort(-score[in_order], kind="stable")].tolist()


def visible_rows(
    rows: ColumnRows,
    order: Sequence[int] | OrderRanks,
    query: str,
    index: FuzzyIndex,
    attributes: Callable[[], Mapping[int, Mapping[str, str]]],
    kinds: Callable[[], Mapping[str, str]],
) -> list[int]:
    """The rows a filter shows: its attribute filters (`outlet:ECFR`, `year:2022..2024`)
    keep documents in `order`; its words then keep the matches, best first, ties in the
    order. The attributes are read only when the query has attribute filters."""
    ranked = order if isinstance(order, OrderRanks) else OrderRanks(order, len(rows))
    kept = ranked.order
    words, filters = split_filters(query)
    if filters:
        values, value_kinds, ids = attributes(), kinds(), rows.ids
        kept = [i for i in kept if passes(values.get(ids[i], {}), filters, value_kinds)]
    if not FuzzyIndex.words(words):
        return list(kept)
    matched, means = index.match(words, kept if filters else None)
    if not len(matched):
        return []
    return ranked.best_first(matched, means)


__all__ = [
    "EXACT_TOKEN_LENGTH", "FUZZY_CUTOFF", "MARK_CLASSES", "SORT_KEYS", "SORT_LABELS",
    "STATUS_MARKS", "FuzzyIndex", "OrderRanks", "RowRole", "SortKey", "attribute_kinds",
    "grouped_indices", "layout_row", "sorted_indices", "title_order", "visible_rows",
]  # fmt: skip
