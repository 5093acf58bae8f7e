"""Bring the store in line with the files in `corpus/`.

An unchanged corpus costs one `stat` per file and one SELECT: files are read only when their size
or mtime moved, and re-parsed only when their content hash changed. Annotations are never dropped:
those of a changed document are re-anchored, those of a vanished or unreadable one orphaned.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import sqlite_utils

from reader.annotate.anchoring import context, reanchor
from reader.clock import utc_now
from reader.codebook.tags import ensure_tag
from reader.corpus.corrections import FIELDS, corrections_for, effective_fields
from reader.corpus.formats.isolated import ExtractionWorker
from reader.corpus.ingest import (
    RICH_SUFFIXES,
    Extractor,
    ParsedDocument,
    content_hash,
    parse_document,
    size_limit,
)
from reader.corpus.scan import (
    CorpusScan,
    FileState,
    NotReadable,
    decided_unread,
    read_corpus_file,
    scan,
    skip_reason_unread,
)
from reader.corpus.scan import scan_corpus as scan_corpus  # where reader add looks
from reader.errors import ReaderError
from reader.models import SyncReport
from reader.search.index import index_document, settle_search_index
from reader.store import Store

EXTRACTION_WORKERS = max(1, min(4, os.cpu_count() or 1))
RICH_FILES_PER_WORKER = 16  # below this many rich files a second worker costs more than it saves
# done, total: called as files are read, so a long first sync can show how far it got.
Progress = Callable[[int, int], None]


def _read(
    corpus_dir: Path, state: FileState, extract: Extractor, max_bytes: int | None
) -> None:
    if state.skip_reason:
        return
    full = corpus_dir / state.path
    try:
        data = read_corpus_file(
            full, size_limit(full, max_bytes), inside=corpus_dir if state.via_link else None
        )
    except NotReadable as exc:
        state.parsed = ParsedDocument("", None, skip_reason=str(exc))
        return
    try:
        state.parsed = parse_document(full, data, extract)
    except Exception as exc:  # one bad file must never stop the others
        # Its hash is kept, so that it is read again when it changes, not on every sync.
        state.parsed = ParsedDocument(
            content_hash(data), None, skip_reason=f"could not be read ({exc!r})"
        )


def _read_all(
    corpus_dir: Path,
    states: list[FileState],
    progress: Progress | None,
    extract: Extractor | None,
    max_bytes: int | None,
) -> None:
    """Read every file that needs it. Web pages, EPUB, PDF and DOCX go to extraction workers
    (one per core, up to four, when there are enough of them to pay for starting one), each
    a process under time and memory limits; the workers start together before the first file
    is read, so their start-up overlaps."""
    total = len(states)
    done = 0

    def one_more() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    if progress and total:
        progress(0, total)
    if extract is not None:
        for state in states:
            _read(corpus_dir, state, extract, max_bytes)
            one_more()
        return
    read = [state for state in states if not state.skip_reason]
    kinds = {kind for state in read if (kind := RICH_SUFFIXES.get(_suffix(state.path)))}
    rich = sum(1 for state in read if _suffix(state.path) in RICH_SUFFIXES)
    count = max(1, min(EXTRACTION_WORKERS, rich // RICH_FILES_PER_WORKER))
    workers = [ExtractionWorker() for _ in range(count)]
    try:
        for worker in workers if kinds else ():
            worker.start(*kinds)
        idle: queue.SimpleQueue[ExtractionWorker] = queue.SimpleQueue()
        for worker in workers:
            idle.put(worker)

        def read_one(state: FileState) -> None:
            worker = idle.get()
            try:
                _read(corpus_dir, state, worker.extract, max_bytes)
            finally:
                idle.put(worker)

        if count == 1:
            for state in states:
                read_one(state)
                one_more()
            return
        with ThreadPoolExecutor(count, thread_name_prefix="reader-extract") as pool:
            for future in as_completed([pool.submit(read_one, state) for state in states]):
                future.result()
                one_more()
    finally:
        for worker in workers:
            worker.close()


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


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
    db: sqlite_utils.Database, state: FileState, existing_id: int | None, now: str
) -> int:
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
        for tag in parsed.tags:
            db.execute(
                "INSERT OR IGNORE INTO document_tags (document_id, tag_id) VALUES (?, ?)",
                [doc_id, ensure_tag(db, tag)],
            )
    else:
        db.execute("DELETE FROM document_texts WHERE document_id = ?", [doc_id])
    index_document(db, doc_id)
    return doc_id


def sync_corpus(
    store: Store,
    corpus_dir: Path,
    progress: Progress | None = None,
    extract: Extractor | None = None,
    max_file_bytes: int | None = None,
) -> SyncReport:
    """Add new files, re-read changed ones, mark vanished ones missing; report what happened.

    `progress(done, total)` is told before the first file is read and after each one. Web
    pages, EPUB, PDF and DOCX are read by `extract`; by default in one worker process under
    time and memory limits (started only when such a file needs reading). Files larger than
    `max_file_bytes` (None: each format's default) are skipped unread. What is under a folder
    that cannot be read keeps its state; CorpusUnreadable when `corpus_dir` itself cannot be
    read (then nothing changes)."""
    report = SyncReport()
    found = scan(corpus_dir)
    known = {
        row[0]: row
        for row in store.conn.execute(
            "SELECT path, id, status, size, mtime_ns, content_hash, warning FROM documents"
        )
    }
    to_apply: list[FileState] = []
    for path, state in found.files.items():
        row = known.get(path)
        if (
            row
            and row[2] != "missing"
            and (row[3], row[4]) == (state.size, state.mtime_ns)
            and (
                not decided_unread(state, row[2], row[5], row[6])
                or row[6] == skip_reason_unread(state, max_file_bytes)
            )
        ):
            report.unchanged += 1
            continue
        to_apply.append(state)
    to_apply.sort(key=lambda state: state.path)
    for state in to_apply:
        state.skip_reason = skip_reason_unread(state, max_file_bytes)
    _read_all(corpus_dir, to_apply, progress, extract, max_file_bytes)
    vanished = sorted(
        path
        for path, row in known.items()
        if path not in found.files and row[2] != "missing" and not found.covers(path)
    )
    _report_unreadable(found, report)
    if not to_apply and not vanished:
        return report
    with store.write() as db:
        _apply(db, to_apply, vanished, report)
    return report


def _report_unreadable(found: CorpusScan, report: SyncReport) -> None:
    for place, reason in sorted(found.unreadable.items()):
        report.unreadable.append(place)
        report.warnings.append(f"{place}: {reason}; what was synced from it is kept as it was")


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


def _apply(
    db: sqlite_utils.Database, to_apply: list[FileState], vanished: list[str], report: SyncReport
) -> None:
    now = utc_now()
    # Re-read under the write lock: another process may have synced in the meantime.
    known = {
        row[0]: row
        for row in db.execute(
            "SELECT path, id, status, content_hash, kind, warning FROM documents"
        ).fetchall()
    }
    missing_by_hash: dict[str, tuple[str, int]] = {}
    for path, row in known.items():
        if row[3] and (row[2] == "missing" or path in vanished):
            missing_by_hash.setdefault(row[3], (path, row[1]))
    renamed_from: set[str] = set()
    for state in to_apply:
        row = known.get(state.path)
        try:
            db.execute("SAVEPOINT sync_file")
            _apply_file(db, state, row, missing_by_hash, renamed_from, report, now)
        except _FILE_ERRORS as exc:
            db.execute("ROLLBACK TO sync_file")
            reason = f"could not be stored ({type(exc).__name__}: {exc})"
            digest = state.parsed.content_hash if state.parsed else ""
            state.parsed = ParsedDocument(digest, None, skip_reason=reason)
            _apply_file(db, state, row, missing_by_hash, renamed_from, report, now)
        finally:
            db.execute("RELEASE sync_file")
    for path in vanished:
        row = known.get(path)
        if path in renamed_from or row is None or row[2] == "missing":
            continue  # another sync got there first (a rename or a removal it applied)
        doc_id = row[1]
        db.execute(
            "UPDATE documents SET status = 'missing', warning = ?, updated = ? WHERE id = ?",
            ["file no longer in corpus/; its annotations are kept", now, doc_id],
        )
        report.missing.append(path)
        _count(report, path, _reanchor_document(db, doc_id, None))
    settle_search_index(db)


def _apply_file(
    db: sqlite_utils.Database,
    state: FileState,
    row: tuple | None,
    missing_by_hash: dict[str, tuple[str, int]],
    renamed_from: set[str],
    report: SyncReport,
    now: str,
) -> None:
    """Store one file read (or skipped); the report is told only once its writes are done."""
    parsed = state.parsed
    text = parsed.text if parsed else None
    if row is None and parsed and text is not None and parsed.content_hash in missing_by_hash:
        old_path, doc_id = missing_by_hash[parsed.content_hash]
        _store_document(db, state, doc_id, now)
        outcome = _reanchor_document(db, doc_id, text)
        del missing_by_hash[parsed.content_hash]
        renamed_from.add(old_path)
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
    doc_id = _store_document(db, state, row[1] if row else None, now)
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
