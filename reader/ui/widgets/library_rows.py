"""What the library shows and in which order: row layout, sorting, the fuzzy filter.

Pure helpers with no widget state, so `DocumentList` and its tests share one definition. The
filter ignores case and accents ("vucic" finds "Vučić") and forgives one slip per word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from rapidfuzz import fuzz, process, utils
from rich.cells import cell_len, get_character_cell_size, set_cell_size

from reader.models import Document
from reader.text.attribute_filters import passes, split_filters, value_kind
from reader.text.shorten import shorten
from reader.text.textnav import fold

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

EXACT_TOKEN_LENGTH = 3
"""Query words this short must occur literally; fuzzy scores mean little for them."""
FUZZY_CUTOFF = 75
"""Lowest `partial_ratio` a longer query word may score: one transposed or missing letter in a
six-letter word ("serbai") scores 83, unrelated words of that length score 67 or less."""

RowRole = Literal["pad", "mark", "title", "detail", "count"]


# ---------------------------------------------------------------------------------------------
# Pure helpers (no widget state): row layout, sorting, fuzzy matching.


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


def sorted_indices(documents: Sequence[Document], order: SortKey) -> list[int]:
    """Indices into `documents` in the given order.

    title: A→Z ignoring case; date: newest first, undated last; annotations: most first.
    Whatever the order, files that could not be read (skipped, with their reason) come after
    the readable ones: they are there to be fixed, not read.
    """
    title_keys = [(document.title.casefold(), document.path) for document in documents]
    indices = sorted(range(len(documents)), key=title_keys.__getitem__)
    if order == "date":
        dated = [i for i in indices if documents[i].date]
        undated = [i for i in indices if not documents[i].date]
        dates = [document.date or "" for document in documents]
        dated.sort(key=dates.__getitem__, reverse=True)  # stable: equal dates stay by title
        indices = dated + undated
    elif order == "annotations":
        counts = [document.annotations for document in documents]
        indices.sort(key=counts.__getitem__, reverse=True)
    skipped = [documents[i].status == "skipped" for i in range(len(documents))]
    indices.sort(key=skipped.__getitem__)  # stable: the order above holds within each part
    return indices


def attribute_kinds(attributes: Mapping[int, Mapping[str, str]]) -> dict[str, str]:
    """Each attribute name's type (number, date, text) across the documents carrying it."""
    values: dict[str, list[str]] = {}
    for document_values in attributes.values():
        for name, value in document_values.items():
            values.setdefault(name, []).append(value)
    return {name: value_kind(found) for name, found in values.items()}


def grouped_indices(
    documents: Sequence[Document], attributes: Mapping[int, Mapping[str, str]], name: str
) -> list[int]:
    """Indices ordered by the value of attribute `name` (numbers by size, dates and text
    A→Z), by title within a value; documents without it last; skipped files after all."""
    kind = value_kind(
        [v for d in documents if (v := attributes.get(d.id, {}).get(name)) is not None]
    )

    def key(index: int) -> tuple[bool, bool, float, str, str]:
        document = documents[index]
        value = attributes.get(document.id, {}).get(name)
        number = float(value) if kind == "number" and value is not None else 0.0
        text = "" if value is None or kind == "number" else value.casefold()
        return (document.status == "skipped", value is None, number, text,
                document.title.casefold())  # fmt: skip

    return sorted(range(len(documents)), key=key)


def visible_rows(
    documents: Sequence[Document],
    order: Sequence[int],
    query: str,
    index: FuzzyIndex,
    attributes: Mapping[int, Mapping[str, str]],
    kinds: Mapping[str, str],
) -> list[int]:
    """The rows a filter shows: its attribute filters (`outlet:ECFR`, `year:2022..2024`)
    keep documents in `order`; its words then keep the matches, best first."""
    words, filters = split_filters(query)
    if filters:
        order = [i for i in order if passes(attributes.get(documents[i].id, {}), filters, kinds)]
    if not FuzzyIndex.words(words):
        return list(order)
    scores = index.scores(words)
    rows = [i for i in order if i in scores]
    rows.sort(key=lambda i: -scores[i])  # stable: ties keep the sort order
    return rows


class FuzzyIndex:
    """Fuzzy search over "title author path", forgiving one slip of the finger per word.

    The processed choice strings are built once, on the first search, and reused for every
    keystroke after that. Every word of the query must match (literally if it has at most
    `EXACT_TOKEN_LENGTH` characters, else with `partial_ratio` ≥ `FUZZY_CUTOFF`).
    """

    def __init__(self, documents: Sequence[Document]) -> None:
        self._documents = documents
        self._choices: list[str] | None = None

    @property
    def choices(self) -> list[str]:
        if self._choices is None:
            self._choices = [
                utils.default_process(fold(f"{d.title} {d.author or ''} {d.path}"))
                for d in self._documents
            ]
        return self._choices

    @staticmethod
    def words(query: str) -> list[str]:
        """The query's words as matched: lower case, punctuation dropped, longest first."""
        words = dict.fromkeys(utils.default_process(fold(query)).split())
        return sorted(words, key=len, reverse=True)

    def scores(self, query: str) -> dict[int, float]:
        """Document index → mean score (0–100) of every document matching all query words."""
        words = self.words(query)
        choices = self.choices
        totals: dict[int, float] | None = None
        for word in words:
            candidates: Iterable[tuple[int, str]] = (
                enumerate(choices) if totals is None else ((i, choices[i]) for i in totals)
            )
            if len(word) <= EXACT_TOKEN_LENGTH:
                hits = {i: 100.0 for i, choice in candidates if word in choice}
            else:
                found = process.extract(
                    word,
                    dict(candidates),
                    scorer=fuzz.partial_ratio,
                    processor=None,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=None,
                )
                hits = {i: score for _, score, i in found}
            totals = hits if totals is None else {i: totals[i] + s for i, s in hits.items()}
            if not totals:
                break
        if not totals:
            return {}
        return {i: total / len(words) for i, total in totals.items()}
