"""Read W3C Web Annotations back in: idempotent, merging a colleague's work, re-anchored.

An annotation is matched to a document by its path, else by the content hash it was made on;
its quote is placed again in the current text (exactly where it was, moved, or orphaned), and
one already present (same id) is skipped, so importing twice adds nothing. What the file holds
is checked first (w3c_read.py): an annotation that cannot be used is refused alone, with its
reason, and every one accepted comes in in one transaction.
"""

from __future__ import annotations

from typing import Protocol

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import insert_annotation, link_tag
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.exchange.w3c_read import Incoming, read_w3c
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
    those with no document refused."""
    report = ImportReport()
    documents = workspace.documents()
    by_path = {d.path: d for d in documents}
    by_hash = {d.content_hash: d for d in documents if d.content_hash}
    with workspace.store.write() as db:
        present = {row[0] for row in db.execute("SELECT uid FROM annotations")}
        for item in incoming:
            if item.uid in present:
                report.already_present += 1
                continue
            document = by_path.get(item.source) or (by_hash.get(item.content_hash or ""))
            if document is None:
                report.unmatched.append(item.source)
                report.refused.append(
                    ImportRefusal(
                        item.item, item.given_id, f"no document {item.source} in this workspace"
                    )
                )
                continue
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
            present.add(item.uid)
            report.added[status] += 1
    return report
