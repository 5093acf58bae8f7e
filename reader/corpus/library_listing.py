"""The library's rows as columns: what the TUI's list shows and filters for every document,
read in one query with one `GROUP BY` for the counts, without building a `Document` per row.

At 100,000 documents building `Document` objects (and two correlated count subqueries per
document) cost seconds; the list needs only these columns, and a full `Document` for the few
rows a user highlights or opens (`Workspace.document`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

import sqlite_utils

_LISTING_SELECT = """
SELECT d.id, d.path, d.status, d.title, d.author, d.date,
       coalesce(c.annotations, 0), coalesce(c.orphans, 0)
FROM documents d
LEFT JOIN (
    SELECT document_id, count(*) AS annotations,
           sum(status = 'orphaned') AS orphans
    FROM annotations GROUP BY document_id
) c ON c.document_id = d.id
ORDER BY d.path
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
    listing = LibraryListing(*map(list, zip(*rows, strict=True)))
    titles, paths = listing.titles, listing.paths
    for i, title in enumerate(titles):
        if not title:
            titles[i] = PurePosixPath(paths[i]).stem
    return listing
