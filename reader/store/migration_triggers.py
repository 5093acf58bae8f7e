"""Schema v11: the note index's triggers skip highlights without a note; v14: they spell
only long terms backwards.

Most highlights carry no note, yet every one written ran the note trigger in full: an FTS5
insert of '' and a pass of the scratch table through the vocabulary (~0.35 ms a highlight, so
10,000 highlights took seconds). Now each statement runs only for a note that has words to
index or to forget, and the note index holds exactly the annotations with a note. A bulk
writer (an import) may also hold the note trigger off for a batch, by a row in
`search_notes_deferred` it adds and removes in its own transaction, and index the batch's notes
in one pass at its end (reader/search/bulk_notes.py).

v14: `search_suffixes` is read only for terms of SUFFIX_MIN_CHARS or more
(reader/search/typos.py); the note triggers stop writing shorter ones, as the sync, the
recount and bulk imports do, and the short rows already there go.
"""

from __future__ import annotations

import re
import sqlite3

_COUNT = "INSERT INTO search_scratch (rowid, body) SELECT 1, {row}.note WHERE {row}.note <> '';"
_INDEX_NEW = "INSERT INTO search_notes (rowid, note) SELECT NEW.id, NEW.note WHERE NEW.note <> '';"
# The terms a note trigger spells backwards (the base of its recursive CTE, before UNION ALL).
_SUFFIX_TERMS = re.compile(r"(SELECT term, '' FROM search_scratch_terms)(\s+UNION ALL)")
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


def note_triggers_spell_long_terms_only(conn: sqlite3.Connection) -> None:
    """v14: each trigger that writes `search_suffixes` made again with its terms limited to
    SUFFIX_MIN_CHARS or more (its stored SQL otherwise as it was), and shorter rows dropped."""
    from reader.search.typos import SUFFIX_MIN_CHARS

    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND sql LIKE '%search_suffixes%'"
    ).fetchall()
    for name, sql in triggers:
        limited = _SUFFIX_TERMS.sub(rf"\1 WHERE length(term) >= {SUFFIX_MIN_CHARS}\2", sql)
        if limited != sql:
            conn.execute(f'DROP TRIGGER "{name}"')
            conn.execute(limited)
    conn.execute("DELETE FROM search_suffixes WHERE length(reversed) < ?", (SUFFIX_MIN_CHARS,))
