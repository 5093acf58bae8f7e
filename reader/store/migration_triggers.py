"""Schema v11: the note index's triggers skip highlights without a note.

Most highlights carry no note, yet every one written ran the note trigger in full: an FTS5
insert of '' and a pass of the scratch table through the vocabulary (~0.35 ms a highlight, so
10,000 highlights took seconds). Now each statement runs only for a note that has words to
index or to forget, and the note index holds exactly the annotations with a note. A bulk
writer (an import) may also hold the note trigger off for a batch, by a row in
`search_notes_deferred` it adds and removes in its own transaction, and index the batch's notes
in one pass at its end (reader/search/bulk_notes.py).
"""

from __future__ import annotations

import sqlite3

_COUNT = "INSERT INTO search_scratch (rowid, body) SELECT 1, {row}.note WHERE {row}.note <> '';"
_INDEX_NEW = "INSERT INTO search_notes (rowid, note) SELECT NEW.id, NEW.note WHERE NEW.note <> '';"
_FORGET_OLD = """INSERT INTO search_notes (search_notes, rowid, note)
    SELECT 'delete', OLD.id, OLD.note WHERE OLD.note <> '';"""


def note_triggers_for_notes_only(conn: sqlite3.Connection) -> None:
    """Replace the three triggers on annotations.note and re-index the notes that have words
    (the index then holds no row for an empty note, as the new triggers keep it)."""
    from reader.store.migrations import _SEARCH_COUNT_SCRATCH_TERMS, _SEARCH_UNCOUNT_SCRATCH_TERMS

    for name in ("added", "removed", "changed"):
        conn.execute(f"DROP TRIGGER IF EXISTS search_notes_{name}")
    count_new, uncount_old = _COUNT.format(row="NEW"), _COUNT.format(row="OLD")
    conn.execute("CREATE TABLE search_notes_deferred (since INTEGER PRIMARY KEY)")
    conn.execute(
        f"""CREATE TRIGGER search_notes_added AFTER INSERT ON annotations
        WHEN NEW.note <> '' AND NOT EXISTS (SELECT 1 FROM search_notes_deferred) BEGIN
            {_INDEX_NEW} {count_new} {_SEARCH_COUNT_SCRATCH_TERMS}
        END"""
    )
    conn.execute(
        f"""CREATE TRIGGER search_notes_removed AFTER DELETE ON annotations
        WHEN OLD.note <> '' BEGIN
            {_FORGET_OLD} {uncount_old} {_SEARCH_UNCOUNT_SCRATCH_TERMS}
        END"""
    )
    conn.execute(
        f"""CREATE TRIGGER search_notes_changed AFTER UPDATE OF note ON annotations
        WHEN OLD.note IS NOT NEW.note BEGIN
            {_FORGET_OLD} {uncount_old} {_SEARCH_UNCOUNT_SCRATCH_TERMS}
            {_INDEX_NEW} {count_new} {_SEARCH_COUNT_SCRATCH_TERMS}
        END"""
    )
    conn.execute("INSERT INTO search_notes (search_notes) VALUES ('delete-all')")
    conn.execute(
        "INSERT INTO search_notes (rowid, note) SELECT id, note FROM annotations WHERE note <> ''"
    )
