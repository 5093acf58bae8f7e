"""What corpus statistics are returned in (reader/analysis/stats.py computes them), and a text
bar to draw a count with: records and a text helper only, so the CLI and the TUI can import them
freely."""

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


BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


def text_bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar of `value` out of `maximum` in at most `width` cells, in eighths of a cell
    (█ and ▏..▉); any value above zero shows at least ▏, so a small count never looks like none."""
    if value <= 0 or maximum <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value, maximum) / maximum * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BAR_EIGHTHS[rest] if rest else "")
