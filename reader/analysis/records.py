"""What corpus statistics are returned in (reader/analysis/stats.py and by_attribute.py compute
them), and a text bar to draw a count with: records and a text helper only, so the CLI and the TUI
can import them freely."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def _flat(record: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, one level deep (`asdict` copies deeply, 10x slower)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(frozen=True)
class DocumentTotals:
    """One document's highlights: how many, how many tagged, with notes, orphaned."""

    id: int
    path: str
    status: str
    title: str
    source: str | None
    words: int
    highlights: int
    tagged: int  # highlights with at least one tag
    distinct_tags: int  # distinct tags on its highlights (as applied, not rolled up)
    notes: int  # highlights with a non-blank note
    orphans: int

    @property
    def per_1000_words(self) -> float:
        """Highlight density: highlights per 1,000 words (0 for a document without words)."""
        return round(self.highlights * 1000 / self.words, 2) if self.words else 0.0

    def as_json(self) -> dict[str, Any]:
        return _flat(self) | {"per_1000_words": self.per_1000_words}


@dataclass(frozen=True)
class TagCounts:
    """One tag path with its sub-tags folded in: each highlight counts once however many of the
    path's sub-tags it carries. `implied` paths are parents no tag is called (only `actor/russia`
    exists, so `actor` is implied); they have no colour."""

    path: str
    level: int  # 1 for a top-level tag, 2 for `actor/russia`, and so on
    color: str | None
    implied: bool
    highlights: int
    documents: int  # documents with at least one such highlight
    per_document: dict[int, int] = field(default_factory=dict)  # document id -> highlights

    def count(self, document_id: int) -> int:
        return self.per_document.get(document_id, 0)

    def as_json(self) -> dict[str, Any]:
        data = _flat(self)
        data["per_document"] = {str(doc): n for doc, n in sorted(self.per_document.items())}
        return data


@dataclass(frozen=True)
class TagPair:
    """Two different tags and the number of passages where both apply (see `cooccurrence`)."""

    a: str
    b: str
    passages: int
    a_color: str | None = None
    b_color: str | None = None

    def as_json(self) -> dict[str, Any]:
        return _flat(self)


@dataclass(frozen=True)
class CorpusStats:
    """Everything the statistics screen and `reader stats` show, computed in one go."""

    depth: int | None
    documents: tuple[DocumentTotals, ...]
    tags: tuple[TagCounts, ...]
    cooccurrence: tuple[TagPair, ...]

    @property
    def highlights(self) -> int:
        return sum(d.highlights for d in self.documents)

    def as_json(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "highlights": self.highlights,
            "documents": [d.as_json() for d in self.documents],
            "tags": [t.as_json() for t in self.tags],
            "cooccurrence": [p.as_json() for p in self.cooccurrence],
        }


NONE_LABEL = "(none)"
"""How the documents without the attribute are shown; in records and JSON their value is None
(null), so a document whose value is the text "(none)" stays apart from them."""


def value_label(value: str | None) -> str:
    return NONE_LABEL if value is None else value


def _per_1000(highlights: int, words: int) -> float:
    return round(highlights * 1000 / words, 2) if words else 0.0


@dataclass(frozen=True)
class ValueTotals:
    """One value of the attribute (None: documents without it) and what its documents hold."""

    value: str | None
    documents: int
    words: int
    highlights: int  # every highlight in those documents, tagged or not

    @property
    def label(self) -> str:
        return value_label(self.value)


@dataclass(frozen=True)
class TagByValue:
    """One tag path (its sub-tags folded in) among the documents with one value."""

    tag: str
    level: int
    implied: bool  # a parent no tag is called (see TagCounts)
    color: str | None
    value: str | None  # None: documents without the attribute, shown as "(none)"
    highlights: int  # distinct highlights carrying the tag or a sub-tag
    documents: int  # documents with such a highlight or tagged so as a whole, each once
    documents_total: int  # documents with the value
    words: int  # words of the documents with the value

    @property
    def per_1000_words(self) -> float:
        """Highlights per 1,000 words of all the documents with the value."""
        return _per_1000(self.highlights, self.words)

    @property
    def share(self) -> float:
        """Of the documents with the value, the share with the tag (0 to 1)."""
        return self.documents / self.documents_total if self.documents_total else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "value": self.value,
            "highlights": self.highlights,
            "documents": self.documents,
            "documents_total": self.documents_total,
            "per_1000_words": self.per_1000_words,
            "words": self.words,  # of the value's documents: the rate can be recomputed
        }


@dataclass(frozen=True)
class AttributeStats:
    """Tag × value of one attribute (reader/analysis/by_attribute.py): `rows` in tag order (as
    `CorpusStats.tags`), each tag with every value in `values` order, zeros included."""

    name: str
    kind: str  # text, number or date: how the values are sorted
    depth: int | None
    values: tuple[ValueTotals, ...]  # sorted; documents without the attribute last
    rows: tuple[TagByValue, ...]

    @property
    def tags(self) -> list[TagByValue]:
        """The first row of each tag (for its path, level and colour), in order."""
        step = len(self.values)
        return list(self.rows[::step]) if step else []

    def row(self, tag: str, value: str | None) -> TagByValue | None:
        return next((r for r in self.rows if r.tag == tag and r.value == value), None)

    def as_json(self) -> list[dict[str, Any]]:
        """Long format: one object per (tag, value)."""
        return [r.as_json() for r in self.rows]


BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


def text_bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of `value` out of `maximum` in at most `width` cells, in eighths of a cell
    (█ and ▏..▉); any value above zero shows at least ▏, so a small count never looks like none."""
    if value <= 0 or maximum <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value, maximum) / maximum * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BAR_EIGHTHS[rest] if rest else "")
