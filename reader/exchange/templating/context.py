"""The variables a `--template` sees: plain dicts, lists and strings (never reader's own
objects, so a template reaches nothing but the data), named as Readwise's are where they mean
the same (`title`, `author`, `url`, `date`, `tags`, `highlights` with `text`, `note`, `tags`,
`location`, `id`, `color`, `created`)."""

from __future__ import annotations

from typing import Any

from reader.exchange.collect import DocumentExport
from reader.exchange.markdown import CORPUS_PREFIX, block_id
from reader.models import Annotation


def highlight_variables(annotation: Annotation, paragraph: int) -> dict[str, Any]:
    """One highlight: Readwise's names, then reader's own extras."""
    return {
        "text": annotation.quote,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "location": paragraph,  # the paragraph (non-empty line) number, 1-based
        "id": annotation.uid,
        "color": annotation.color or "",
        "created": annotation.created,
        "updated": annotation.updated,
        "start": annotation.start,  # code-point offsets into the document's text
        "end": annotation.end,
        "prefix": annotation.prefix,  # the text just before and after the quote
        "suffix": annotation.suffix,
        "status": annotation.status,  # anchored, moved, fuzzy or orphaned
        "block_id": block_id(annotation),  # hl-…, as the built-in Markdown writes it
        "number": annotation.id,  # the short id `reader show`, `reader note` take
        "creator": annotation.creator or "",
    }


def document_variables(export: DocumentExport) -> dict[str, Any]:
    """One document and its highlights (in text order)."""
    doc = export.document
    return {
        "title": doc.title,
        "author": doc.author or "",
        "url": doc.source or "",
        "date": doc.date or "",
        "tags": list(export.tags),
        "document_tags": list(export.tags),  # Readwise's name in its page templates
        "note": export.note,
        "site": doc.site or "",
        "description": doc.description or "",
        "path": CORPUS_PREFIX + doc.path,
        "attributes": dict(export.attributes),
        "num_highlights": len(export.annotations),
        "highlights": [
            highlight_variables(a, p)
            for a, p in zip(export.annotations, export.paragraphs, strict=True)
        ],
    }


def file_variables(exports: list[DocumentExport], heading: str) -> list[dict[str, Any]]:
    """The variables of each rendering of a file holding `exports`: one document's own at the
    top level, plus `documents` (all in the file), `index` (1-based), `count`, `standalone`
    (the file holds this document alone) and `heading` (the built-in export's title line)."""
    documents = [document_variables(e) for e in exports]
    return [
        {
            **variables,
            "documents": documents,
            "index": index,
            "count": len(documents),
            "standalone": len(documents) == 1,
            "heading": heading,
        }
        for index, variables in enumerate(documents, start=1)
    ]
