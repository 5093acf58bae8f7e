"""Bring the store in line with the files in `corpus/`.

An unchanged corpus costs one `stat` per file and one SELECT: files are read only when their size
or mtime moved, and re-parsed only when their content hash changed. Annotations are never dropped:
those of a changed document are re-anchored, those of a vanished or unreadable one orphaned.
"""

from __future__ import annotations

import json
import os
import queue
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from reader.annotate.anchoring import context, reanchor
from reader.clock import utc_now
from reader.codebook.tags import ensure_tag
from reader.corpus.corrections import FIELDS, corrections_for, effective_fields
from reader.corpus.formats.isolated import ExtractionWorker
from reader.corpus.ingest import (
    RICH_SUFFIXES,
    SUPPORTED,
    Extractor,
    ParsedDocument,
    is_supported,
    parse_document,
    too_large,
)
from reader.models import SyncReport
from reader.search.index import index_document, settle_search_index
from reader.store import Store


@dataclass
class FileState:
    """A corpus file as `stat` sees it; `parsed` is filled only for files that need reading."""

    path: str
    size: int
    mtime_ns: int
    parsed: ParsedDocument | None = None
    unsupported: bool = False


def scan_corpus(corpus_dir: Path) -> dict[str, FileState]:
    """Every regular file under `corpus_dir` by relative path; hidden files and folders excluded.

    One `stat` per file and nothing else: `DirEntry.is_file` answers from the directory listing.
    """
    found: dict[str, FileState] = {}
    pending = [("", os.fspath(corpus_dir))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((rel + "/", entry.path))
                elif entry.is_file():
                    st = entry.stat()
                    found[rel] = FileState(rel, st.st_size, st.st_mtime_ns)
            except OSError:
                continue
    return found


EXTRACTION_WORKERS = max(1, min(4, os.cpu_count() or 1))
RICH_FILES_PER_WORKER = 16  # below this many rich files a second worker costs more than it saves
# done, total: called as files are read, so a long first sync can show how far it got.
Progress = Callable[[int, int], None]


def _read(corpus_dir: Path, state: FileState, extract: Extractor) -> None:
    full = corpus_dir / state.path
    if not is_supported(full):
        state.unsupported = True
        return
    if reason := too_large(full, state.size):
        state.parsed = ParsedDocument("", None, skip_reason=reason)
        return
    try:
        data = full.read_bytes()
    except OSError as exc:
        state.parsed = ParsedDocument("", None, skip_reason=f"cannot read: {exc.strerror or exc}")
        return
    try:
        state.parsed = parse_document(full, data, extract)
    except Exception as exc:  # one bad file must never stop the others
        state.parsed = ParsedDocument("", None, skip_reason=f"could not be read ({exc!r})")


def _read_all(
    corpus_dir: Path, states: list[FileState], progress: Progress | None, extract: Extractor | None
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
            _read(corpus_dir, state, extract)
            one_more()
        return
    kinds = {kind for state in states if (kind := RICH_SUFFIXES.get(_suffix(state.path)))}
    rich = sum(1 for state in states if _suffix(state.path) in RICH_SUFFIXES)
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
                _read(corpus_dir, state, worker.extract)
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
    if state.unsupported or parsed is None:
        suffix = Path(state.path).suffix or "(no extension)"
        reason = f"unsupported file type {suffix}: {SUPPORTED} are read"
        return base | _EMPTY_FIELDS | {
            "status": "skipped",
            "warning": reason,
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
) -> SyncReport:
    """Add new files, re-read changed ones, mark vanished ones missing; report what happened.

    `progress(done, total)` is told before the first file is read and after each one. Web
    pages, EPUB, PDF and DOCX are read by `extract`; by default in one worker process under
    time and memory limits (started only when such a file needs reading)."""
    report = SyncReport()
    on_disk = scan_corpus(corpus_dir)
    known = {
        row[0]: row
        for row in store.conn.execute("SELECT path, id, status, size, mtime_ns FROM documents")
    }
    to_apply: list[FileState] = []
    for path, state in on_disk.items():
        row = known.get(path)
        if row and row[2] != "missing" and row[3] == state.size and row[4] == state.mtime_ns:
            report.unchanged += 1
        else:
            to_apply.append(state)
    to_apply.sort(key=lambda state: state.path)
    _read_all(corpus_dir, to_apply, progress, extract)
    vanished = sorted(p for p, row in known.items() if p not in on_disk and row[2] != "missing")
    if not to_apply and not vanished:
        return report
    with store.write() as db:
        _apply(db, to_apply, vanished, report)
    return report


def _apply(
    db: sqlite_utils.Database, to_apply: list[FileState], vanished: list[str], report: SyncReport
) -> None:
    now = utc_now()
    # Re-read under the write lock: another process may have synced in the meantime.
    known = {
        row[0]: row
        for row in db.execute(
            "SELECT path, id, status, content_hash, kind FROM documents"
        ).fetchall()
    }
    missing_by_hash: dict[str, tuple[str, int]] = {}
    for path, row in known.items():
        if row[3] and (row[2] == "missing" or path in vanished):
            missing_by_hash.setdefault(row[3], (path, row[1]))
    renamed_from: set[str] = set()
    for state in to_apply:
        row = known.get(state.path)
        parsed = state.parsed
        text = parsed.text if parsed else None
        if row is None and parsed and text is not None and parsed.content_hash in missing_by_hash:
            old_path, doc_id = missing_by_hash.pop(parsed.content_hash)
            _store_document(db, state, doc_id, now)
            renamed_from.add(old_path)
            report.renamed.append((old_path, state.path))
            _count(report, state.path, _reanchor_document(db, doc_id, text))
            continue
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
            continue
        doc_id = _store_document(db, state, row[1] if row else None, now)
        if state.unsupported or text is None:
            reason = _document_fields(state, now)["warning"]
            report.skipped.append(state.path)
            report.warnings.append(f"{state.path}: skipped, {reason}")
        else:
            (report.changed if row else report.added).append(state.path)
            report.warnings.extend(f"{state.path}: {w}" for w in parsed.warnings if parsed)
        if row is not None:
            _count(report, state.path, _reanchor_document(db, doc_id, text))
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


def _count(report: SyncReport, path: str, outcome: Counter[str]) -> None:
    for status, n in outcome.items():
        report.reanchored[status] = report.reanchored.get(status, 0) + n
    if outcome.get("orphaned"):
        report.warnings.append(f"{path}: {outcome['orphaned']} annotation(s) orphaned, kept")
