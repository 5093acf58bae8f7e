"""Which documents the library shows, in which order: a headless model the list widget draws.

It owns the rows (as columns, a `Document` built only for a row drawn, highlighted or
opened), their attributes (read only when a filter or grouping needs them), the sort order or
grouping by an attribute, the filter (words matched fuzzily, `outlet:ECFR` filters exactly)
and the resulting rows; each order is computed once per set of documents. No widget state:
the cursor and the drawing stay in `DocumentList`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from reader.models import Document
from reader.text.attribute_filters import split_filters
from reader.ui.widgets.library_columns import (
    ColumnRows,
    DocumentColumns,
    DocumentLoader,
    LazyDocuments,
)
from reader.ui.widgets.library_rows import (
    SORT_KEYS,
    FuzzyIndex,
    OrderRanks,
    SortKey,
    attribute_kinds,
    grouped_indices,
    sorted_indices,
    title_order,
    visible_rows,
)

Attributes = Mapping[int, Mapping[str, str]]
AttributeSource = Attributes | Callable[[], Attributes]
"""Attributes by document id, or how to read them when first needed (at 100,000 documents
reading them costs most of a second, and most sessions never filter by one)."""


class LibraryModel:
    """Rows and order and filter in; `rows` (indices into `documents`) out."""

    def __init__(self) -> None:
        self.columns: ColumnRows = DocumentColumns()
        self.documents: LazyDocuments = LazyDocuments(self.columns)
        self.sort_by: SortKey = "title"
        self.group_by: str | None = None  # an attribute: rows ordered and labelled by it
        self.filter_text = ""
        self.rows: list[int] = []
        self._attributes: AttributeSource = {}
        self._loaded: tuple[Attributes, dict[str, str]] | None = None
        self._index = FuzzyIndex()
        self._orders: dict[str, list[int]] = {}
        self._ranks: OrderRanks | None = None  # the current order's, for ranking matches
        self._position: dict[int, int] | None = None  # document id → index, built when asked
        self.generation = 0  # counts changes of rows, order or filter

    @property
    def attributes(self) -> Attributes:
        return self._attributes_and_kinds()[0]

    @property
    def kinds(self) -> dict[str, str]:
        """number, date or text for each attribute name: how a range compares."""
        return self._attributes_and_kinds()[1]

    @property
    def attribute_names(self) -> list[str]:
        return sorted(self.kinds)

    @property
    def index(self) -> FuzzyIndex:
        return self._index

    @property
    def is_filtered(self) -> bool:
        """True when the filter has words to match or attribute filters (`outlet:ECFR`);
        punctuation alone filters nothing."""
        words, filters = split_filters(self.filter_text)
        return bool(filters or FuzzyIndex.words(words))

    def detail(self, index: int) -> str:
        """What row `index` shows on the right: the grouping attribute's value, else date or
        author."""
        c = self.columns
        if self.group_by:
            return self.attributes.get(c.ids[index], {}).get(self.group_by, "—")
        return c.dates[index] or c.authors[index] or ""

    def set_documents(
        self, documents: Iterable[Document], attributes: AttributeSource | None = None
    ) -> None:
        documents = list(documents)
        by_id = {document.id: document for document in documents}
        self.set_rows(DocumentColumns.of(documents), by_id.get, attributes)

    def set_rows(
        self,
        columns: ColumnRows,
        load: DocumentLoader | None = None,
        attributes: AttributeSource | None = None,
        refilter: bool = True,
    ) -> None:
        """Replace every row: `columns` (say `Workspace.library_listing()`), `load` the full
        record of one document by id when a row needs it. `refilter=False`: the rows shown
        stay those shown (the same documents, those still there) until the caller filters
        again, say in a thread."""
        shown = [self.columns.ids[i] for i in self.rows] if not refilter else []
        self.columns = columns
        self.documents = LazyDocuments(columns, load)
        if attributes is not None:
            self._attributes, self._loaded = attributes, None
        self._index = FuzzyIndex(columns.titles, columns.authors, columns.paths)
        self._orders.clear()
        self._position = None
        if refilter:
            self.refilter()
            return
        self.generation += 1
        self.rows = [i for doc_id in shown if (i := self.index_of(doc_id)) is not None]

    def update_documents(self, documents: Iterable[Document]) -> bool:
        """Replace these documents in place (counts changed); True if any did. Only a sort
        by count moves rows."""
        changed = False
        for document in documents:
            index = self.index_of(document.id)
            if index is not None and self.documents[index] != document:
                self.documents.replace(index, document)
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
        self.generation += 1
        self.rows = visible_rows(
            self.columns, self._ranked_order(), self.filter_text, self._index,
            lambda: self.attributes, lambda: self.kinds,
        )  # fmt: skip

    def filter_job(self, query: str) -> Callable[[], list[int]]:
        """The rows `query` would show, as work that touches nothing shared (the order, the
        attributes and the columns are taken now): a thread may run it while the user types,
        and `apply_filter` takes its result if nothing changed meanwhile."""
        columns, order, index = self.columns, self._ranked_order(), self._index
        _, filters = split_filters(query)
        attributes, kinds = (self.attributes, self.kinds) if filters else ({}, {})
        return lambda: visible_rows(columns, order, query, index, lambda: attributes, lambda: kinds)

    def apply_filter(self, query: str, rows: list[int], generation: int) -> bool:
        """Show `rows`, computed by `filter_job(query)` when the model was at `generation`;
        False (nothing done) if the rows, order or filter changed since."""
        if generation != self.generation:
            return False
        self.filter_text, self.rows = query, rows
        self.generation += 1
        return True

    def index_of(self, document_id: int) -> int | None:
        """Where the document with this id is in `documents` (None: not there)."""
        if self._position is None:
            self._position = {doc_id: i for i, doc_id in enumerate(self.columns.ids)}
        return self._position.get(document_id)

    def row_of(self, document_id: int) -> int | None:
        index = self.index_of(document_id)
        if index is None:
            return None
        try:
            return self.rows.index(index)
        except ValueError:
            return None

    def _attributes_and_kinds(self) -> tuple[Attributes, dict[str, str]]:
        if self._loaded is None:
            source = self._attributes
            values = source() if callable(source) else source
            self._loaded = (values, attribute_kinds(values))
        return self._loaded

    def _ranked_order(self) -> OrderRanks:
        """The current order with its ranks, kept while the order is the same list."""
        order = self._order()
        if self._ranks is None or self._ranks.order is not order:
            self._ranks = OrderRanks(order, len(self.columns))
        return self._ranks

    def _order(self) -> Sequence[int]:
        key = "group" if self.group_by else self.sort_by
        if key not in self._orders:
            if self.group_by:
                self._orders[key] = grouped_indices(self.columns, self.attributes, self.group_by)
            else:
                if "by-title" not in self._orders:  # every sort breaks ties by title
                    self._orders["by-title"] = title_order(self.columns)
                by_title = self._orders["by-title"]
                self._orders[key] = sorted_indices(self.columns, self.sort_by, by_title)
        return self._orders[key]
