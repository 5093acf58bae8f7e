"""A highlight as a Markdown quote with its citation, for pasting into a report."""

from __future__ import annotations

from reader.exchange.escaping import escape_block, escape_line
from reader.models import Annotation, Document


def citation(document: Document) -> str:
    parts = [document.author, f"“{document.title}”", document.date]
    return ", ".join(p for p in parts if p)


def quote_with_citation(quote: str, document: Document, note: str = "") -> str:
    """`> quote` then `> — Author, “Title”, date`; the note, if any, below the quote."""
    lines = [escape_block(quote, "> "), ">", "> — " + escape_line(citation(document))]
    if note.strip():
        lines += ["", escape_block(note.strip("\n"))]
    return "\n".join(lines) + "\n"


def annotation_with_citation(annotation: Annotation, document: Document) -> str:
    return quote_with_citation(annotation.quote, document, annotation.note)
