"""`reader import FILE` in the domain: read a file from another tool, match each highlight to a
document, place it, store it (or say why not), all in one transaction.

A highlight whose document is found but whose words are not (or are there more than once with
nothing to choose) is kept as an orphan of that document, so its note and tags are not lost; one
with no document is reported only, never guessed. Each highlight has a stable id (records.py),
so importing twice adds nothing.
"""

from __future__ import annotations

from typing import Protocol

from reader.annotate.anchoring import context
from reader.annotate.annotations import insert_annotation, link_tag
from reader.codebook.tag_names import clean_tag_name, parse_color
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.exchange.sources.hypothesis import read_hypothesis
from reader.exchange.sources.kindle import read_kindle
from reader.exchange.sources.matching import DocumentIndex, Placed
from reader.exchange.sources.readwise import read_readwise
from reader.exchange.sources.records import (
    NotPlaced,
    SourceHighlight,
    SourceImport,
    Unreadable,
)
from reader.models import Document
from reader.store import Store

READERS = {"kindle": read_kindle, "readwise": read_readwise, "hypothesis": read_hypothesis}


class ImportTarget(Protocol):
    store: Store

    def documents(self) -> list[Document]: ...


class _DryRun(Exception):
    """Raised inside the transaction to undo everything a dry run did."""


def import_source_text(
    workspace: ImportTarget, fmt: str, text: str, dry_run: bool = False
) -> SourceImport:
    """Import the highlights of `text` (in `fmt`: kindle, readwise or hypothesis)."""
    highlights, skipped = READERS[fmt](text)
    report = SourceImport(format=fmt, read=len(highlights), skipped=skipped, dry_run=dry_run)
    try:
        with workspace.store.write() as db:
            _store_all(workspace, db, highlights, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _store_all(
    workspace: ImportTarget, db, highlights: list[SourceHighlight], report: SourceImport
) -> None:
    documents = [d for d in workspace.documents() if d.status == "ok"]
    texts = {d.id: t for d in documents if (t := document_text(db, d.id)) is not None}
    index = DocumentIndex(documents, texts)
    present = {row[0] for row in db.execute("SELECT uid FROM annotations")}
    for highlight in highlights:
        if highlight.uid in present:
            report.already_present += 1
            continue
        document, why = index.match(highlight)
        if document is None:
            report.not_placed.append(_not_placed(highlight, why))
            continue
        placed = index.place(document, highlight)
        if isinstance(placed, Placed):
            text = texts[document.id]
            span, quote = (placed.start, placed.end), text[placed.start : placed.end]
            around, status = context(text, placed.start, placed.end), placed.status
        else:
            span, quote, status = (0, 0), highlight.quote, "orphaned"
            around = (highlight.prefix, highlight.suffix)
            reason = f"{placed} ({document.path}, found by {why})"
            report.not_placed.append(_not_placed(highlight, reason, kept=True))
        ann_id = insert_annotation(
            db,
            document_id=document.id,
            span=span,
            quote=quote,
            context=around,
            content_hash=document.content_hash or "",
            note=highlight.note,
            color=_color(highlight.color),
            status=status,
            uid=highlight.uid,
            times=(highlight.created, highlight.created) if highlight.created else None,
        )
        for tag in highlight.tags:
            try:
                link_tag(db, ann_id, clean_tag_name(tag))
            except UsageError as exc:
                shown = tag[:40]
                report.skipped.append(
                    Unreadable(highlight.item, highlight.title, f"tag {shown!r} left out: {exc}")
                )
        present.add(highlight.uid)
        if status != "orphaned":
            report.placed[status] += 1


def _not_placed(highlight: SourceHighlight, reason: str, kept: bool = False) -> NotPlaced:
    title = highlight.title or highlight.url
    return NotPlaced(highlight.item, title, highlight.quote, reason, kept)


def _color(name: str) -> str | None:
    """Readwise's colour (yellow, blue, pink …) as the `#rrggbb` reader keeps; else none."""
    if not name.strip():
        return None
    try:
        return parse_color(name)
    except UsageError:
        return None
