"""Which documents the library shows, in which order: a headless model the list widget draws.

It owns the documents, their attributes, the sort order or grouping by an attribute, the
filter (words matched fuzzily, `outlet:ECFR` filters exactly) and the resulting rows; each
order is computed once per set of documents. No widget state: the cursor and the drawing stay
in `DocumentList`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from reader.models import Document
from reader.text.attribute_filters import split_filters
from reader.ui.widgets.library_rows import (
    SORT_KEYS,
    FuzzyIndex,
    SortKey,
    attribute_kinds,
    grouped_indices,
    sorted_indices,
    visible_rows,
)


class LibraryModel:
    """Documents, order and filter in; `rows` (indices into `documents`) out."""

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self.attributes: Mapping[int, Mapping[str, str]] = {}
        self.kinds: dict[str, str] = {}  # number, date or text: how a range compares
        self.sort_by: SortKey = "title"
        self.group_by: str | None = None  # an attribute: rows ordered and labelled by it
        self.filter_text = ""
        self.rows: list[int] = []
        self._index = FuzzyIndex(self.documents)
        self._orders: dict[str, list[int]] = {}

    @property
    def attribute_names(self) -> list[str]:
        return sorted(self.kinds)

    @property
    def is_filtered(self) -> bool:
        """True when the filter has words to match or attribute filters (`outlet:ECFR`);
        punctuation alone filters nothing."""
        words, filters = split_filters(self.filter_text)
        return bool(filters or FuzzyIndex.words(words))

    def detail(self, document: Document) -> str:
        """What a row shows on the right: the grouping attribute's value, else date or author."""
        if self.group_by:
            return self.attributes.get(document.id, {}).get(self.group_by, "—")
        return document.date or document.author or ""

    def set_documents(
        self,
        documents: Iterable[Document],
        attributes: Mapping[int, Mapping[str, str]] | None = None,
    ) -> None:
        self.documents = list(documents)
        if attributes is not None:
            self.attributes = attributes
            self.kinds = attribute_kinds(attributes)
        self._index = FuzzyIndex(self.documents)
        self._orders.clear()
        self.refilter()

    def update_documents(self, documents: Iterable[Document]) -> bool:
        """Replace these documents in place (counts changed); True if any did. Only a sort
        by count moves rows."""
        position = {document.id: i for i, document in enumerate(self.documents)}
        changed = False
        for document in documents:
            index = position.get(document.id)
            if index is not None and self.documents[index] != document:
                self.documents[index] = document
                changed = True
        if changed:
            self._orders.pop("annotations", None)
            if self.sort_by == "annotations" and not self.group_by:
                self.refilter()
        return changed

    def set_sort_by(self, order: SortKey) -> None:
        self.sort_by = order
        self.refilter()

    def set_group_by(self, name: str | None) -> None:
        """Order by attribute `name` (None: by the sort order again); documents without it
        come last."""
        self.group_by = name
        self._orders.pop("group", None)
        self.refilter()

    def next_sort(self) -> None:
        """title → date → most annotated → title; a grouping by attribute ends first."""
        if self.group_by is not None:
            self.set_group_by(None)
            return
        position = SORT_KEYS.index(self.sort_by)
        self.set_sort_by(SORT_KEYS[(position + 1) % len(SORT_KEYS)])

    def set_filter_text(self, query: str) -> None:
        self.filter_text = query
        self.refilter()

    def refilter(self) -> None:
        """Compute `rows` from the order and the filter."""
        self.rows = visible_rows(
            self.documents, self._order(), self.filter_text, self._index, self.attributes,
            self.kinds,
        )  # fmt: skip

    def row_of(self, document_id: int) -> int | None:
        for row, index in enumerate(self.rows):
            if self.documents[index].id == document_id:
                return row
        return None

    def _order(self) -> Sequence[int]:
        key = "group" if self.group_by else self.sort_by
        if key not in self._orders:
            self._orders[key] = (
                grouped_indices(self.documents, self.attributes, self.group_by)
                if self.group_by
                else sorted_indices(self.documents, self.sort_by)
            )
        return self._orders[key]
