"""Annotations as W3C Web Annotations (JSON-LD), the shape Hypothesis and others exchange.

Each annotation targets its document by path and content hash, with a TextQuoteSelector (exact,
prefix, suffix) and a TextPositionSelector (code-point start, end); the note is a commenting
body, each tag a tagging body. The target also describes the document: its title and its
attributes (`reader:attributes`, name to value: `site`, `author`, `year`, `month` and those set).
An annotation whose creator is known (the `[user] name` when it was made, or the creator an
imported one named) names that Person; nobody is credited with another's work.
"""

from __future__ import annotations

from typing import Any

from reader.exchange.collect import DocumentExport
from reader.models import Annotation, Document

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN_PREFIX = "urn:uuid:"
READER_STATUS = "reader:status"
CONTENT_HASH = "reader:contentHash"
ATTRIBUTES = "reader:attributes"


def annotation_to_w3c(
    annotation: Annotation,
    document: Document,
    attributes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One annotation; `attributes` (when given) describe its document in the target."""
    body: list[dict[str, Any]] = []
    if annotation.note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "format": "text/markdown",
             "value": annotation.note}
        )  # fmt: skip
    body += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in annotation.tags]
    target: dict[str, Any] = {
        "source": "corpus/" + document.path,
        CONTENT_HASH: annotation.content_hash,
        "title": document.title,
    }
    if attributes is not None:
        target[ATTRIBUTES] = dict(attributes)
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
        "id": URN_PREFIX + annotation.uid,
        "type": "Annotation",
    }
    if annotation.creator:
        item["creator"] = {"type": "Person", "name": annotation.creator}
    return item | {
        "created": annotation.created,
        "modified": annotation.updated,
        "body": body,
        "target": target,
        READER_STATUS: annotation.status,
    }


def export_w3c(exports: list[DocumentExport]) -> list[dict[str, Any]]:
    return [
        annotation_to_w3c(a, e.document, e.attributes)
        for e in exports
        for a in e.annotations
    ]
