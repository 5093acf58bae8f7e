"""The library's rows as parallel columns, and the one `Document` per row built only when
a row is drawn, highlighted or opened.

`Workspace.library_listing()` reads these columns straight from the store; a list of
`Document`s (tests, small callers) is turned into the same columns. At 100,000 documents
building every `Document` up front cost 1.6 s of the library's first frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload

from reader.models import Document


class ColumnRows(Protocol):
    """What the library reads of every document, index i being one document."""

    ids: list[int]
    paths: list[str]
    statuses: list[str]
    titles: list[str]
    authors: list[str | None]
    dates: list[str | None]
    annotations: list[int]
    orphans: list[int]

    def __len__(self) -> int: ...


@dataclass
class DocumentColumns:
    """`ColumnRows` built from `Document`s already at hand."""

    ids: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    authors: list[str | None] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    annotations: list[int] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, documents: Iterable[Document]) -> DocumentColumns:
        columns = cls()
        for d in documents:
            columns.append(d)
        return columns

    def append(self, d: Document) -> None:
        self.ids.append(d.id)
        self.paths.append(d.path)
        self.statuses.append(d.status)
        self.titles.append(d.title)
        self.authors.append(d.author)
        self.dates.append(d.date)
        self.annotations.append(d.annotations)
        self.orphans.append(d.orphans)


def as_columns(rows: ColumnRows | Sequence[Document]) -> ColumnRows:
    """Columns as they are, or built from a sequence of `Document`s."""
    if hasattr(rows, "ids"):
        return rows  # type: ignore[return-value]
    return DocumentColumns.of(rows)  # type: ignore[arg-type]


def set_row(columns: ColumnRows, index: int, d: Document) -> None:
    """Row `index` now shows `d` (its counts or title changed)."""
    columns.paths[index], columns.statuses[index], columns.titles[index] = d.path, d.status, d.title
    columns.authors[index], columns.dates[index] = d.author, d.date
    columns.annotations[index], columns.orphans[index] = d.annotations, d.orphans


DocumentLoader = Callable[[int], Document | None]
"""The full record of a document by id (None if it is gone), asked for one row at a time."""


class LazyDocuments(Sequence[Document]):
    """Every row as a `Document`, each built on first use and kept: the list widget draws
    from the columns, and only a highlighted or opened row needs the record."""

    def __init__(self, columns: ColumnRows, load: DocumentLoader | None = None) -> None:
        self.columns = columns
        self._load = load
        self._built: dict[int, Document] = {}
        self.built_count = 0  # documents built so far (tests check that rows stay lazy)

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Document]: ...
    def __getitem__(self, index: int | slice) -> Document | Sequence[Document]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if index < 0:
            index += len(self)
        found = self._built.get(index)
        if found is None:
            found = self._build(index)
            self._built[index] = found
        return found

    def replace(self, index: int, document: Document) -> None:
        set_row(self.columns, index, document)
        self._built[index] = document

    def _build(self, index: int) -> Document:
        c = self.columns
        self.built_count += 1
        loaded = self._load(c.ids[index]) if self._load is not None else None
        if loaded is not None:
            return loaded
        return Document(
            id=c.ids[index], path=c.paths[index], status=c.statuses[index],  # type: ignore[arg-type]
            title=c.titles[index], author=c.authors[index], date=c.dates[index], source=None,
            words=0, reading_minutes=0, annotations=c.annotations[index], warning=None,
            content_hash=None, orphans=c.orphans[index],
        )  # fmt: skip
