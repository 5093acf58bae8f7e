"""Bring a REFI-QDA project into a workspace: its codes become tags (GUIDs kept), each
plain-text source a `.txt` in corpus/ (a document already holding the same text is used
instead, and no file is ever overwritten), each selection a highlight with its codes as tags
and its notes as the note. Importing twice adds nothing: a highlight's uid is its GUID."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sqlite_utils

from reader.annotate.anchoring import context, reanchor
from reader.annotate.annotations import clean_note, insert_annotation, link_tag
from reader.corpus.documents import document_text
from reader.corpus.naming import safe_file_stem
from reader.errors import UsageError
from reader.exchange.refi.codebook import CodebookImport, import_codes
from reader.exchange.refi.project import refi_datetime
from reader.exchange.refi.reading import SelectionIn, SourceIn, read_qdpx
from reader.models import AddResult, Document
from reader.store import Store


class ProjectTarget(Protocol):
    """Where a project is imported: `Workspace` is one."""

    store: Store

    def documents(self) -> list[Document]: ...
    def add(self, sources: list[str]) -> list[AddResult]: ...
    def document_at(self, path: str) -> Document: ...
    def document_tags(self, document: Document) -> list[str]: ...
    def document_note(self, document: Document) -> str: ...
    def set_document_annotation(self, document: Document, tags: list[str], note: str) -> None: ...


@dataclass
class QdpxImport:
    """What a project import did."""

    codes: CodebookImport
    added: Counter[str] = field(default_factory=Counter)  # highlights, by anchor status
    already_present: int = 0
    sources_added: list[str] = field(default_factory=list)
    sources_matched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """The report, one line each, for a face to print."""
        return [
            *(f"refused: {reason}" for reason in self.refused),
            f"codes: {self.codes.added} new tags, {self.codes.matched} already present",
            f"sources: {len(self.sources_added)} added to corpus/, "
            f"{len(self.sources_matched)} already there",
            f"highlights: {sum(self.added.values())} imported, {self.already_present} already "
            "present",
        ]


def import_qdpx(workspace: ProjectTarget, data: bytes) -> QdpxImport:
    """Import a `.qdpx`'s bytes; RefiError (a UsageError's kin: ValueError) when unreadable."""
    project = read_qdpx(data)
    with workspace.store.write() as db:
        codes = import_codes(db, project.codes)
        names = {guid: db.execute("SELECT name FROM tags WHERE id = ?", [tag_id]).fetchone()[0]
                 for guid, tag_id in codes.tag_of_guid.items()}  # fmt: skip
        texts = db.execute("SELECT document_id, text FROM document_texts")
        by_text = {_digest(text): doc_id for doc_id, text in texts}
    report = QdpxImport(codes=codes, refused=list(project.refused))
    report.refused.extend(codes.refused)
    placed: list[tuple[Document, SourceIn]] = []
    for source in project.sources:
        document = _document_for(workspace, source, by_text, report)
        if document is not None:
            placed.append((document, source))
            _document_tags_and_note(workspace, document, source, names, report)
    with workspace.store.write() as db:
        present = {row[0] for row in db.execute("SELECT uid FROM annotations")}
        for document, source in placed:
            for selection in source.selections:
                uid = uuid.UUID(selection.guid).hex
                if uid in present:
                    report.already_present += 1
                    continue
                tags = [names[g] for g in selection.codes if g in names]
                _store_selection(db, document, source.text, selection, uid, tags, report)
                present.add(uid)
    return report


def _store_selection(db: sqlite_utils.Database, document: Document, text: str,
                     selection: SelectionIn, uid: str, tags: list[str],
                     report: QdpxImport) -> None:  # fmt: skip
    """One selection as a highlight, placed by its quote in the document's text (where it was
    when the text is the source's, else where the quote and its context say)."""
    current = document_text(db, document.id) or ""
    quote = text[selection.start : selection.end]
    prefix, suffix = context(text, selection.start, selection.end)
    spot = reanchor(current, selection.start, selection.end, quote, prefix, suffix)
    if spot.status != "orphaned":
        prefix, suffix = context(current, spot.start, spot.end)
    ann_id = insert_annotation(
        db,
        document_id=document.id,
        span=(spot.start, max(spot.start, spot.end)),
        quote=quote,
        context=(prefix, suffix),
        content_hash=document.content_hash or "",
        note=clean_note(selection.note),
        status=spot.status,
        uid=uid,
        times=_times(selection.created, selection.modified),
        creator=selection.creator,
    )
    for tag in tags:
        link_tag(db, ann_id, tag)  # tags the codebook import made: valid names
    report.added[spot.status] += 1


def _times(created: str | None, modified: str | None) -> tuple[str, str] | None:
    start = refi_datetime(created)
    return (start, refi_datetime(modified) or start) if start else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _document_for(workspace: ProjectTarget, source: SourceIn, by_text: dict[str, int],
                  report: QdpxImport) -> Document | None:  # fmt: skip
    """The document holding the source's text: one with the same text, else a new `.txt`."""
    digest = _digest(source.text)
    if digest in by_text:
        document = next((d for d in workspace.documents() if d.id == by_text[digest]), None)
        if document is not None:
            report.sources_matched.append(document.path)
            return document
    stem = safe_file_stem(Path(source.name).stem or source.name, fallback="source")
    with tempfile.TemporaryDirectory(prefix="reader-qdpx-") as folder:
        staged = Path(folder) / f"{stem}.txt"
        staged.write_text(source.text, encoding="utf-8", newline="")
        (result,) = workspace.add([str(staged)])
    if result.path is None:
        report.refused.append(f"source #{source.item} {source.name[:60]!r}: {result.reason}")
        return None
    (report.sources_added if result.outcome == "added" else report.sources_matched).append(
        result.path
    )
    try:
        return workspace.document_at(result.path)
    except UsageError as exc:
        report.refused.append(f"source #{source.item} {source.name[:60]!r}: {exc}")
        return None


def _document_tags_and_note(workspace: ProjectTarget, document: Document, source: SourceIn,
                            names: dict[str, str], report: QdpxImport) -> None:  # fmt: skip
    """Add the source's whole-document codes and note; the document's own are all kept."""
    tags = workspace.document_tags(document)
    keys = {t.casefold() for t in tags}
    new_tags = [names[g] for g in source.codes if g in names and names[g].casefold() not in keys]
    note = workspace.document_note(document)
    incoming_note = source.note.strip()
    new_note = note
    if incoming_note and incoming_note not in note:
        new_note = f"{note.rstrip()}\n\n{incoming_note}" if note.strip() else incoming_note
    if new_tags or new_note != note:
        try:
            workspace.set_document_annotation(document, [*tags, *new_tags], new_note)
        except UsageError as exc:
            report.refused.append(f"source #{source.item} tags or note: {exc}")
