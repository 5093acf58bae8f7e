"""What a search returns: plain records the CLI prints and the TUI lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

SearchKind = Literal["title", "text", "quote", "note", "tag"]
SnippetPiece = tuple[str, bool]  # (text, is it a matched word)


@dataclass(frozen=True)
class SearchResult:
    """One match. `start`/`end` are code-point offsets into the document's canonical text: for
    `text` and `title` the matched words (`text[start:end]` is what matched), for highlight
    results (`quote`, `note` on a highlight, `tag` of a highlight) the highlight's span, and
    0, 0 for what belongs to the whole document (its note, its tags, a title not in the text).
    """

    kind: SearchKind
    doc: str  # path relative to corpus/
    document_id: int
    title: str
    start: int
    end: int
    annotation: int | None
    snippet: tuple[SnippetPiece, ...]
    score: float

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.snippet)

    def as_json(self) -> dict[str, Any]:
        """The fields of `reader search --json`."""
        return {
            "kind": self.kind,
            "doc": self.doc,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "annotation": self.annotation,
            "snippet": self.snippet_text,
            "score": round(self.score, 4),
        }
