"""Read one corpus file and parse it, as the sync always has, here or in a parse worker.

`read_and_parse` is the one way a file becomes a `ParsedDocument` (or a skip reason); the
parse workers run `parse_batch` over a batch of paths, reading each file themselves, so only
paths go to a worker and only parsed documents come back. A plain file that turns out to hold
a web page needs an extractor, which a parse worker does not run: it comes back as None, and
the sync reads it again with its isolated extraction worker.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from reader.corpus.formats import Extracted
from reader.corpus.ingest import (
    Extractor,
    ParsedDocument,
    content_hash,
    parse_document,
    size_limit,
)
from reader.corpus.scan import NotReadable, read_corpus_file

# One batch for a worker: the corpus folder, the user's size limit, and (path, via_link) pairs.
Batch = tuple[str, int | None, list[tuple[str, bool]]]


def read_and_parse(
    corpus_dir: Path, path: str, via_link: bool, extract: Extractor, max_bytes: int | None
) -> ParsedDocument:
    """The file at `corpus_dir / path` parsed, or a ParsedDocument with the reason it was not."""
    full = corpus_dir / path
    try:
        data = read_corpus_file(
            full, size_limit(full, max_bytes), inside=corpus_dir if via_link else None
        )
    except NotReadable as exc:
        return ParsedDocument("", None, skip_reason=str(exc))
    try:
        return parse_document(full, data, extract)
    except _NeedsExtractor:
        raise
    except Exception as exc:  # one bad file must never stop the others
        # Its hash is kept, so that it is read again when it changes, not on every sync.
        return ParsedDocument(content_hash(data), None, skip_reason=f"could not be read ({exc!r})")


def unparsed(corpus_dir: Path, path: str, via_link: bool, max_bytes: int | None, reason: str
             ) -> ParsedDocument:  # fmt: skip
    """The file skipped for `reason` (its parser died), with its hash when it can be read, so
    that it is tried again when it changes, not on every sync."""
    full = corpus_dir / path
    try:
        data = read_corpus_file(
            full, size_limit(full, max_bytes), inside=corpus_dir if via_link else None
        )
    except NotReadable as exc:
        return ParsedDocument("", None, skip_reason=str(exc))
    return ParsedDocument(content_hash(data), None, skip_reason=reason)


class _NeedsExtractor(Exception):
    """Raised in a parse worker when a plain file holds a web page: the sync extracts it."""


def _refuse(kind: str, data: bytes) -> Extracted:
    raise _NeedsExtractor(kind)


def encode_batch(corpus_dir: Path, max_bytes: int | None, files: list[tuple[str, bool]]) -> bytes:
    """A batch as the bytes a worker request carries."""
    batch: Batch = (str(corpus_dir), max_bytes, files)
    return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def parse_batch(payload: bytes) -> list[ParsedDocument | None]:
    """Run in a parse worker: each file of the batch read and parsed, in order; None for a
    file that needs an extractor."""
    corpus, max_bytes, files = pickle.loads(payload)
    corpus_dir = Path(corpus)
    parsed: list[ParsedDocument | None] = []
    for path, via_link in files:
        try:
            parsed.append(read_and_parse(corpus_dir, path, via_link, _refuse, max_bytes))
        except _NeedsExtractor:
            parsed.append(None)
    return parsed
