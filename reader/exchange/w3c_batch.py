"""Store one batch of imported W3C annotations in one transaction, doing per batch what a
highlight written alone does per row.

Each document's text is read once for the batch (streamed, one held at a time) to place the
batch's quotes in it; the rows go in by one `executemany` with the ids the store would have
given them one by one; each tag name is resolved once; the quotes and notes are indexed for
search by one statement each at the end (reader/search/bulk_notes.py). The result is the rows,
tags and index that inserting the annotations one at a time in file order gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import INSERT_ANNOTATION, annotation_row
from reader.codebook.tags import ensure_tag
from reader.errors import UsageError
from reader.exchange.w3c_read import Incoming, canonical_uid
from reader.models import AnchorStatus, Document, ImportRefusal, ImportReport
from reader.search.bulk_notes import highlights_indexed_at_the_end
from reader.store import Store

IMPORT_CACHE_KIB = 32 * 1024
"""SQLite's page cache while importing (the default is 2 MB): a batch's rows go into indexes
(the uids, the documents' positions) at places spread all over them, which a small cache reads
back from the file page by page (at 600,000 highlights, 10,000 rows took 0.31 s; 0.16 s so)."""

Placement = tuple[AnchorStatus, int, int, str, str]
"""Where an imported quote goes: status, start, end, prefix, suffix."""


@contextmanager
def larger_page_cache(conn: sqlite3.Connection, kib: int = IMPORT_CACHE_KIB) -> Iterator[None]:
    """The connection's page cache at least `kib` KiB for the block, then as it was."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    size_kib = -before if before < 0 else before * _page_kib(conn)
    if size_kib < kib:
        conn.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


def _page_kib(conn: sqlite3.Connection) -> int:
    return max(1, int(conn.execute("PRAGMA page_size").fetchone()[0]) // 1024)


class Batch:
    """Annotations read and not yet stored, and how to store them in one transaction."""

    def __init__(self, store: Store, report: ImportReport) -> None:
        self.store = store
        self.report = report
        self.items: list[tuple[Incoming, Document]] = []  # highlights, with their document
        self.legacy_uids = _legacy_uids(store)

    def write(self) -> None:
        """Store the batch's highlights not already present, and empty it."""
        report = self.report
        with self.store.write() as db, highlights_indexed_at_the_end(self.store.conn):
            present = self._present(db)
            new: list[tuple[Incoming, Document]] = []
            for item, document in self.items:
                if item.uid in present:
                    report.already_present += 1
                    continue
                present.add(item.uid)
                new.append((item, document))
            placements = _placements(db, new)
            first_id = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations")
                           .fetchone()[0])  # fmt: skip
            rows = [
                _row(first_id + n, item, document, placed)
                for n, ((item, document), placed) in enumerate(zip(new, placements, strict=True))
            ]
            db.conn.executemany(INSERT_ANNOTATION, rows)
            links = _tag_links(db, [item for item, _ in new], first_id, report)
            db.conn.executemany(
                "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)", links
            )
            for placed in placements:
                report.added[placed[0]] += 1
        self.items = []

    def _present(self, db: Any) -> set[str]:
        """The batch's uids already stored (as given, or in a stored form not canonical)."""
        uids = sorted({item.uid for item, _ in self.items})
        present = self.legacy_uids & set(uids)
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT uid FROM annotations WHERE uid IN ({marks})"
            present.update(row[0] for row in db.execute(sql, part))
        return present


def _legacy_uids(store: Store) -> set[str]:
    """Stored uids written in another form than `canonical_uid` gives (a `urn:uuid:`, hyphens,
    capitals), canonical: few or none, so a batch can look the others up as they are."""
    rows = store.conn.execute(
        "SELECT uid FROM annotations WHERE length(uid) <> 32 OR uid GLOB '*[^0-9a-f]*'"
    )
    return {canonical for (uid,) in rows if (canonical := canonical_uid(uid)) != uid}


def _placements(db: Any, new: list[tuple[Incoming, Document]]) -> list[Placement]:
    """Each annotation's place in its document's current text (orphaned, where it was, when
    the document has none or is not readable), in the order given."""
    placements: list[Placement | None] = [None] * len(new)
    wanted: dict[int, list[int]] = {}
    for n, (item, document) in enumerate(new):
        if document.status == "ok":
            wanted.setdefault(document.id, []).append(n)
        else:
            placements[n] = _orphan(item)
    for doc_id, text in _texts(db, sorted(wanted)):
        for n in wanted[doc_id]:
            placements[n] = _placed(text, new[n][0])
    return [placed or _orphan(new[n][0]) for n, placed in enumerate(placements)]


def _texts(db: Any, doc_ids: list[int]) -> Iterator[tuple[int, str]]:
    """The canonical text of each of `doc_ids` that has one, read one row at a time."""
    for start in range(0, len(doc_ids), 500):
        part = doc_ids[start : start + 500]
        marks = ", ".join("?" * len(part))
        sql = f"SELECT document_id, text FROM document_texts WHERE document_id IN ({marks})"
        yield from db.conn.execute(sql, part)


def _orphan(item: Incoming) -> Placement:
    return "orphaned", max(0, item.start), max(0, item.end), item.prefix, item.suffix


def _placed(text: str, item: Incoming) -> Placement:
    placed = reanchor(text, item.start, item.end, item.exact, item.prefix, item.suffix)
    if placed.status == "orphaned":
        return placed.status, placed.start, placed.end, item.prefix, item.suffix
    return (placed.status, placed.start, placed.end, *context(text, placed.start, placed.end))


def _row(ann_id: int, item: Incoming, document: Document, placed: Placement) -> tuple:
    status, start, end, prefix, suffix = placed
    return annotation_row(
        ann_id=ann_id,
        document_id=document.id,
        span=(max(0, start), max(max(0, start), end)),
        quote=item.exact,
        context=(prefix, suffix),
        content_hash=item.content_hash or document.content_hash or "",
        note=item.note,
        status=status,
        uid=item.uid,
        times=(item.created, item.modified or item.created) if item.created else None,
        creator=item.creator,
    )


def _tag_links(
    db: Any, items: list[Incoming], first_id: int, report: ImportReport
) -> list[tuple[int, int]]:
    """(annotation id, tag id) for every tag of `items` (stored from `first_id` on), each name
    cleaned and looked up once, new tags made in the order they first come; a tag that cannot
    be one is left out, with its reason, and the annotation still comes in."""
    tag_ids: dict[str, int | UsageError] = {}
    links = []
    for n, item in enumerate(items):
        for tag in item.tags:
            if tag not in tag_ids:
                try:
                    tag_ids[tag] = ensure_tag(db, tag)
                except UsageError as exc:
                    tag_ids[tag] = exc
            found = tag_ids[tag]
            if isinstance(found, UsageError):
                reason = f"without the tag {tag[:40]!r}: {found}"
                report.refused.append(ImportRefusal(item.item, item.given_id, reason, True))
            else:
                links.append((first_id + n, found))
        for part in item.skipped:
            reason = f"without {part}"
            report.refused.append(ImportRefusal(item.item, item.given_id, reason, True))
    return links
