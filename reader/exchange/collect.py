"""What an export holds: annotations with their documents, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from reader.errors import ReaderError
from reader.models import Annotation, Document


class HighlightSource(Protocol):
    """What an export reads. `Workspace` is one: the export modules sit below it (it calls
    them), so they name what they need rather than import it."""

    def annotations(self, document: Document | None = None) -> list[Annotation]: ...

    def documents(self) -> list[Document]: ...

    def text(self, document: Document) -> str: ...

    def document_tags(self, document: Document) -> list[str]: ...

    def document_note(self, document: Document) -> str: ...


@dataclass(frozen=True)
class DocumentExport:
    """One document and the highlights of it that the export includes, in text order."""

    document: Document
    tags: list[str]
    note: str
    annotations: list[Annotation]
    paragraphs: list[int]  # 1-based paragraph number of each annotation's start


def paragraph_number(text: str, offset: int) -> int:
    """1-based number of the paragraph (non-empty line) holding `offset`."""
    count = 0
    for line in text[:offset].split("\n")[:-1]:
        if line.strip():
            count += 1
    return count + 1


def tag_matches(tags: list[str], wanted: str) -> bool:
    """True when one of `tags` is `wanted` or a sub-tag of it (`actor` matches `actor/russia`)."""
    key = wanted.strip().casefold().strip("/")
    return any(t.casefold() == key or t.casefold().startswith(key + "/") for t in tags)


def collect(
    workspace: HighlightSource,
    document: Document | None = None,
    tag: str | None = None,
    annotation_ids: set[int] | None = None,
) -> list[DocumentExport]:
    """Documents (by path) with their matching annotations; documents without any are left out."""
    annotations = workspace.annotations(document)
    if tag is not None:
        annotations = [a for a in annotations if tag_matches(a.tags, tag)]
    if annotation_ids is not None:
        annotations = [a for a in annotations if a.id in annotation_ids]
    by_document: dict[int, list[Annotation]] = {}
    for annotation in annotations:
        by_document.setdefault(annotation.document_id, []).append(annotation)
    exports = []
    for doc in workspace.documents():
        chosen = by_document.get(doc.id)
        if not chosen:
            continue
        try:
            text = workspace.text(doc)
        except ReaderError:  # a skipped file: its highlights are orphans without a paragraph
            text = ""
        exports.append(
            DocumentExport(
                document=doc,
                tags=workspace.document_tags(doc),
                note=workspace.document_note(doc),
                annotations=chosen,
                paragraphs=[paragraph_number(text, a.start) for a in chosen],
            )
        )
    return exports
