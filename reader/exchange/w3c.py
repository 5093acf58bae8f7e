"""Annotations as W3C Web Annotations (JSON-LD), the shape Hypothesis and others exchange.

Each annotation is valid by the W3C test suite's MUST assertions (tests/unit/w3c_musts.py):
its id is an IRI (`urn:uuid:` and an RFC 4122 uuid), a highlight without tag or note has no
body and the motivation `highlighting`, and `target.source` is an IRI: the document's web
address when it has one, else a `file:` IRI of the file in corpus/. The corpus path itself,
the content hash the highlight was made on and the document's attributes are extension
properties (`reader:path`, `reader:contentHash`, `reader:attributes`) defined in the
`@context`. The target has a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector (code-point start, end); the note is a commenting body (Markdown), each
tag a tagging body. A document's own tags and note are one more annotation targeting the whole
document (no selector). The creator is the one recorded with the highlight (`[user] name` then,
or the creator an imported one named); a highlight made before any name was set names nobody:
nobody is credited with another's work.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from reader.exchange.collect import DocumentExport
from reader.models import Annotation, Document

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_NS = "https://reader.invalid/ns#"
"""The vocabulary of reader's extension terms (`.invalid`: a name that never resolves)."""
CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "reader": READER_NS,
        "dcterms": "http://purl.org/dc/terms/",
        "title": "dcterms:title",
        "reader:path": {"@id": "reader:path"},
        "reader:contentHash": {"@id": "reader:contentHash"},
        "reader:status": {"@id": "reader:status"},
        "reader:attributes": {"@id": "reader:attributes"},
    },
]
URN_PREFIX = "urn:uuid:"
READER_STATUS = "reader:status"
CONTENT_HASH = "reader:contentHash"
ATTRIBUTES = "reader:attributes"
PATH = "reader:path"
DOCUMENT_IDS = uuid.UUID("0b6f3c1e-9a41-4d57-8f0e-5c2a7d91e6b4")
"""Namespace of the ids of document-level annotations: one per document path, stable."""
FALLBACK_SOURCE = "urn:x-reader:corpus:"

_IRI_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
IRI = re.compile(rf"^[A-Za-z][A-Za-z0-9+\-.]*:{_IRI_CHAR}*(?:#{_IRI_CHAR}*)?$")
"""An absolute URI by RFC 3986's characters (what the strict validator accepts)."""


def annotation_id(uid: str) -> str:
    """The IRI of an annotation: `urn:uuid:` and the hyphenated uuid; an imported id that is
    another IRI is kept; anything else gets a uuid derived from it (stable across exports)."""
    try:
        return URN_PREFIX + str(uuid.UUID(uid))
    except ValueError:
        pass
    if IRI.match(uid):
        return uid
    return URN_PREFIX + str(uuid.uuid5(DOCUMENT_IDS, "uid:" + uid))


def _web_address(source: str | None) -> str | None:
    """The document's source as an IRI, when it is a web address."""
    if not source or not re.match(r"^https?://", source, re.I):
        return None
    iri = quote(source.strip(), safe=":/?#[]@!$&'()*+,;=%~")
    iri = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", iri)
    return iri if IRI.match(iri) else None


def source_iri(document: Document, corpus_dir: Path | None) -> str:
    """The document as an IRI: its web address, else its file in corpus/."""
    web = _web_address(document.source)
    if web:
        return web
    if corpus_dir is not None:
        return (corpus_dir.absolute() / document.path).as_uri()
    return FALLBACK_SOURCE + quote(document.path, safe="/")


def _target(
    document: Document, corpus_dir: Path | None, attributes: dict[str, str] | None
) -> dict[str, Any]:
    target: dict[str, Any] = {
        "source": source_iri(document, corpus_dir),
        PATH: document.path,
        "title": document.title,
    }
    if attributes is not None:
        target[ATTRIBUTES] = dict(attributes)
    return target


def _bodies(note: str, tags: list[str]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    if note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
             "value": note}
        )  # fmt: skip
    return body + [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags]


def _motivated(item: dict[str, Any], body: list[dict[str, Any]], has_note: bool) -> None:
    """`motivation` and `body` (left out when empty, as the model requires)."""
    if not body:
        item["motivation"] = "highlighting"
        return
    item["motivation"] = "commenting" if has_note else "tagging"
    item["body"] = body


def annotation_to_w3c(
    annotation: Annotation,
    document: Document,
    attributes: dict[str, str] | None = None,
    corpus_dir: Path | None = None,
) -> dict[str, Any]:
    """One annotation; `attributes` (when given) describe its document in the target."""
    target = _target(document, corpus_dir, attributes)
    target[CONTENT_HASH] = annotation.content_hash
    target["selector"] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.quote,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        },
        {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
    ]
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_id(annotation.uid),
        "type": "Annotation",
    }
    _motivated(item, _bodies(annotation.note, annotation.tags), bool(annotation.note))
    if annotation.creator:
        item["creator"] = {"type": "Person", "name": annotation.creator}
    return item | {
        "created": annotation.created,
        "modified": annotation.updated,
        "target": target,
        READER_STATUS: annotation.status,
    }


def document_to_w3c(
    export: DocumentExport, corpus_dir: Path | None = None
) -> dict[str, Any] | None:
    """The document's own tags and note as one annotation of the whole document (None: it has
    neither)."""
    if not export.tags and not export.note:
        return None
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": URN_PREFIX + str(uuid.uuid5(DOCUMENT_IDS, "document:" + export.document.path)),
        "type": "Annotation",
    }
    _motivated(item, _bodies(export.note, export.tags), bool(export.note))
    target = _target(export.document, corpus_dir, export.attributes)
    if export.document.content_hash:
        target[CONTENT_HASH] = export.document.content_hash
    return item | {"target": target}


def export_w3c(
    exports: list[DocumentExport], corpus_dir: Path | None = None
) -> list[dict[str, Any]]:
    """Every document's own tags and note, then its highlights in text order."""
    items: list[dict[str, Any]] = []
    for export in exports:
        whole = document_to_w3c(export, corpus_dir)
        if whole is not None:
            items.append(whole)
        items += [
            annotation_to_w3c(a, export.document, export.attributes, corpus_dir)
            for a in export.annotations
        ]
    return items
