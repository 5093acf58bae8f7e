"""Per-document user state: the document's own tags and note, and the reading position."""

from __future__ import annotations

import sqlite_utils

from reader.annotate.annotations import clean_note
from reader.clock import utc_now
from reader.codebook.tags import clean_tag_name, ensure_tag
from reader.store import Store


def document_tags(db: sqlite_utils.Database, doc_id: int) -> list[str]:
    rows = db.execute(
        "SELECT t.name FROM document_tags x JOIN tags t ON t.id = x.tag_id WHERE x.document_id = ?",
        [doc_id],
    ).fetchall()
    return sorted((r[0] for r in rows), key=str.casefold)


def document_note(db: sqlite_utils.Database, doc_id: int) -> str:
    row = db.execute("SELECT note FROM document_notes WHERE document_id = ?", [doc_id]).fetchone()
    return row[0] if row else ""


def set_document_annotation(store: Store, doc_id: int, tags: list[str], note: str) -> None:
    """Replace the document's own tags and note in one transaction."""
    cleaned = [clean_tag_name(t) for t in tags]
    with store.write() as db:
        db.execute("DELETE FROM document_tags WHERE document_id = ?", [doc_id])
        for tag in cleaned:
            db.execute(
                "INSERT OR IGNORE INTO document_tags (document_id, tag_id) VALUES (?, ?)",
                [doc_id, ensure_tag(db, tag)],
            )
        note = clean_note(note)
        if note.strip():
            # UPDATE, else INSERT, not an upsert: an upsert's conflict rule overrides the
            # `INSERT OR IGNORE` of the search triggers it fires, so a second note on a document
            # failed on the vocabulary's unique suffixes.
            changed = db.execute(
                "UPDATE document_notes SET note = ?, updated = ? WHERE document_id = ?",
                [note, utc_now(), doc_id],
            ).rowcount
            if not changed:
                db.execute(
                    "INSERT INTO document_notes (document_id, note, updated) VALUES (?, ?, ?)",
                    [doc_id, note, utc_now()],
                )
        else:
            db.execute("DELETE FROM document_notes WHERE document_id = ?", [doc_id])


def reading_position(db: sqlite_utils.Database, doc_id: int) -> int | None:
    row = db.execute(
        "SELECT offset FROM reading_positions WHERE document_id = ?", [doc_id]
    ).fetchone()
    return int(row[0]) if row else None


def save_reading_position(store: Store, doc_id: int, offset: int) -> None:
    with store.write() as db:
        db.execute(
            "INSERT INTO reading_positions (document_id, offset, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(document_id) DO UPDATE SET offset = excluded.offset, "
            "updated = excluded.updated",
            [doc_id, max(0, offset), utc_now()],
        )
