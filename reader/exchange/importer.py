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
from typing import Any, Protocol

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import insert_annotation, link_tag
from reader.codebook.tags import clean_tag_name
from reader.corpus.document_state import document_note, document_tags, set_document_annotation
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.exchange.json_stream import ByteSource, utf8_chunks
from reader.exchange.w3c_match import DocumentMatcher
from reader.exchange.w3c_read import Incoming, canonical_uid, read_w3c_stream, text_chunks
from reader.models import Document, ImportRefusal, ImportReport
from reader.search.bulk_notes import notes_indexed_at_the_end
from reader.store import Store

__all__ = ["ImportReport", "ImportTarget", "import_w3c_file", "import_w3c_text"]

BATCH_SIZE = 2000
"""Annotations stored per transaction: an interrupted import keeps every whole batch."""


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
    batch = Batch(workspace, DocumentMatcher(workspace.documents()), report)
    read = 0
    for one in read_w3c_stream(chunks):
        read += 1
        if isinstance(one, ImportRefusal):
            report.refused.append(one)
            continue
        batch.items.append(one)
        if len(batch.items) >= batch_size:
            batch.store()
            if progress is not None:
                progress(read)
    batch.store()
    if progress is not None:
        progress(read)
    report.refused.sort(key=lambda r: r.item)
    return report


class Batch:
    """Annotations read and not yet stored, and how to store them in one transaction."""

    def __init__(self, workspace: ImportTarget, match: DocumentMatcher, report: ImportReport):
        self.workspace = workspace
        self.match = match
        self.report = report
        self.items: list[Incoming] = []
        self.legacy_uids = _legacy_uids(workspace.store)

    def store(self) -> None:
        report, own = self.report, dict[int, list[Incoming]]()
        store = self.workspace.store
        with store.write() as db, notes_indexed_at_the_end(store.conn):
            present = self._present(db)
            texts = _Texts(db)
            for item in self.items:
                document = self.match(item)
                if document is None:
                    report.unmatched.append(item.source)
                    reason = f"no document {item.source} in this workspace"
                    report.refused.append(ImportRefusal(item.item, item.given_id, reason))
                    continue
                if item.whole_document:
                    own.setdefault(document.id, []).append(item)
                    continue
                if item.uid in present:
                    report.already_present += 1
                    continue
                _store_one(db, document, texts(document.id), item, report)
                present.add(item.uid)
        self.items = []
        for doc_id, items in own.items():
            _merge_document_notes(self.workspace.store, doc_id, items, report)

    def _present(self, db: Any) -> set[str]:
        """The batch's uids already stored (as given, or in a stored form not canonical)."""
        uids = sorted({item.uid for item in self.items if not item.whole_document})
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


class _Texts:
    """Documents' texts for one batch, each fetched once (at most `keep` held at a time)."""

    def __init__(self, db: Any, keep: int = 256) -> None:
        self.db = db
        self.keep = keep
        self.texts: dict[int, str | None] = {}

    def __call__(self, doc_id: int) -> str | None:
        if doc_id not in self.texts:
            if len(self.texts) >= self.keep:
                self.texts.clear()
            self.texts[doc_id] = document_text(self.db, doc_id)
        return self.texts[doc_id]


def _store_one(
    db: Any, document: Document, text: str | None, item: Incoming, report: ImportReport
) -> None:
    if text is None or document.status != "ok":
        status, start, end = "orphaned", max(0, item.start), max(0, item.end)
        prefix, suffix = item.prefix, item.suffix
    else:
        placed = reanchor(text, item.start, item.end, item.exact, item.prefix, item.suffix)
        status, start, end = placed.status, placed.start, placed.end
        if status == "orphaned":
            prefix, suffix = item.prefix, item.suffix
        else:
            prefix, suffix = context(text, start, end)
    ann_id = insert_annotation(
        db,
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
    for tag in item.tags:
        try:
            link_tag(db, ann_id, tag)
        except UsageError as exc:  # an empty or oversized tag: the annotation comes in
            reason = f"without the tag {tag[:40]!r}: {exc}"
            report.refused.append(ImportRefusal(item.item, item.given_id, reason, True))
    for part in item.skipped:
        report.refused.append(ImportRefusal(item.item, item.given_id, f"without {part}", True))
    report.added[status] += 1


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
