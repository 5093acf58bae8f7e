"""Search across document titles, paragraphs, highlight quotes, notes and tags.

`Workspace.search` is the entry point. `reader.search.engine.search(conn, query, limit, kind)`
runs a query on any connection to the store: a worker thread opens its own with
`reader.search.engine.open_search_connection(store.path)` (the engine module is not imported
here: rapidfuzz and the rest load only when searching). The index lives in the tables migration
v3 creates; index.py keeps the paragraph part current, SQLite triggers the rest.
`query_problems(conn, query)` says what a query leaves out or cannot find (an unknown kind, an
attribute no document has, misspelt words not matched yet while a large sync counts its words),
for the faces to show beside the results.
"""

from reader.search.attribute_filters import query_problems
from reader.search.index import (
    SearchIndexStats,
    index_document,
    rebuild_search_index,
    search_index_stats,
    vocabulary_pending,
)
from reader.search.query import KINDS, ParsedQuery, parse_query
from reader.search.results import SearchKind, SearchResult, SnippetPiece

__all__ = [
    "KINDS",
    "ParsedQuery",
    "SearchIndexStats",
    "SearchKind",
    "SearchResult",
    "SnippetPiece",
    "index_document",
    "parse_query",
    "query_problems",
    "rebuild_search_index",
    "search_index_stats",
    "vocabulary_pending",
]
