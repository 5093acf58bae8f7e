"""Index the notes of many new highlights in one pass instead of one trigger run each.

The note trigger tokenizes each note through a scratch table and counts its words into the
vocabulary: about a millisecond a note, minutes for an import of a million highlights. Inside
`notes_indexed_at_the_end`, highlights inserted skip that trigger (schema v11's
`search_notes_deferred` row, added and removed in the caller's transaction, so no other
connection ever sees it) and their notes are indexed and counted together when it closes.
`highlights_indexed_at_the_end` does the same for their quotes (the quote trigger, an FTS5
insert a row, is dropped for the block and put back as it was, in the same transaction).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from reader.search.typos import SUFFIX_MIN_CHARS
from reader.store.migrations import _SEARCH_COUNT_SCRATCH_TERMS

_HAS_DEFERRAL = (
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_notes_deferred'"
)
_QUOTE_TRIGGER = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?"
_COUNT_TERMS, _ADD_SUFFIXES, _CLEAR_SCRATCH = (
    part.strip() for part in _SEARCH_COUNT_SCRATCH_TERMS.split(";") if part.strip()
)
"""The trigger's three steps; the second (each term spelt backwards by a recursive CTE, a
step a letter) is done in Python here, about half the time for the same rows."""


@contextmanager
def notes_indexed_at_the_end(conn: sqlite3.Connection) -> Iterator[None]:
    """Within a write transaction: annotations inserted in the block have their notes indexed
    (search_notes and the vocabulary) when it ends without an error. Only inserts are
    deferred; a note changed or a highlight deleted in the block goes through its trigger."""
    if not conn.in_transaction:
        raise RuntimeError("notes_indexed_at_the_end needs the caller's write transaction")
    if not conn.execute(_HAS_DEFERRAL).fetchone():  # a v11 store from before the table came
        yield  # (development builds only): the triggers index each note as it comes
        return
    since = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0])
    conn.execute("INSERT INTO search_notes_deferred (since) VALUES (?)", (since,))
    yield
    conn.execute("DELETE FROM search_notes_deferred WHERE since = ?", (since,))
    new_notes = "FROM annotations WHERE id >= ? AND note <> ''"
    conn.execute(f"INSERT INTO search_notes (rowid, note) SELECT id, note {new_notes}", (since,))
    conn.execute(f"INSERT INTO search_scratch (rowid, body) SELECT id, note {new_notes}", (since,))
    conn.execute(_COUNT_TERMS)
    terms = [
        (term[::-1],)
        for (term,) in conn.execute("SELECT term FROM search_scratch_terms")
        if len(term) >= SUFFIX_MIN_CHARS
    ]
    conn.executemany("INSERT OR IGNORE INTO search_suffixes (reversed) VALUES (?)", terms)
    conn.execute(_CLEAR_SCRATCH)


@contextmanager
def highlights_indexed_at_the_end(conn: sqlite3.Connection) -> Iterator[None]:
    """`notes_indexed_at_the_end`, and the quotes of the annotations inserted in the block
    indexed by one statement when it ends without an error. Only inserts may happen in the
    block (a quote changed there would be taken out of an index that does not hold it yet)."""
    if not conn.in_transaction:
        raise RuntimeError("highlights_indexed_at_the_end needs the caller's write transaction")
    trigger = _quote_trigger(conn)
    since = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM annotations").fetchone()[0])
    if trigger is not None:
        conn.execute("DROP TRIGGER search_quotes_added")
    try:
        with notes_indexed_at_the_end(conn):
            yield
        if trigger is not None:
            conn.execute(
                "INSERT INTO search_quotes (rowid, quote) SELECT id, quote FROM annotations "
                "WHERE id >= ?",
                (since,),
            )
    finally:  # put back, even if a caller went on in this transaction after an error
        if trigger is not None and conn.in_transaction and _quote_trigger(conn) is None:
            conn.execute(trigger[0])


def _quote_trigger(conn: sqlite3.Connection) -> tuple[str] | None:
    """The quote index's insert trigger as created (its SQL), or None when there is none."""
    return conn.execute(_QUOTE_TRIGGER, ("search_quotes_added",)).fetchone()
