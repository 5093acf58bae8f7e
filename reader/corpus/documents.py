"""Read documents from the store and resolve the handles users type (#id, path, file name,
stem, web address)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

import sqlite_utils

from reader.corpus.urls import is_url, normalise_url
from reader.errors import UsageError
from reader.models import ROW_ID_MAX, Document
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

_ID_HANDLE = re.compile(r"#[0-9]+")
"""The explicit way to name a document by id, wherever a document is asked for."""
_BARE_ID = re.compile(r"[1-9][0-9]*")

_COLUMNS = """d.id, d.path, d.status, d.title, d.author, d.date, d.source, d.words,
       d.reading_minutes, d.warning, d.content_hash"""

_DOCUMENT_SELECT = f"""
SELECT {_COLUMNS},
       (SELECT count(*) FROM annotations a WHERE a.document_id = d.id) AS annotations,
       (SELECT count(*) FROM annotations a
        WHERE a.document_id = d.id AND a.status = 'orphaned') AS orphans,
       d.site, d.kind, d.description,
       (SELECT group_concat(c.field) FROM metadata_corrections c
        WHERE c.document_id = d.id) AS corrected
FROM documents d
"""
"""One document or a few: its counts by the annotations' index, row by row."""

_ALL_DOCUMENTS_SELECT = f"""
SELECT {_COLUMNS},
       coalesce(a.annotations, 0), coalesce(a.orphans, 0),
       d.site, d.kind, d.description, c.corrected
FROM documents d
LEFT JOIN (SELECT document_id, count(*) AS annotations,
                  sum(status = 'orphaned') AS orphans
           FROM annotations GROUP BY document_id) a ON a.document_id = d.id
LEFT JOIN (SELECT document_id, group_concat(field) AS corrected
           FROM metadata_corrections GROUP BY document_id) c ON c.document_id = d.id
ORDER BY d.path
"""
"""Every document: the counts by one pass over the annotations (GROUP BY) instead of two
subqueries per document, the same numbers at a fraction of the cost on 100,000 documents."""


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
    return list(iter_documents(db))


def iter_documents(db: sqlite_utils.Database) -> Iterator[Document]:
    """`list_documents` one at a time, for output that can start before the last is read
    (`reader list --json | head` at 100,000 documents)."""
    for row in db.execute(_ALL_DOCUMENTS_SELECT):
        yield _document(row)


def document_by_id(db: sqlite_utils.Database, doc_id: int) -> Document | None:
    if not 0 < doc_id <= ROW_ID_MAX:  # no row has it, and SQLite cannot be asked
        return None
    row = db.execute(_DOCUMENT_SELECT + " WHERE d.id = ?", [doc_id]).fetchone()
    return _document(row) if row else None


def document_by_path(db: sqlite_utils.Database, path: str) -> Document | None:
    """The document at `path` under corpus/, exactly: for paths the program itself reports
    (`add`, sync), which are never handles to interpret."""
    row = db.execute(_DOCUMENT_SELECT + " WHERE d.path = ?", [path]).fetchone()
    return _document(row) if row else None


def resolve_document(db: sqlite_utils.Database, handle: str) -> Document:
    """The document a handle a user typed names: `#12` is id 12; otherwise its path under
    corpus/, file name, file stem or the web address it was added from, and plain digits
    that name no file are an id. A handle that could mean two documents is refused with both
    named: a file `12.txt` and the document #12 are never mixed up silently."""
    handle = handle.strip()
    if is_url(handle):
        return _by_address(db, handle)
    by_name = _by_name(db, handle)
    by_id = _by_id(db, handle)
    if by_name is not None and by_id is not None and by_name.id != by_id.id:
        shown = _shown(handle)
        raise UsageError(
            f"'{shown}' could be {by_name.path} or #{by_id.id} ({by_id.path}): "
            f"give {by_name.path} or #{by_id.id}"
        )
    found = by_name or by_id
    if found is not None:
        return found
    if _ID_HANDLE.fullmatch(handle):
        raise UsageError(f"no document {_shown(handle)} (see `reader list`)")
    raise UsageError(f"no document matches '{_shown(handle)}' (see `reader list`)")


