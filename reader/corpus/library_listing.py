"""The library's rows as columns: what the TUI's list shows and filters for every document,
read in one query, the highlight counts in one `GROUP BY`, without a `Document` per row.

At 100,000 documents building `Document` objects (and two correlated count subqueries per
document) cost seconds; the list needs only these columns, and a full `Document` for the few
rows a user highlights or opens (`Workspace.document`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import sqlite_utils

_LISTING_SELECT = """
SELECT id, path, status, title, author, date FROM documents ORDER BY path
"""
_COUNTS_SELECT = """
SELECT document_id, count(*), sum(status = 'orphaned') FROM annotations GROUP BY document_id
"""


@dataclass
class LibraryListing:
    """Every document as parallel columns (index i is one document), in path order."""

    ids: list[int] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # the file's stem when it has no title
    authors: list[str | None] = field(default_factory=list)
    dates: list[str | None] = field(default_factory=list)
    annotations: list[int] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def library_listing(db: sqlite_utils.Database) -> LibraryListing:
    """Every file the corpus has had (ok, skipped and missing), as `list_documents` lists
    them, but as columns."""
    rows = db.execute(_LISTING_SELECT).fetchall()
    if not rows:
        return LibraryListing()
    ids, paths, statuses, titles, authors, dates = map(list, zip(*rows, strict=True))
    for i, title in enumerate(titles):
        if not title:
            titles[i] = PurePosixPath(paths[i]).stem
    annotations, orphans = [0] * len(ids), [0] * len(ids)
    counts = db.execute(_COUNTS_SELECT).fetchall()  # a join cost more than this and a dict
    if counts:
        position = {doc_id: i for i, doc_id in enumerate(ids)}
        for doc_id, count, orphaned in counts:
            if (i := position.get(doc_id)) is not None:
                annotations[i], orphans[i] = count, orphaned
    return LibraryListing(ids, paths, statuses, titles, authors, dates, annotations, orphans)
