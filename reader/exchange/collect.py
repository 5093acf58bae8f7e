"""What an export holds: annotations with their documents, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from reader.errors import ReaderError, UsageError
from reader.models import Annotation, Document


class HighlightSource(Protocol):
    """What an export reads. `Workspace` is one: the export modules sit below it (it calls
    them), so they name what they need rather than import it."""

    def annotations(self, document: Document | None = None) -> list[Annotation]: ...

    def documents(self) -> list[Document]: ...

    def text(self, document: Document) -> str: ...

    def document_tags(self, document: Document) -> list[str]: ...

    def document_note(self, document: Document) -> str: ...

    def all_attributes(self) -> dict[int, dict[str, str]]: ...

    def documents_where(
        self, name: str, value: str | None = None, low: str | None = None, high: str | None = None
    ) -> set[int]: ...

    @property
    def corpus_dir(self) -> Path: ...


@dataclass(frozen=True)
class DocumentExport:
    """One document and the highlights of it that the export includes, in text order."""

    document: Document
    tags: list[str]
    note: str
    annotations: list[Annotation]
    paragraphs: list[int]  # 1-based paragraph number of each annotation's start
    attributes: dict[str, str] = field(default_factory=dict)  # filled when the export asks


class Condition(NamedTuple):
    """One `--where`: an attribute equal to a value, or within `low..high`."""

    name: str
    value: str | None
    low: str | None
    high: str | None


def parse_where(conditions: Iterable[str]) -> list[Condition]:
    """`KEY=VALUE` or `KEY=LOW..HIGH` (either bound may be left out: `year=2022..`) as typed;
    a value holding `..` is a range."""
    parsed = []
    for condition in conditions:
        name, sep, value = condition.partition("=")
        value = value.strip()
        shown = "".join(c if c.isprintable() else "?" for c in condition)[:60]
        if not sep or not name.strip() or not value:
            raise UsageError(f"--where '{shown}' is not KEY=VALUE or KEY=LOW..HIGH")
        low, dots, high = value.partition("..")
        if dots:
            if not low.strip() and not high.strip():
                raise UsageError(f"--where '{shown}' needs a bound: KEY=LOW.., KEY=..HIGH or both")
            parsed.append(Condition(name, None, low.strip() or None, high.strip() or None))
        else:
            parsed.append(Condition(name, value, None, None))
    return parsed


def documents_matching(workspace: HighlightSource, conditions: Iterable[str]) -> set[int] | None:
    """Ids of the documents meeting every `--where` (None when there is none): conditions on
    different attributes must all hold, several on the same attribute are alternatives
    (`site=a --where site=b`: either site)."""
    by_name: dict[str, set[int]] = {}
    for condition in parse_where(conditions):
        found = workspace.documents_where(*condition)
        key = condition.name.strip().casefold()
        by_name[key] = by_name.get(key, set()) | found
    if not by_name:
        return None
    return set.intersection(*by_name.values())


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


def _has_own_notes(workspace: HighlightSource, document: Document) -> bool:
    return bool(workspace.document_tags(document) or workspace.document_note(document).strip())


def collect(
    workspace: HighlightSource,
    document: Document | None = None,
    tag: str | None = None,
    annotation_ids: set[int] | None = None,
    document_ids: set[int] | None = None,
    attributes: Mapping[int, dict[str, str]] | None = None,
    document_notes: bool = False,
) -> list[DocumentExport]:
    """Documents (by path; only those in `document_ids` when given) with their matching
    annotations, and their `attributes` when given; documents without any are left out, but
    with `document_notes` (and no tag or highlight filter) those with tags or a note of their
    own stay."""
    annotations = workspace.annotations(document)
    if document_ids is not None:
        annotations = [a for a in annotations if a.document_id in document_ids]
    if tag is not None:
        annotations = [a for a in annotations if tag_matches(a.tags, tag)]
    if annotation_ids is not None:
        annotations = [a for a in annotations if a.id in annotation_ids]
    by_document: dict[int, list[Annotation]] = {}
    for annotation in annotations:
        by_document.setdefault(annotation.document_id, []).append(annotation)
    exports = []
    keep_noted = document_notes and tag is None and annotation_ids is None
    for doc in workspace.documents():
        chosen = by_document.get(doc.id, [])
        if (document_ids is not None and doc.id not in document_ids) or (
            document is not None and doc.id != document.id
        ):
            continue
        if not chosen and not (keep_noted and _has_own_notes(workspace, doc)):
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
                attributes=dict(attributes.get(doc.id, {})) if attributes is not None else {},
            )
        )
    return exports
