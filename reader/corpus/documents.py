"""Read documents from the store and resolve the handles users type (id, path, file name, stem)."""

from __future__ import annotations

from pathlib import PurePosixPath

import sqlite_utils

from reader.corpus.urls import is_url, normalise_url
from reader.errors import UsageError
from reader.models import Document

_DOCUMENT_SELECT = """
SELECT d.id, d.path, d.status, d.title, d.author, d.date, d.source, d.words,
       d.reading_minutes, d.warning, d.content_hash,
       (SELECT count(*) FROM annotations a WHERE a.document_id = d.id) AS annotations,
       (SELECT count(*) FROM annotations a
        WHERE a.document_id = d.id AND a.status = 'orphaned') AS orphans,
       d.site, d.kind, d.description,
       (SELECT group_concat(c.field) FROM metadata_corrections c
        WHERE c.document_id = d.id) AS corrected
FROM documents d
"""


def _document(row: tuple) -> Document:
    doc_id, path, status, title, author, date, source, words, minutes, warning, digest = row[:11]
    count, orphans, site, kind, description, corrected = row[11:]
    return Document(
        id=doc_id,
        path=path,
        status=status,
        title=title or PurePosixPath(path).stem,
        author=author,
        date=date,
        source=source,
        words=words,
        reading_minutes=minutes,
        annotations=count,
        warning=warning,
        content_hash=digest,
        orphans=orphans,
        site=site,
        kind=kind,
        description=description,
        corrected=tuple(sorted(corrected.split(","))) if corrected else (),
    )


def list_documents(db: sqlite_utils.Database) -> list[Document]:
    """Every file the corpus has had, in path order: ok, skipped (with reason) and missing."""
    return [_document(row) for row in db.execute(_DOCUMENT_SELECT + " ORDER BY d.path")]


def document_by_id(db: sqlite_utils.Database, doc_id: int) -> Document | None:
    row = db.execute(_DOCUMENT_SELECT + " WHERE d.id = ?", [doc_id]).fetchone()
    return _document(row) if row else None


def resolve_document(db: sqlite_utils.Database, handle: str) -> Document:
    """Find a document by numeric id, path under corpus/, file name, file stem, or the web
    address it was added from."""
    handle = handle.strip()
    if handle.isdigit() and (doc := document_by_id(db, int(handle))):
        return doc
    documents = list_documents(db)
    if is_url(handle):
        return _by_address(documents, handle)
    for matches in (
        [d for d in documents if d.path == handle],
        [d for d in documents if PurePosixPath(d.path).name == handle],
        [d for d in documents if PurePosixPath(d.path).stem == handle],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(d.path for d in matches)
            raise UsageError(f"'{handle}' matches several documents ({names}); give the path")
    raise UsageError(f"no document matches '{handle}' (see `reader list`)")


def _by_address(documents: list[Document], address: str) -> Document:
    """The document whose source is `address` (spelt as `reader add` records it)."""
    try:
        wanted = normalise_url(address)
    except UsageError:
        wanted = address
    for document in documents:
        if document.source and document.status != "missing":
            try:
                if normalise_url(document.source) == wanted:
                    return document
            except UsageError:
                continue
    raise UsageError(f"no document has the address {address} (add it: reader add {address})")


def document_text(db: sqlite_utils.Database, doc_id: int) -> str | None:
    """The canonical text every offset counts into; None for a skipped file."""
    row = db.execute("SELECT text FROM document_texts WHERE document_id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def document_titles(db: sqlite_utils.Database) -> dict[int, str]:
    """Title of every document by id: all a listing of highlights needs, at a tenth of the cost
    of `list_documents`."""
    return {doc_id: title or path for doc_id, title, path in db.execute(
        "SELECT id, title, path FROM documents")}  # fmt: skip
