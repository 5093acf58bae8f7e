"""Scored matches (`Found`), their order, and the `SearchResult`s the best of them become.

The engine scores many candidates; only those kept get their document looked up, a title's
place in the text found and a snippet made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from reader.search.matcher import TextMatch
from reader.search.results import SearchKind, SearchResult, SnippetPiece
from reader.search.scope import sql_ids
from reader.search.snippets import make_snippet

# Of equal scores: a tag named as typed first (the reader looks for that tag), then notes...
KIND_ORDER = {kind: i for i, kind in enumerate(("tag", "note", "quote", "title", "text"))}
TITLE_SEARCH_CHARS = 4000  # a title is looked for in this much of the start of its text
TAGGED_QUOTE_CHARS = 100


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    title: str  # the title shown: the document's, or its file name's stem
    stored_title: str | None


@dataclass(frozen=True)
class Found:
    """A scored match before it becomes a SearchResult: snippets are made for the best only."""

    kind: SearchKind
    document_id: int
    score: float
    text: str  # what was matched: paragraph, metadata line, quote, note or tag name
    match: TextMatch | None
    start: int  # in the document's text (a title's: in its metadata line, until placed)
    end: int
    annotation: int | None = None
    shown_after: str = ""  # a tag result shows the highlight's quote after the tag's name


def rank(found: Found) -> tuple[float, int, int, int, int]:
    return (
        -found.score,
        KIND_ORDER[found.kind],
        found.document_id,
        found.start,
        found.annotation or 0,
    )


def _documents(conn: sqlite3.Connection, ids: set[int]) -> dict[int, DocumentInfo]:
    rows = conn.execute(f"SELECT id, path, title FROM documents WHERE id IN ({sql_ids(ids)})")
    return {
        doc_id: DocumentInfo(path, title or PurePosixPath(path).stem, title)
        for doc_id, path, title in rows
    }


def search_results(conn: sqlite3.Connection, found: Sequence[Found]) -> list[SearchResult]:
    """The results for the kept matches, in their order: document details, title offsets and
    snippets are looked up for these only."""
    documents = _documents(conn, {f.document_id for f in found})
    results = []
    for f in found:
        info = documents[f.document_id]
        start, end = _place_title(conn, f, info) if f.kind == "title" else (f.start, f.end)
        results.append(
            SearchResult(
                kind=f.kind,
                doc=info.path,
                document_id=f.document_id,
                title=info.title,
                start=start,
                end=end,
                annotation=f.annotation,
                snippet=_snippet(f, info),
                score=f.score,
            )
        )
    return results


def _place_title(conn: sqlite3.Connection, found: Found, info: DocumentInfo) -> tuple[int, int]:
    """A title result's offsets in the text: where the title stands near the start of the
    text and the matched words are in it (not in the author, say); else 0, 0."""
    title = info.stored_title
    if found.match is None or not title or found.end > len(title):
        return 0, 0
    row = conn.execute(
        "SELECT substr(text, 1, ?) FROM document_texts WHERE document_id = ?",
        (TITLE_SEARCH_CHARS, found.document_id),
    ).fetchone()
    at = row[0].find(title) if row else -1
    return (at + found.start, at + found.end) if at >= 0 else (0, 0)


def _snippet(found: Found, info: DocumentInfo) -> tuple[SnippetPiece, ...]:
    marks = [(h.start, h.end) for h in found.match.hits] if found.match else []
    if found.kind == "tag":
        after = found.shown_after or info.title
        name = make_snippet(found.text, marks, (0, len(found.text)), width=len(found.text))
        return (
            ("#", False),
            *name,
            (" ", False),
            *make_snippet(after, [], (0, 0), width=TAGGED_QUOTE_CHARS),
        )
    if found.kind == "title" and found.match is None:
        return make_snippet(info.title, [], (0, 0))
    focus = found.match.span if found.match else (0, 0)
    return make_snippet(found.text, marks, focus)
