"""Markdown export: by document (front matter, highlights in text order) or by tag (codebook).

Each highlight is an Obsidian callout (a blockquote elsewhere): where it is in its title, then
the quote, its tags, and its note nested in a `[!note]` callout; its block id (`^hl-…`) stands
on its own line right after the callout, as Obsidian wants for quotes, so `![[file#^hl-…]]`
embeds the highlight. Article text (quotes, titles, authors) is escaped: it is untrusted and
reads back as text. Notes are the user's Markdown, written as such but indented behind `> `,
so no line of a note can end the block or start a heading, front matter or another highlight.
Each block sits between reader's markers (reader/exchange/managed.py) so a later export into
the same file updates it in place. The same database always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from reader.exchange.collect import DocumentExport
from reader.exchange.escaping import escape_block, escape_line, indented, note_lines, tag_token
from reader.exchange.managed import Block, ManagedFile
from reader.models import Annotation, Document

CORPUS_PREFIX = "corpus/"
_UUID_HEX = re.compile(r"[0-9a-f]{32}")


def block_id(annotation: Annotation) -> str:
    """`hl-` and 12 hex digits: from a UUID its first digits (ids of earlier exports keep
    working), from any other uid (an imported annotation's IRI) a hash of it."""
    uid = annotation.uid.strip().lower()
    digits = uid.removeprefix("urn:uuid:").replace("-", "")
    if _UUID_HEX.fullmatch(digits) and len(uid) - len(digits) in (0, 4, 9, 13):
        return f"hl-{digits[:12]}"
    digest = hashlib.sha256(annotation.uid.encode("utf-8", "surrogatepass")).hexdigest()
    return f"hl-{digest[:12]}"


def block_ids(annotations: list[Annotation]) -> dict[int, str]:
    """A block id per annotation, unique within one file (a clash gets `-2`, `-3`…)."""
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for annotation in annotations:
        if annotation.id in ids:
            continue
        base = candidate = block_id(annotation)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[annotation.id] = candidate
    return ids


def _location(annotation: Annotation, paragraph: int) -> str:
    status = "" if annotation.status == "anchored" else f" · {annotation.status}"
    return f"¶ {paragraph} · {annotation.start}–{annotation.end}{status}"


def highlight_markdown(
    annotation: Annotation, paragraph: int, bid: str | None, source: str | None = None
) -> str:
    """One highlight: a callout titled with where it is (and from which document), the quote,
    its tags and its note; then its block id `bid` (None: the id stands elsewhere in the file)."""
    where = _location(annotation, paragraph)
    title = f"{escape_line(source)} · {where}" if source else where
    lines = [f"> [!quote] {title}", escape_block(annotation.quote, "> ")]
    if annotation.tags:
        lines += [">", "> " + " ".join(tag_token(t) for t in annotation.tags)]
    note = note_lines(annotation.note)
    if note:
        lines += [">", "> > [!note]", indented(note, "> > ")]
    text = "\n".join(lines)
    return f"{text}\n\n^{bid}" if bid else text


def _document_note(note: str) -> list[str]:
    lines = note_lines(note)
    return [f"> [!note] Note\n{indented(lines, '> ')}"] if lines else []


def front_matter(document: Document, tags: list[str]) -> dict[str, Any]:
    front: dict[str, Any] = {"title": document.title}
    if document.author:
        front["author"] = document.author
    if document.date:
        front["date"] = document.date
    front["source"] = CORPUS_PREFIX + document.path
    if tags:
        front["tags"] = list(tags)
    return front


def _byline(document: Document) -> str:
    parts = [p for p in (document.author, document.date, CORPUS_PREFIX + document.path) if p]
    return escape_line(" · ".join(parts))


def _highlight_blocks(export: DocumentExport, ids: dict[int, str]) -> list[Block]:
    pairs = zip(export.annotations, export.paragraphs, strict=True)
    return [Block("hl", ids[a.id], highlight_markdown(a, p, ids[a.id])) for a, p in pairs]


def document_key(document: Document) -> str:
    """The head block's key of one document's file: which document the file holds, so an
    export never merges into another document's file (its id here, kept across renames)."""
    return f"doc-{document.id}"


def _scope_key(kind: str, title: str, default: str) -> str:
    """The head block's key of a file of several documents: `kind`, and for any title but the
    default one (a tag filter, a search) a hash of the title."""
    if title == default:
        return kind
    return f"{kind}-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def document_file(export: DocumentExport) -> ManagedFile:
    """One document's file: YAML front matter, its title, its note, its highlights."""
    doc = export.document
    head = "\n\n".join([f"# {escape_line(doc.title)}", *_document_note(export.note)])
    ids = block_ids(export.annotations)
    blocks = [Block("head", document_key(doc), head), *_highlight_blocks(export, ids)]
    return ManagedFile(front_matter(doc, export.tags), blocks)


def _document_section(export: DocumentExport, ids: dict[int, str]) -> list[Block]:
    doc = export.document
    parts = [f"## {escape_line(doc.title)}", _byline(doc)]
    if export.tags:
        parts.append(" ".join(tag_token(t) for t in export.tags))
    parts += _document_note(export.note)
    return [Block("doc", f"doc-{doc.id}", "\n\n".join(parts)), *_highlight_blocks(export, ids)]


def markdown_by_document(exports: list[DocumentExport], title: str = "Highlights") -> ManagedFile:
    """One file: front matter for a single document, else a heading per document."""
    if len(exports) == 1:
        return document_file(exports[0])
    ids = block_ids([a for e in exports for a in e.annotations])
    blocks = [Block("head", _scope_key("all", title, "Highlights"), f"# {escape_line(title)}")]
    for export in exports:
        blocks += _document_section(export, ids)
    return ManagedFile(None, blocks)


def _tag_key(tag: str) -> str:
    return "tag-" + hashlib.sha256(tag.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def markdown_by_tag(exports: list[DocumentExport], title: str = "Codebook") -> ManagedFile:
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
    ids = block_ids([a for e in exports for a in e.annotations])
    head = f"# {escape_line(title)}"
    blocks = [Block("head", _scope_key("codebook", title, "Codebook"), head)]
    seen: set[int] = set()  # a block id may stand once per file: at a highlight's first tag
    groups = sorted(by_tag.items(), key=lambda item: item[0].casefold())
    if untagged:
        groups.append(("(untagged)", untagged))
    for tag, entries in groups:
        documents = len({doc.id for _, _, doc in entries})
        key = _tag_key(tag)
        heading = f"## {escape_line(tag)}\n\n{len(entries)} highlight(s) in {documents} document(s)"
        blocks.append(Block("tag", key, heading))
        for annotation, paragraph, doc in entries:
            source = f"{doc.title}" + (f", {doc.author}" if doc.author else "")
            bid = ids[annotation.id] if annotation.id not in seen else None
            text = highlight_markdown(annotation, paragraph, bid, source)
            blocks.append(Block("hl", f"{key}.{ids[annotation.id]}", text))
            seen.add(annotation.id)
    return ManagedFile(None, blocks)