def _by_name(db: sqlite_utils.Database, handle: str) -> Document | None:
    """The one document whose path, else file name, else stem is `handle`."""
    if not _storable(handle):  # no stored path can hold it
        return None
    for matches in (_with_path(db, handle), _with_name(db, handle), _with_stem(db, handle)):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(d.path for d in matches)
            raise UsageError(
                f"'{_shown(handle)}' matches several documents ({names}); give the path"
            )
    return None


def _with_path(db: sqlite_utils.Database, handle: str) -> list[Document]:
    found = document_by_path(db, handle)
    return [found] if found is not None else []


def _with_name(db: sqlite_utils.Database, handle: str) -> list[Document]:
    """Documents whose file name is `handle`: SQLite keeps the paths ending in `/handle` (one
    pass over the path column, no row built), Python's own rule has the last word on those."""
    candidates = _where(
        db, "d.path = ? OR substr(d.path, -?) = ?", [handle, len(handle) + 1, "/" + handle]
    )
    return [d for d in candidates if PurePosixPath(d.path).name == handle]


def _with_stem(db: sqlite_utils.Database, handle: str) -> list[Document]:
    """Documents whose file stem is `handle`. A stem with no suffix is the whole file name,
    which `_with_name` looked for first, so the name here is `handle` and a dot after it."""
    candidates = _where(
        db,
        "instr(d.path, ?) > 0 OR substr(d.path, 1, ?) = ?",
        [f"/{handle}.", len(handle) + 1, f"{handle}."],
    )
    return [d for d in candidates if PurePosixPath(d.path).stem == handle]


def _where(db: sqlite_utils.Database, condition: str, params: list) -> list[Document]:
    """The documents meeting `condition`, in path order (the order ambiguities are named in)."""
    return [_document(row) for row in db.execute(
        f"{_DOCUMENT_SELECT} WHERE {condition} ORDER BY d.path", params)]  # fmt: skip


def _storable(handle: str) -> bool:
    """Whether `handle` is text SQLite can compare (a lone surrogate from an undecodable
    argument is not, and names no stored path)."""
    try:
        handle.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _by_id(db: sqlite_utils.Database, handle: str) -> Document | None:
    doc_id = id_in_handle(handle)
    return document_by_id(db, doc_id) if doc_id is not None else None


def id_in_handle(handle: str) -> int | None:
    """The id a handle names as an id: `#12`, or `12` written as ids are (no leading zero:
    `000123` is a file stem, never id 123)."""
    if _ID_HANDLE.fullmatch(handle) or _BARE_ID.fullmatch(handle):
        return int(handle.removeprefix("#"))
    return None


def _shown(handle: str) -> str:
    """A handle as an error message may quote it: one safe line, cut short."""
    return shorten(display_safe_line(handle), 80)


def _by_address(db: sqlite_utils.Database, address: str) -> Document:
    """The document whose source is `address` (spelt as `reader add` records it); the first
    in path order when several are."""
    try:
        wanted = normalise_url(address)
    except UsageError:
        wanted = address
    rows = db.execute(
        "SELECT id, source FROM documents WHERE source IS NOT NULL AND source <> '' "
        "AND status <> 'missing' ORDER BY path"
    )
    for doc_id, source in rows:
        try:
            if normalise_url(source) == wanted:
                found = document_by_id(db, doc_id)
                if found is not None:
                    return found
        except UsageError:
            continue
    shown = _shown(address)
    raise UsageError(f"no document has the address {shown} (add it: reader add {shown})")


def document_text(db: sqlite_utils.Database, doc_id: int) -> str | None:
    """The canonical text every offset counts into; None for a skipped file."""
    row = db.execute("SELECT text FROM document_texts WHERE document_id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def document_titles(db: sqlite_utils.Database) -> dict[int, str]:
    """Title of every document by id: all a listing of highlights needs, at a tenth of the cost
    of `list_documents`."""
    return {doc_id: title or path for doc_id, title, path in db.execute(
        "SELECT id, title, path FROM documents")}  # fmt: skip
