"""Create, read, change and delete highlights; each change is one transaction."""

from __future__ import annotations

import json
import unicodedata
import uuid

import sqlite_utils

from reader.annotate.anchoring import context, occurrences
from reader.clock import utc_now
from reader.codebook.tags import clean_tag_name, ensure_tag, tag_key
from reader.corpus.documents import document_text
from reader.errors import UsageError
from reader.models import ROW_ID_MAX, Annotation, Document
from reader.store import Store
from reader.text.canonical import canonical_text

_ANNOTATION_SELECT = """
SELECT a.id, a.uid, a.document_id, d.path, a.start, a."end", a.quote, a.prefix, a.suffix,
       (SELECT json_group_array(t.name) FROM annotation_tags x JOIN tags t ON t.id = x.tag_id
        WHERE x.annotation_id = a.id) AS tags,
       a.note, a.color, a.status, a.content_hash, a.created, a.updated, a.creator
FROM annotations a JOIN documents d ON d.id = a.document_id
"""


def _annotation(row: tuple) -> Annotation:
    (
        ann_id,
        uid,
        doc_id,
        path,
        start,
        end,
        quote,
        prefix,
        suffix,
        tags,
        note,
        color,
        status,
        digest,
        created,
        updated,
        creator,
    ) = row
    return Annotation(
        id=ann_id,
        uid=uid,
        document_id=doc_id,
        doc=path,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        tags=sorted(json.loads(tags), key=str.casefold),
        note=note,
        color=color,
        status=status,
        content_hash=digest,
        created=created,
        updated=updated,
        creator=creator,
    )


def annotation_by_id(db: sqlite_utils.Database, ann_id: int) -> Annotation:
    """The annotation `ann_id` names; an id no row can have (negative, over 2**63) names none."""
    row = None
    if 0 < ann_id <= ROW_ID_MAX:
        row = db.execute(_ANNOTATION_SELECT + " WHERE a.id = ?", [ann_id]).fetchone()
    if row is None:
        raise UsageError(f"no annotation with id {ann_id}")
    return _annotation(row)


def list_annotations(
    db: sqlite_utils.Database,
    document_id: int | None = None,
    tag: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Annotation]:
    """Annotations in document then text order, optionally of one document, tag or status."""
    where, params = [], []
    if status is not None:
        where.append("a.status = ?")
        params.append(status)
    if document_id is not None:
        where.append("a.document_id = ?")
        params.append(document_id)
    if tag is not None:
        # a parent tag includes its sub-tags: `actor` finds `actor/russia` too
        key = tag_key(tag).strip("/")
        pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
        where.append(
            "a.id IN (SELECT x.annotation_id FROM annotation_tags x JOIN tags t ON t.id = x.tag_id "
            "WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\')"
        )
        params += [key, pattern]
    sql = _ANNOTATION_SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += ' ORDER BY d.path, a.start, a."end", a.id'
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_annotation(row) for row in db.execute(sql, params)]


def locate_quote(text: str, quote: str, occurrence: int | None) -> tuple[int, int]:
    """Offsets of `quote` in `text`; several matches need `occurrence` (1-based) to choose."""
    quote = canonical_text(quote)
    if not quote.strip():
        raise UsageError("the quote is empty")
    starts = occurrences(text, quote)
    if not starts:
        raise UsageError("the quote does not occur in the document")
    if occurrence is None:
        if len(starts) > 1:
            count = len(starts)
            raise UsageError(f"the quote occurs {count} times; pick one: --occurrence 1..{count}")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise UsageError(f"--occurrence must be between 1 and {len(starts)}")
    start = starts[occurrence - 1]
    return start, start + len(quote)


def clean_note(note: str) -> str:
    return unicodedata.normalize("NFC", note.replace("\r\n", "\n").replace("\r", "\n"))


def create_annotation(
    store: Store,
    document: Document,
    start: int,
    end: int,
    tags: list[str] | tuple[str, ...] = (),
    note: str = "",
    color: str | None = None,
    creator: str | None = None,
) -> Annotation:
    """Highlight [start, end) of `document`'s canonical text, with tags and a note, atomically;
    `creator` is who made it (the `[user] name`)."""
    if document.status != "ok":
        raise UsageError(f"{document.path} is {document.status}; it cannot be annotated")
    cleaned_tags = [clean_tag_name(t) for t in tags]
    with store.write() as db:
        text = document_text(db, document.id)
        if text is None:
            raise UsageError(f"{document.path} has no text to annotate")
        if not 0 <= start < end <= len(text):
            raise UsageError(f"the range {start}..{end} is outside the text (0..{len(text)})")
        quote = text[start:end]
        if not quote.strip():
            raise UsageError("the selection holds only whitespace")
        prefix, suffix = context(text, start, end)
        ann_id = insert_annotation(
            db,
            document_id=document.id,
            span=(start, end),
            quote=quote,
            context=(prefix, suffix),
            content_hash=document.content_hash or "",
            note=note,
            color=color,
            creator=creator,
        )
        for tag in cleaned_tags:
            link_tag(db, ann_id, tag)
        return annotation_by_id(db, ann_id)


