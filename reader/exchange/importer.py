"""Read W3C Web Annotations back in: idempotent, merging a colleague's work, re-anchored.

An annotation is matched to a document by its path, else by the content hash it was made on;
its quote is placed again in the current text (exactly where it was, moved, or orphaned), and
one already present (same id) is skipped, so importing twice adds nothing. What the file holds
is checked first (w3c_read.py): an annotation that cannot be used is refused alone, with its
reason. The file is read as it is stored, a batch of annotations per transaction, so memory
stays flat in the file's size and an interrupted import keeps whole batches (a re-run skips
them by id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from reader.codebook.tags import clean_tag_name
from reader.corpus.document_state import document_note, document_tags, set_document_annotation
from reader.errors import UsageError
from reader.exchange.json_stream import ByteSource, utf8_chunks
from reader.exchange.w3c_batch import Batch, larger_page_cache
from reader.exchange.w3c_match import DocumentMatcher
from reader.exchange.w3c_read import Incoming, read_w3c_stream, text_chunks
from reader.models import Document, ImportRefusal, ImportReport
from reader.store import Store

__all__ = ["ImportReport", "ImportTarget", "import_w3c_file", "import_w3c_text"]

BATCH_SIZE = 10_000
"""Annotations stored per transaction: an interrupted import keeps every whole batch. Each
transaction flushes the search index and writes every index page it touched, so fewer, larger
ones cost less (500,000 annotations: 53 s of CPU in batches of 2,000, 41 s in 10,000)."""
FIRST_BATCH = 2_000
"""The first batch is smaller, so that progress shows and an interruption keeps some soon."""


class ImportTarget(Protocol):
    """Where annotations are imported to: `Workspace` is one (it calls this module)."""

    store: Store

    def documents(self) -> list[Document]: ...


Progress = Callable[[int], object]
"""Told how many annotations of the file have been read each time a batch is stored."""


def import_w3c_text(workspace: ImportTarget, raw: str | bytes) -> ImportReport:
    """Import a W3C annotation file's text (or its bytes, which must be UTF-8)."""
    return import_w3c_chunks(workspace, text_chunks(raw))


def import_w3c_file(
    workspace: ImportTarget,
    stream: ByteSource,
    limit: int,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import a W3C file read from `stream` as it is read (at most `limit` bytes), storing
    `batch_size` annotations per transaction."""
    return import_w3c_chunks(workspace, utf8_chunks(stream, limit), progress, batch_size)


def import_w3c_chunks(
    workspace: ImportTarget,
    chunks: Iterable[str],
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Store the checked annotations of a file's text in batches, each its own transaction;
    those already present are counted, those with no document refused. Whole-document ones
    add to the document's own tags and note (nothing there is replaced)."""
    report = ImportReport()
    with larger_page_cache(workspace.store.conn):
        _import(workspace, chunks, report, progress, batch_size)
    report.refused.sort(key=lambda r: r.item)
    return report


def _import(
    workspace: ImportTarget,
    chunks: Iterable[str],
    report: ImportReport,
    progress: Progress | None,
    batch_size: int,
) -> None:
    match = DocumentMatcher(workspace.documents())
    batch = Batch(workspace.store, report)
    own: dict[int, list[Incoming]] = {}  # whole-document ones, by document, for each batch
    read = pending = 0  # read from the file; read and not refused since the last batch
    size = min(batch_size, FIRST_BATCH)
    for one in read_w3c_stream(chunks):
        read += 1
        if isinstance(one, ImportRefusal):
            report.refused.append(one)
            continue
        pending += 1
        document = match(one)
        if document is None:
            report.unmatched.append(one.source)
            reason = f"no document {one.source} in this workspace"
            report.refused.append(ImportRefusal(one.item, one.given_id, reason))
        elif one.whole_document:
            own.setdefault(document.id, []).append(one)
        else:
            batch.items.append((one, document))
        if pending >= size:
            _store(batch, own, report)
            pending, size = 0, batch_size
            if progress is not None:
                progress(read)
    _store(batch, own, report)
    if progress is not None:
        progress(read)


def _store(batch: Batch, own: dict[int, list[Incoming]], report: ImportReport) -> None:
    """Write the batch's highlights (one transaction), then its documents' own tags and notes."""
    batch.write()
    for doc_id, items in own.items():
        _merge_document_notes(batch.store, doc_id, items, report)
    own.clear()


def _merge_document_notes(
    store: Store, doc_id: int, items: list[Incoming], report: ImportReport
) -> None:
    """Add the imported tags and notes to the document's own: a note already there (or
    already holding the imported one) stays as it is, a new one is added after it."""
    tags = document_tags(store.db, doc_id)
    note = document_note(store.db, doc_id)
    before = (list(tags), note)
    keys = {t.casefold() for t in tags}
    for item in items:
        for tag in item.tags:
            try:
                cleaned = clean_tag_name(tag)
            except UsageError as exc:
                reason = f"without the tag {tag[:40]!r}: {exc}"
                report.refused.append(ImportRefusal(item.item, item.given_id, reason, True))
                continue
            if cleaned.casefold() not in keys:
                keys.add(cleaned.casefold())
                tags.append(cleaned)
        if item.note.strip() and item.note.strip() not in note:
            note = f"{note.rstrip()}\n\n{item.note}" if note.strip() else item.note
    if (tags, note) == before:
        report.already_present += len(items)
        return
    set_document_annotation(store, doc_id, tags, note)
    report.added["document"] += len(items)
