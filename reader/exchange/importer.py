"""Read W3C Web Annotations back in: idempotent, merging a colleague's work, re-anchored.

An annotation is matched to a document by its path, else by the content hash it was made on;
its quote is placed again in the current text (exactly where it was, moved, or orphaned), and
one already present (same id) is skipped, so importing twice adds nothing. What the file holds
is checked first (w3c_read.py): an annotation that cannot be used is refused alone, with its
reason, and every one accepted comes in in one transaction.
"""

from __future__ import annotations

from typing import Any, Protocol

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import insert_annotation, link_tag
from reader.codebook.tags import clean_tag_name
from reader.corpus.document_state import document_note, document_tags, set_document_annotation
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.exchange.w3c_match import DocumentMatcher
from reader.exchange.w3c_read import Incoming, canonical_uid, read_w3c
from reader.models import Document, ImportRefusal, ImportReport
from reader.store import Store

__all__ = ["ImportReport", "ImportTarget", "import_annotations", "import_w3c_text"]


class ImportTarget(Protocol):
    """Where annotations are imported to: `Workspace` is one (it calls this module)."""

    store: Store

    def documents(self) -> list[Document]: ...


def import_w3c_text(workspace: ImportTarget, raw: str | bytes) -> ImportReport:
    """Import a W3C annotation file's text (or its bytes, which must be UTF-8)."""
    read = read_w3c(raw)
    report = import_annotations(workspace, read.items)
    report.refused = sorted([*read.refused, *report.refused], key=lambda r: r.item)
    return report


def import_annotations(workspace: ImportTarget, incoming: list[Incoming]) -> ImportReport:
    """Store checked annotations, all in one transaction; those already present are counted,
    those with no document refused. Whole-document ones add to the document's own tags and
    note (nothing there is replaced)."""
    report = ImportReport()
    match = DocumentMatcher(workspace.documents())
    own: dict[int, list[Incoming]] = {}
    with workspace.store.write() as db:
        present = {canonical_uid(row[0]) for row in db.execute("SELECT uid FROM annotations")}
        for item in incoming:
            document = match(item)
            if document is None:
                report.unmatched.append(item.source)
                report.refused.append(
                    ImportRefusal(
                        item.item, item.given_id, f"no document {item.source} in this workspace"
                    )
                )
                continue
            if item.whole_document:
                own.setdefault(document.id, []).append(item)
                continue
            if item.uid in present:
                report.already_present += 1
                continue
            _store_one(db, document, item, report)
            present.add(item.uid)
    for doc_id, items in own.items():
        _merge_document_notes(workspace.store, doc_id, items, report)
    return report


def _store_one(db: Any, document: Document, item: Incoming, report: ImportReport) -> None:
    text = document_text(db, document.id)
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