INSERT_ANNOTATION = (
    'INSERT INTO annotations (id, uid, document_id, start, "end", quote, prefix, suffix, '
    "content_hash, note, color, status, created, updated, creator) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
"""Takes an `annotation_row`: one statement for one highlight and for a bulk import's many."""


def annotation_row(
    *,
    document_id: int,
    span: tuple[int, int],
    quote: str,
    context: tuple[str, str],
    content_hash: str,
    note: str = "",
    color: str | None = None,
    status: str = "anchored",
    uid: str | None = None,
    times: tuple[str, str] | None = None,
    ann_id: int | None = None,
    creator: str | None = None,
) -> tuple:
    """The values `INSERT_ANNOTATION` stores for one highlight (the note cleaned, a missing
    uid and times made, the creator trimmed)."""
    created, updated = times or (utc_now(), utc_now())
    return (ann_id, uid or uuid.uuid4().hex, document_id, span[0], span[1], quote, context[0],
            context[1], content_hash, clean_note(note), color, status, created, updated,
            (creator or "").strip()[:100] or None)  # fmt: skip


def insert_annotation(
    db: sqlite_utils.Database,
    *,
    document_id: int,
    span: tuple[int, int],
    quote: str,
    context: tuple[str, str],
    content_hash: str,
    note: str = "",
    color: str | None = None,
    status: str = "anchored",
    uid: str | None = None,
    times: tuple[str, str] | None = None,
    ann_id: int | None = None,
    creator: str | None = None,
) -> int:
    """Insert one annotation row (inside the caller's write) and return its id."""
    row = annotation_row(document_id=document_id, span=span, quote=quote, context=context,
                         content_hash=content_hash, note=note, color=color, status=status,
                         uid=uid, times=times, ann_id=ann_id, creator=creator)  # fmt: skip
    return int(db.execute(INSERT_ANNOTATION, row).lastrowid or 0)


def link_tag(db: sqlite_utils.Database, ann_id: int, tag: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)",
        [ann_id, ensure_tag(db, tag)],
    )


def _touch(db: sqlite_utils.Database, ann_id: int) -> None:
    db.execute("UPDATE annotations SET updated = ? WHERE id = ?", [utc_now(), ann_id])


def add_tag(store: Store, ann_id: int, tag: str) -> Annotation:
    with store.write() as db:
        annotation_by_id(db, ann_id)
        link_tag(db, ann_id, tag)
        _touch(db, ann_id)
        return annotation_by_id(db, ann_id)


def remove_tag(store: Store, ann_id: int, tag: str) -> Annotation:
    """Unlink a tag from one annotation; the tag itself stays for other uses."""
    with store.write() as db:
        current = annotation_by_id(db, ann_id)
        key = tag_key(tag)
        if key not in {t.casefold() for t in current.tags}:
            raise UsageError(f"annotation {ann_id} has no tag '{clean_tag_name(tag)}'")
        db.execute(
            "DELETE FROM annotation_tags WHERE annotation_id = ? "
            "AND tag_id = (SELECT id FROM tags WHERE key = ?)",
            [ann_id, key],
        )
        _touch(db, ann_id)
        return annotation_by_id(db, ann_id)


def set_note(store: Store, ann_id: int, note: str) -> Annotation:
    with store.write() as db:
        annotation_by_id(db, ann_id)
        db.execute(
            "UPDATE annotations SET note = ?, updated = ? WHERE id = ?",
            [clean_note(note), utc_now(), ann_id],
        )
        return annotation_by_id(db, ann_id)


def update_annotation(store: Store, ann_id: int, tags: list[str], note: str) -> Annotation:
    """Replace an annotation's tags and note together, as the edit dialog saves them."""
    cleaned = [clean_tag_name(t) for t in tags]
    with store.write() as db:
        annotation_by_id(db, ann_id)
        db.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [ann_id])
        for tag in cleaned:
            link_tag(db, ann_id, tag)
        db.execute(
            "UPDATE annotations SET note = ?, updated = ? WHERE id = ?",
            [clean_note(note), utc_now(), ann_id],
        )
        return annotation_by_id(db, ann_id)


def reattach_annotation(store: Store, ann_id: int, start: int, end: int) -> Annotation:
    """Give an orphan (or any highlight) new words: [start, end) of its document's current text.
    Tags, note and creation time stay; the quote becomes the newly chosen text."""
    with store.write() as db:
        annotation = annotation_by_id(db, ann_id)
        text = document_text(db, annotation.document_id)
        if text is None:
            raise UsageError(f"{annotation.doc} has no text to attach to")
        if not 0 <= start < end <= len(text) or not text[start:end].strip():
            raise UsageError("choose some text to attach the highlight to")
        prefix, suffix = context(text, start, end)
        digest = db.execute(
            "SELECT content_hash FROM documents WHERE id = ?", [annotation.document_id]
        ).fetchone()[0]
        db.execute(
            'UPDATE annotations SET start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
            "content_hash = ?, status = 'anchored', updated = ? WHERE id = ?",
            [start, end, text[start:end], prefix, suffix, digest or "", utc_now(), ann_id],
        )
        return annotation_by_id(db, ann_id)


def delete_annotation(store: Store, ann_id: int) -> Annotation:
    """Delete one annotation and return it whole, so that `restore_annotation` can undo."""
    with store.write() as db:
        deleted = annotation_by_id(db, ann_id)
        db.execute("DELETE FROM annotations WHERE id = ?", [ann_id])
        return deleted


def restore_annotation(store: Store, annotation: Annotation) -> Annotation:
    """Put an annotation back exactly as it was, id, uid, tags, note and times included (undo):
    re-created if deleted, or returned to that state if changed since."""
    a = annotation
    with store.write() as db:
        db.execute("DELETE FROM annotations WHERE id = ?", [a.id])
        insert_annotation(
            db,
            document_id=a.document_id,
            span=(a.start, a.end),
            quote=a.quote,
            context=(a.prefix, a.suffix),
            content_hash=a.content_hash,
            note=a.note,
            color=a.color,
            status=a.status,
            uid=a.uid,
            times=(a.created, a.updated),
            ann_id=a.id,
            creator=a.creator,
        )
        for tag in a.tags:
            link_tag(db, a.id, tag)
        return annotation_by_id(db, a.id)
