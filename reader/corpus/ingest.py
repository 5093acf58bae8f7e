"""Read one corpus file into canonical text and metadata, or a reason it was skipped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.frontmatter import parse_front_matter
from reader.corpus.metadata import extract_metadata
from reader.text.canonical import canonical_text, is_blank
from reader.text.decoding import decode_bytes

TEXT_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}


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


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def parse_document(path: Path, data: bytes) -> ParsedDocument:
    """Decode and describe `data` read from `path`; never raises for bad content."""
    digest = content_hash(data)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return ParsedDocument(digest, None, skip_reason=decoded.skip_reason)
    text = canonical_text(decoded.text)
    if is_blank(text):
        return ParsedDocument(digest, None, skip_reason="empty file (no text)")
    warnings = list(decoded.warnings)
    body_start = 0
    front = None
    if TEXT_SUFFIXES.get(path.suffix.lower()) == "markdown":
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
    )
