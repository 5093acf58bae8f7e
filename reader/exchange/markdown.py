"""Markdown export: by document (front matter, highlights in text order) or by tag (codebook).

Each highlight is a blockquote, its tags as `#tags`, its note, and a line with its location and
a stable block reference (`^hl-…` from the annotation's uid), so re-exports diff cleanly and
links from other notes keep working. The same database always gives the same bytes.
"""

from __future__ import annotations

from reader.exchange.collect import DocumentExport
from reader.exchange.escaping import escape_block, escape_line, tag_token, yaml_string
from reader.models import Annotation, Document

CORPUS_PREFIX = "corpus/"


def block_id(annotation: Annotation) -> str:
    return f"hl-{annotation.uid[:12]}"


def _location(annotation: Annotation, paragraph: int, with_id: bool) -> str:
    status = "" if annotation.status == "anchored" else f" · {annotation.status}"
    where = f"¶ {paragraph} · {annotation.start}–{annotation.end}{status}"
    return f"{where} ^{block_id(annotation)}" if with_id else where


def highlight_markdown(
    annotation: Annotation, paragraph: int, source: str | None = None, with_id: bool = True
) -> str:
    """One highlight: quote, tags, note, then where it is (and from which document)."""
    parts = [escape_block(annotation.quote, "> ")]
    if annotation.tags:
        parts.append(" ".join(tag_token(t) for t in annotation.tags))
    if annotation.note.strip():
        parts.append(escape_block(annotation.note.strip("\n")))
    where = _location(annotation, paragraph, with_id)
    if source:
        where = f"— {escape_line(source)} · {where}"
    parts.append(where)
    return "\n\n".join(parts)


def front_matter(document: Document, tags: list[str]) -> str:
    lines = ["---", f"title: {yaml_string(document.title)}"]
    if document.author:
        lines.append(f"author: {yaml_string(document.author)}")
    if document.date:
        lines.append(f"date: {document.date}")
    lines.append(f"source: {yaml_string(CORPUS_PREFIX + document.path)}")
    if tags:
        lines.append("tags: [" + ", ".join(yaml_string(t) for t in tags) + "]")
    lines.append("---")
    return "\n".join(lines)


def _byline(document: Document) -> str:
    parts = [p for p in (document.author, document.date, CORPUS_PREFIX + document.path) if p]
    return escape_line(" · ".join(parts))


def document_markdown(export: DocumentExport, standalone: bool) -> str:
    """A document's section; `standalone` gives it YAML front matter and a level-1 title."""
    doc = export.document
    parts = []
    if standalone:
        parts += [front_matter(doc, export.tags), f"# {escape_line(doc.title)}"]
    else:
        parts += [f"## {escape_line(doc.title)}", _byline(doc)]
        if export.tags:
            parts.append(" ".join(tag_token(t) for t in export.tags))
    if export.note.strip():
        parts.append(escape_block(export.note.strip("\n")))
    parts += [
        highlight_markdown(a, p) for a, p in zip(export.annotations, export.paragraphs, strict=True)
    ]
    return "\n\n".join(parts) + "\n"


def markdown_by_document(exports: list[DocumentExport], title: str = "Highlights") -> str:
    """One file: front matter for a single document, else a heading per document."""
    if len(exports) == 1:
        return document_markdown(exports[0], standalone=True)
    sections = [f"# {escape_line(title)}\n"] + [
        document_markdown(e, standalone=False) for e in exports
    ]
    return "\n".join(sections)


def markdown_by_tag(exports: list[DocumentExport], title: str = "Codebook") -> str:
    """Codebook report: for each tag (sorted), every quote with it across documents, sourced."""
    by_tag: dict[str, list[tuple[Annotation, int, Document]]] = {}
    untagged: list[tuple[Annotation, int, Document]] = []
    for export in exports:
        for annotation, paragraph in zip(export.annotations, export.paragraphs, strict=True):
            entry = (annotation, paragraph, export.document)
            for tag in annotation.tags:
                by_tag.setdefault(tag, []).append(entry)
            if not annotation.tags:
                untagged.append(entry)
    parts = [f"# {escape_line(title)}"]
    seen: set[int] = set()  # a block id may stand once per file: at a highlight's first tag
    groups = sorted(by_tag.items(), key=lambda item: item[0].casefold())
    if untagged:
        groups.append(("(untagged)", untagged))
    for tag, entries in groups:
        documents = len({doc.id for _, _, doc in entries})
        heading = escape_line(tag)
        parts.append(f"## {heading}\n\n{len(entries)} highlight(s) in {documents} document(s)")
        for annotation, paragraph, doc in entries:
            source = f"{doc.title}" + (f", {doc.author}" if doc.author else "")
            parts.append(
                highlight_markdown(annotation, paragraph, source, annotation.id not in seen)
            )
            seen.add(annotation.id)
    return "\n\n".join(parts) + "\n"
