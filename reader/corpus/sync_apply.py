"""Store what a sync read, one batch of files to a transaction.

Each file is stored in its own savepoint (one the store refuses is stored as skipped, with the
reason); files new to the store, in a row, are stored together, and one by one again when the
store refuses any of them. Rows, texts, tags and search index go in the batch's transaction, so
an interrupted sync never leaves half a document. Annotations of a changed document are
re-anchored, those of a vanished one orphaned, never dropped.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

import sqlite_utils

from reader.annotate.anchoring import context, reanchor
from reader.clock import utc_now
from reader.codebook.tags import ensure_tag
from reader.corpus.corrections import FIELDS, corrections_for, effective_fields
from reader.corpus.ingest import ParsedDocument
from reader.corpus.scan import FileState
from reader.errors import ReaderError
from reader.models import SyncReport
from reader.search.index import (
    StoredTexts,
    finish_bulk_index,
    index_document,
    settle_search_index,
)

# A file's document id -> (its text, packed paragraphs) as stored now, or None: it has no text.
FileTexts = dict[int, tuple[str, bytes | None] | None]


@dataclass
class Renames:
    """Documents a new file may be the renamed copy of (missing, or vanished in this scan), by
    content hash, found once before the first batch; `done` holds the old paths taken."""

    by_hash: dict[str, tuple[str, int]] = field(default_factory=dict)
    vanished: frozenset[str] = frozenset()
    done: set[str] = field(default_factory=set)

    def take(self, db: sqlite_utils.Database, digest: str) -> tuple[str, int] | None:
        """The document a file with content `digest` was renamed from, checked again under the
        write lock (another sync may have taken it, or it came back)."""
        found = self.by_hash.pop(digest, None)
        if found is None:
            return None
        row = db.execute(
            "SELECT path, status, content_hash FROM documents WHERE id = ?", [found[1]]
        ).fetchone()
        if row is None or row[2] != digest or (row[1] != "missing" and row[0] not in self.vanished):
            return None
        return row[0], found[1]


def apply_batch(
    db: sqlite_utils.Database,
    batch: list[FileState],
    vanished: list[str],
    renames: Renames,
    report: SyncReport,
    bulk: bool = False,
    last: bool = True,
) -> None:
    """Store `batch` (and mark `vanished` missing: the last batch) in the open transaction;
    `bulk` (a large sync) leaves counting the words to the `last` batch."""
    now = utc_now()
    # Re-read under the write lock: another process may have synced in the meantime.
    known: dict[str, tuple] = {}
    for i in range(0, len(batch), 500):
        paths = [state.path for state in batch[i : i + 500]]
        known.update(
            (row[0], row)
            for row in db.execute(
                "SELECT path, id, status, content_hash, kind, warning FROM documents "
                f"WHERE path IN ({', '.join('?' for _ in paths)})",
                paths,
            ).fetchall()
        )
    # The texts this batch stores, handed to the search index rather than read back from the
    # store (~60 MB at 10,000 files); a file's entry counts once its savepoint is released.
    stored: StoredTexts = {}
    new: list[FileState] = []  # files new to the store, in a row: stored together
    for state in batch:
        row = known.get(state.path)
        if _is_new(state, row, renames):
            new.append(state)
            continue
        _apply_new(db, new, renames, report, now, stored)
        new = []
        _apply_one(db, state, row, renames, report, now, stored)
    _apply_new(db, new, renames, report, now, stored)
    for path in vanished:
        row = db.execute("SELECT id, status FROM documents WHERE path = ?", [path]).fetchone()
        if path in renames.done or row is None or row[1] == "missing":
            continue  # another sync got there first (a rename or a removal it applied)
        doc_id = row[0]
        db.execute(
            "UPDATE documents SET status = 'missing', warning = ?, updated = ? WHERE id = ?",
            ["file no longer in corpus/; its annotations are kept", now, doc_id],
        )
        report.missing.append(path)
        _count(report, path, _reanchor_document(db, doc_id, None))
    settle_search_index(db, incremental=True, bulk=bulk, stored=stored)
    if last:
        finish_bulk_index(db)


def _apply_one(
    db: sqlite_utils.Database,
    state: FileState,
    row: tuple | None,
    renames: Renames,
    report: SyncReport,
    now: str,
    stored: StoredTexts,
) -> None:
    """Store one file in a savepoint of its own: one the store refuses is stored as skipped,
    with the reason."""
    texts: FileTexts = {}
    try:
        db.execute("SAVEPOINT sync_file")
        _apply_file(db, state, row, renames, report, now, texts)
    except _FILE_ERRORS as exc:
        db.execute("ROLLBACK TO sync_file")
        reason = f"could not be stored ({type(exc).__name__}: {exc})"
        digest = state.parsed.content_hash if state.parsed else ""
        state.parsed = ParsedDocument(digest, None, skip_reason=reason)
        texts = {}
        _apply_file(db, state, row, renames, report, now, texts)
    finally:
        db.execute("RELEASE sync_file")
    for doc_id, text in texts.items():
        if text is None:
            stored.pop(doc_id, None)
        else:
            stored[doc_id] = text


def _is_new(state: FileState, row: tuple | None, renames: Renames) -> bool:
    """A file read whole, with no document yet and none it may be renamed from."""
    parsed = state.parsed
    return (
        row is None
        and not state.skip_reason
        and parsed is not None
        and parsed.text is not None
        and parsed.content_hash not in renames.by_hash
    )


def _apply_new(
    db: sqlite_utils.Database,
    states: list[FileState],
    renames: Renames,
    report: SyncReport,
    now: str,
    stored: StoredTexts,
) -> None:
    """Store files new to the store together, a statement per table rather than several per
    file (a first sync's every file: ~50,000 statements fewer at 10,000 files); when the store
    refuses one, each is stored again alone, so that only that file is skipped."""
    if not states:
        return
    parsed = [state.parsed for state in states if state.parsed is not None]
    assert len(parsed) == len(states)  # _is_new
    conn = db.conn
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])
    rows = [_document_fields(state, now) for state in states]
    columns = [*rows[0], "added", "id"]
    try:
        conn.execute("SAVEPOINT sync_new")
        conn.executemany(
            f"INSERT INTO documents ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [(*row.values(), now, first + n) for n, row in enumerate(rows)],
        )
        conn.executemany(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
            [(first + n, document.text) for n, document in enumerate(parsed)],
        )
        for n, document in enumerate(parsed):
            for tag in document.tags:
                conn.execute(
                    "INSERT OR IGNORE INTO document_tags (document_id, tag_id) VALUES (?, ?)",
                    [first + n, ensure_tag(db, tag)],
                )
        conn.executemany(
            "INSERT OR IGNORE INTO search_pending VALUES (?)",
            [(first + n,) for n in range(len(states))],
        )
    except _FILE_ERRORS:
        conn.execute("ROLLBACK TO sync_new")
        conn.execute("RELEASE sync_new")
        for state in states:
            _apply_one(db, state, None, renames, report, now, stored)
        return
    conn.execute("RELEASE sync_new")
    for n, (state, document) in enumerate(zip(states, parsed, strict=True)):
        stored[first + n] = (document.text or "", document.paragraphs)
        report.added.append(state.path)
        report.warnings.extend(f"{state.path}: {w}" for w in document.warnings)


def _document_fields(state: FileState, now: str) -> dict[str, object]:
    base: dict[str, object] = {
        "path": state.path,
        "size": state.size,
        "mtime_ns": state.mtime_ns,
        "updated": now,
    }
    parsed = state.parsed
    if state.skip_reason or parsed is None:
        return base | _EMPTY_FIELDS | {
            "status": "skipped",
            "warning": state.skip_reason or "not read",
            "content_hash": None,
        }
    if parsed.text is None:
        return base | _EMPTY_FIELDS | {
            "status": "skipped",
            "warning": parsed.skip_reason,
            "content_hash": parsed.content_hash,
            "kind": parsed.kind,
        }
    own = {field: getattr(parsed, field) for field in FIELDS}
    return base | {
        "status": "ok",
        "warning": "; ".join(parsed.warnings) or None,
        "content_hash": parsed.content_hash,
        **own,
        "file_metadata": json.dumps(own, ensure_ascii=False),
        "kind": parsed.kind,
        "description": parsed.description,
        "encoding": parsed.encoding,
        "words": parsed.words,
        "reading_minutes": parsed.reading_minutes,
    }


_EMPTY_FIELDS: dict[str, object] = {
    "title": None,
    "author": None,
    "date": None,
    "source": None,
    "site": None,
    "kind": None,
    "description": None,
    "file_metadata": None,
    "encoding": None,
    "words": 0,
    "reading_minutes": 0,
}


def _reanchor_document(db: sqlite_utils.Database, doc_id: int, text: str | None) -> Counter[str]:
    """Place every annotation of a document again in its new text (or orphan them all)."""
    outcome: Counter[str] = Counter()
    rows = db.execute(
        'SELECT id, start, "end", quote, prefix, suffix, status FROM annotations '
        "WHERE document_id = ?",
        [doc_id],
    ).fetchall()
    now = utc_now()
    for ann_id, start, end, quote, prefix, suffix, old_status in rows:
        if text is None:
            status, new_start, new_end = "orphaned", start, end
            new_prefix, new_suffix = prefix, suffix
        else:
            placed = reanchor(text, start, end, quote, prefix, suffix)
            status, new_start, new_end = placed.status, placed.start, placed.end
            if status == "orphaned":
                new_prefix, new_suffix = prefix, suffix  # keep the old context to re-attach by
            else:
                new_prefix, new_suffix = context(text, new_start, new_end)
        outcome[status] += 1
        if (status, new_start, new_end, new_prefix, new_suffix) != (
            old_status,
            start,
            end,
            prefix,
            suffix,
        ):
            db.execute(
                'UPDATE annotations SET start = ?, "end" = ?, prefix = ?, suffix = ?, status = ?, '
                "updated = ? WHERE id = ?",
                [new_start, new_end, new_prefix, new_suffix, status, now, ann_id],
            )
    return outcome


def _store_document(
    db: sqlite_utils.Database,
    state: FileState,
    existing_id: int | None,
    now: str,
    texts: FileTexts,
) -> int:
    """Write a file's row, text and tags; `texts` learns the document's text and paragraphs
    (None: it has no text now)."""
    fields = _document_fields(state, now)
    if existing_id is not None and fields["status"] == "ok":
        fields |= effective_fields(fields, corrections_for(db, existing_id))
    if existing_id is None:
        cursor = db.execute(
            f"INSERT INTO documents ({', '.join(fields)}, added) "
            f"VALUES ({', '.join('?' for _ in fields)}, ?)",
            [*fields.values(), now],
        )
        doc_id = int(cursor.lastrowid or 0)
    else:
        db.execute(
            f"UPDATE documents SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
            [*fields.values(), existing_id],
        )
        doc_id = existing_id
    parsed = state.parsed
    if parsed is not None and parsed.text is not None:
        db.execute(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?) "
            "ON CONFLICT(document_id) DO UPDATE SET text = excluded.text",
            [doc_id, parsed.text],
        )
        texts[doc_id] = (parsed.text, parsed.paragraphs)
        for tag in parsed.tags:
            db.execute(
                "INSERT OR IGNORE INTO document_tags (document_id, tag_id) VALUES (?, ?)",
                [doc_id, ensure_tag(db, tag)],
            )
    else:
        db.execute("DELETE FROM document_texts WHERE document_id = ?", [doc_id])
        texts[doc_id] = None
    index_document(db, doc_id)
    return doc_id


# What one file's storing may raise (text SQLite refuses, a tag or value out of bounds): that
# file is stored as skipped with the reason, and the sync goes on.
_FILE_ERRORS = (
    ValueError,
    OverflowError,
    RecursionError,
    ReaderError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
)


def _apply_file(
    db: sqlite_utils.Database,
    state: FileState,
    row: tuple | None,
    renames: Renames,
    report: SyncReport,
    now: str,
    texts: FileTexts,
) -> None:
    """Store one file read (or skipped); the report is told only once its writes are done."""
    parsed = state.parsed
    text = parsed.text if parsed else None
    renamed = (
        renames.take(db, parsed.content_hash)
        if row is None and parsed and text is not None
        else None
    )
    if renamed is not None:
        old_path, doc_id = renamed
        _store_document(db, state, doc_id, now, texts)
        outcome = _reanchor_document(db, doc_id, text)
        renames.done.add(old_path)
        report.renamed.append((old_path, state.path))
        _count(report, state.path, outcome)
        return
    if (
        row is not None
        and row[2] == "ok"
        and parsed
        and parsed.content_hash == row[3]
        and parsed.kind == row[4]
    ):
        db.execute(
            "UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?",
            [state.size, state.mtime_ns, row[1]],
        )
        report.unchanged += 1
        return
    doc_id = _store_document(db, state, row[1] if row else None, now, texts)
    outcome = _reanchor_document(db, doc_id, text) if row is not None else Counter[str]()
    if parsed is None or text is None:
        reason = _document_fields(state, now)["warning"]
        if row is not None and row[2] == "skipped" and row[5] == reason:
            report.unchanged += 1  # skipped again for the same reason: nothing to tell
        else:
            report.skipped.append(state.path)
            report.warnings.append(f"{state.path}: skipped, {reason}")
    else:
        (report.changed if row else report.added).append(state.path)
        report.warnings.extend(f"{state.path}: {w}" for w in parsed.warnings)
    if row is not None:
        _count(report, state.path, outcome)


def _count(report: SyncReport, path: str, outcome: Counter[str]) -> None:
    for status, n in outcome.items():
        report.reanchored[status] = report.reanchored.get(status, 0) + n
    if outcome.get("orphaned"):
        report.warnings.append(f"{path}: {outcome['orphaned']} annotation(s) orphaned, kept")
