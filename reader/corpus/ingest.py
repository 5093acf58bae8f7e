"""Read one corpus file into canonical text and metadata, or a reason it was skipped.

Plain text and Markdown are read as they are (their offsets never move); web pages, EPUB, PDF
and DOCX go through an extractor in `reader.corpus.formats`. A `.txt` that holds a web page (a
page saved with the wrong extension) is read as the web page it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.formats import Extracted, Unreadable
from reader.corpus.formats.html_sniff import looks_like_html
from reader.corpus.frontmatter import parse_front_matter
from reader.corpus.metadata import count_words, extract_metadata, reading_minutes
from reader.text.canonical import canonical_text, is_blank
from reader.text.decoding import decode_bytes
from reader.text.paragraphs import pack_spans, passage_spans

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
RICH_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".epub": "epub",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED = ", ".join(sorted({*TEXT_SUFFIXES, *RICH_SUFFIXES}))
# Larger files are skipped before they are read: a report of a few hundred pages is far below.
# These formats stop here whatever `[corpus] max_file_mb` says (their extractors need many
# times a file's size); plain text and Markdown stop at that setting, by default 64 MB, and
# the setting, when given, lowers every limit above it.
MAX_FILE_BYTES = {"html": 16 * 2**20, "epub": 256 * 2**20, "pdf": 256 * 2**20,
                  "docx": 256 * 2**20}  # fmt: skip
DEFAULT_MAX_TEXT_BYTES = 64 * 2**20
_KIND_NAMES = {"text": "text", "markdown": "Markdown"}
HEAD_CHARS = 4000  # where the header rules look for a title, byline and date
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # never part of a title; live on a terminal
# kind, bytes -> Extracted; the sync passes one that runs parsers under time and memory limits.
Extractor = Callable[[str, bytes], Extracted]


@dataclass
class ParsedDocument:
    """A file's canonical text and metadata; `text` is None when the file is skipped."""

    content_hash: str
    text: str | None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    words: int = 0
    reading_minutes: int = 0
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    skip_reason: str | None = None
    kind: str | None = None  # text, markdown, html, epub, pdf, docx
    site: str | None = None
    description: str | None = None
    # The text's paragraphs (`passage_spans`, packed by `pack_spans`), found where the file is
    # parsed (in a parse worker, mostly) so that the sync's one thread does not split every text
    # again to index it; None: not found yet (the index splits the text itself).
    paragraphs: bytes | None = None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return TEXT_SUFFIXES.get(suffix) or RICH_SUFFIXES.get(suffix)


def is_supported(path: Path) -> bool:
    return file_kind(path) is not None


def size_limit(path: Path, max_bytes: int | None = None) -> int:
    """The largest file of `path`'s kind reader reads: `max_bytes` (the user's limit; None:
    64 MB for text) or less where the format stops sooner."""
    ceiling = MAX_FILE_BYTES.get(file_kind(path) or "")
    if max_bytes is None:
        return ceiling or DEFAULT_MAX_TEXT_BYTES
    return min(max_bytes, ceiling) if ceiling else max_bytes


def too_large(path: Path, size: int, max_bytes: int | None = None) -> str | None:
    """The reason to skip a file of `size` bytes unread (known from `stat`, so a huge or sparse
    file costs nothing), or None; `max_bytes` as for `size_limit`."""
    kind = file_kind(path)
    limit = size_limit(path, max_bytes)
    if kind is None or size <= limit:
        return None
    if max_bytes is not None and limit == max_bytes != MAX_FILE_BYTES.get(kind):
        setting = ", set by [corpus] max_file_mb"
    elif kind in TEXT_SUFFIXES.values():  # the default, which the setting may raise
        setting = " (raise it with [corpus] max_file_mb)"
    else:
        setting = ""  # the format's own limit, which the setting only lowers
    name = _KIND_NAMES.get(kind, kind.upper())
    return f"{name} file is {_megabytes(size)}; the limit is {_megabytes(limit)}{setting}"


def _megabytes(size: int) -> str:
    value = size / 2**20
    return f"{value:,.1f} MB" if value < 10 and value != int(value) else f"{value:,.0f} MB"


def extract_in_process(kind: str, data: bytes) -> Extracted:
    """Call the format's extractor here (the tests, `reader show` of one file)."""
    if kind == "html":
        from reader.corpus.formats.html import extract_html

        return extract_html(data)
    if kind == "epub":
        from reader.corpus.formats.epub import extract_epub

        return extract_epub(data)
    if kind == "pdf":
        from reader.corpus.formats.pdf import extract_pdf

        return extract_pdf(data)
    if kind == "docx":
        from reader.corpus.formats.docx import extract_docx

        return extract_docx(data)
    raise Unreadable(f"no extractor for {kind}")


def parse_document(
    path: Path, data: bytes, extract: Extractor = extract_in_process
) -> ParsedDocument:
    """Decode and describe `data` read from `path`; never raises for bad content."""
    digest = content_hash(data)
    kind = file_kind(path)
    if kind in RICH_SUFFIXES.values():
        return _parse_rich(path, digest, kind, data, extract)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return ParsedDocument(digest, None, skip_reason=decoded.skip_reason)
    if kind == "text" and looks_like_html(decoded.text):
        return _parse_rich(path, digest, "html", data, extract)
    text = canonical_text(decoded.text)
    if is_blank(text):
        return ParsedDocument(digest, None, skip_reason="empty file (no text)")
    warnings = list(decoded.warnings)
    body_start = 0
    front = None
    if kind == "markdown":
        front = parse_front_matter(text)
        body_start = front.end
        if front.warning:
            warnings.append(front.warning)
    body = text[body_start:]
    meta = extract_metadata(body)
    return ParsedDocument(
        content_hash=digest,
        text=text,
        title=(front.title if front else None) or meta.title or path.stem,
        author=(front.author if front else None) or meta.author,
        date=(front.date if front else None) or meta.date,
        source=front.source if front else None,
        tags=front.tags if front else [],
        words=meta.words,
        reading_minutes=meta.reading_minutes,
        encoding=decoded.encoding,
        warnings=warnings,
        kind=kind,
        paragraphs=pack_spans(passage_spans(text)),
    )


def _parse_rich(
    path: Path, digest: str, kind: str, data: bytes, extract: Extractor
) -> ParsedDocument:
    try:
        extracted = extract(kind, data)
    except Unreadable as exc:
        return ParsedDocument(digest, None, skip_reason=str(exc), kind=kind)
    text = canonical_text(extracted.text).strip("\n")
    if is_blank(text):
        return ParsedDocument(digest, None, skip_reason=f"no text found in the {kind}", kind=kind)
    # The header rules guess only what the file did not say; they read the first lines only.
    guessed = extract_metadata(text[:HEAD_CHARS])
    words = extracted.words if extracted.words is not None else count_words(text)
    text += "\n"
    return ParsedDocument(
        content_hash=digest,
        text=text,
        title=_one_line(extracted.title) or guessed.title or path.stem,
        author=_one_line(extracted.author) or guessed.author,
        date=extracted.date or guessed.date,
        source=_one_line(extracted.source),
        words=words,
        reading_minutes=reading_minutes(words),
        warnings=list(extracted.warnings),
        kind=kind,
        site=_one_line(extracted.site),
        description=_one_line(extracted.description),
        paragraphs=pack_spans(passage_spans(text)),
    )


def _one_line(value: str | None, limit: int = 500) -> str | None:
    """Metadata from a file as one tidy line: a title with a line break must not become two."""
    if not value:
        return None
    text = " ".join(_CONTROLS.sub(" ", value).split())[:limit]
    return text or None
