"""Forward-only schema migrations; all pending steps run in one transaction with their
`user_version` bumps."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from reader.errors import StoreError
from reader.store.migration_triggers import (
    note_triggers_for_notes_only,
    note_triggers_spell_long_terms_only,
)

Migration = Callable[[sqlite3.Connection], None]


def _v1_initial(conn: sqlite3.Connection) -> None:
    statements = [
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'skipped')),
            warning TEXT,
            size INTEGER,
            mtime_ns INTEGER,
            content_hash TEXT,
            encoding TEXT,
            title TEXT,
            author TEXT,
            date TEXT,
            source TEXT,
            words INTEGER NOT NULL DEFAULT 0,
            reading_minutes INTEGER NOT NULL DEFAULT 0,
            added TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        """CREATE TABLE document_texts (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            text TEXT NOT NULL
        )""",
        """CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE,  -- casefolded name: tags are unique ignoring case
            color TEXT NOT NULL
        )""",
        """CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE RESTRICT,
            start INTEGER NOT NULL CHECK (start >= 0),
            "end" INTEGER NOT NULL CHECK ("end" >= start),
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            color TEXT,
            status TEXT NOT NULL DEFAULT 'anchored'
                CHECK (status IN ('anchored', 'moved', 'fuzzy', 'orphaned')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        "CREATE INDEX annotations_by_document ON annotations(document_id, start)",
        """CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, tag_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX annotation_tags_by_tag ON annotation_tags(tag_id)",
        """CREATE TABLE document_tags (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (document_id, tag_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE document_notes (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            note TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
    ]
    for statement in statements:
        conn.execute(statement)


def _v2_reading_positions(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE reading_positions (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            offset INTEGER NOT NULL CHECK (offset >= 0),
            updated TEXT NOT NULL
        )"""
    )


# The search index (reader/search/): FTS5 over paragraphs, document metadata, highlight quotes,
# highlight notes and document notes, all folded alike (case, and accents on Latin letters).
# A paragraph row holds offsets only (its text stays in document_texts; `body` is kept only for
# the rare text holding NUL, at which SQLite's substr() stops). Row sizes are not stored
# (columnsize=0): results are ranked in Python, never by FTS5's bm25. `search_terms` is the
# vocabulary with document frequencies (`search_suffixes` holds its terms spelt backwards, for
# look-ups by suffix) over which fuzzy query words are expanded. Triggers keep the paragraph
# index clean when a text changes or goes, and the annotation and note indexes (and the note
# words in the vocabulary) current, in the same transaction as the change. `search_scratch` is a
# throw-away FTS5 table the triggers tokenize notes through, so the vocabulary holds FTS5's terms.
_SEARCH_TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2'"

_SEARCH_COUNT_SCRATCH_TERMS = """
    INSERT INTO search_terms (term, df) SELECT term, doc FROM search_scratch_terms WHERE true
    ON CONFLICT (term) DO UPDATE SET df = df + excluded.df;
    INSERT OR IGNORE INTO search_suffixes (reversed)
    WITH RECURSIVE backwards (rest, reversed) AS (
        SELECT term, '' FROM search_scratch_terms
        UNION ALL
        SELECT substr(rest, 2), substr(rest, 1, 1) || reversed FROM backwards WHERE rest <> ''
    )
    SELECT reversed FROM backwards WHERE rest = '';
    INSERT INTO search_scratch (search_scratch) VALUES ('delete-all');
"""
_SEARCH_UNCOUNT_SCRATCH_TERMS = """
    UPDATE search_terms
    SET df = df - (SELECT s.doc FROM search_scratch_terms s WHERE s.term = search_terms.term)
    WHERE term IN (SELECT term FROM search_scratch_terms);
    INSERT INTO search_scratch (search_scratch) VALUES ('delete-all');
"""
_SEARCH_FORGET_PARAGRAPHS = """
    INSERT INTO search_text (search_text, rowid, body)
    SELECT 'delete', id, coalesce(body, substr(OLD.text, start + 1, "end" - start))
    FROM search_passages WHERE document_id = OLD.document_id;
    DELETE FROM search_passages WHERE document_id = OLD.document_id;
"""


def _search_note_triggers(table: str, fts: str, key: str) -> list[str]:
    """Index `table`.note into `fts` (rowid = `key`) and count its words in the vocabulary."""
    count_new = "INSERT INTO search_scratch (rowid, body) VALUES (1, NEW.note);"
    uncount_old = "INSERT INTO search_scratch (rowid, body) VALUES (1, OLD.note);"
    delete_old = f"INSERT INTO {fts} ({fts}, rowid, note) VALUES ('delete', OLD.{key}, OLD.note);"
    insert_new = f"INSERT INTO {fts} (rowid, note) VALUES (NEW.{key}, NEW.note);"
    return [
        f"""CREATE TRIGGER {fts}_added AFTER INSERT ON {table} BEGIN
            {insert_new} {count_new} {_SEARCH_COUNT_SCRATCH_TERMS}
        END""",
        f"""CREATE TRIGGER {fts}_removed AFTER DELETE ON {table} BEGIN
            {delete_old} {uncount_old} {_SEARCH_UNCOUNT_SCRATCH_TERMS}
        END""",
        f"""CREATE TRIGGER {fts}_changed AFTER UPDATE OF note ON {table}
            WHEN OLD.note IS NOT NEW.note BEGIN
            {delete_old} {insert_new}
            {uncount_old} {_SEARCH_UNCOUNT_SCRATCH_TERMS}
            {count_new} {_SEARCH_COUNT_SCRATCH_TERMS}
        END""",
    ]


def _v3_search_index(conn: sqlite3.Connection) -> None:
    tok = _SEARCH_TOKENIZER
    statements = [
        """CREATE TABLE search_passages (
            id INTEGER PRIMARY KEY,  -- rowid in search_text
            document_id INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            body TEXT  -- NULL: the text is substr(document_texts.text, start + 1, end - start)
        )""",
        "CREATE INDEX search_passages_by_document ON search_passages(document_id)",
        f"""CREATE VIRTUAL TABLE search_text USING fts5(
            body, content='', detail=none, columnsize=0, {tok})""",
        # rowid = documents.id; body = title, author, date and source on one line
        f"CREATE VIRTUAL TABLE search_titles USING fts5(body, detail=none, columnsize=0, {tok})",
        f"""CREATE VIRTUAL TABLE search_quotes USING fts5(quote, content='annotations',
            content_rowid='id', detail=none, columnsize=0, {tok})""",
        f"""CREATE VIRTUAL TABLE search_notes USING fts5(note, content='annotations',
            content_rowid='id', detail=none, columnsize=0, {tok})""",
        f"""CREATE VIRTUAL TABLE search_document_notes USING fts5(note, content='document_notes',
            content_rowid='document_id', detail=none, columnsize=0, {tok})""",
        """CREATE TABLE search_terms (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL  -- paragraphs and notes holding the term (see index.py)
        ) WITHOUT ROWID""",
        # every term spelt backwards, for look-ups by suffix (may keep terms since gone)
        "CREATE TABLE search_suffixes (reversed TEXT PRIMARY KEY) WITHOUT ROWID",
        # documents whose text sync stored and that are yet to be indexed (index.py)
        "CREATE TABLE search_pending (document_id INTEGER PRIMARY KEY)",
        f"CREATE VIRTUAL TABLE search_scratch USING fts5(body, content='', detail=none, {tok})",
        "CREATE VIRTUAL TABLE search_scratch_terms USING fts5vocab(search_scratch, 'row')",
        f"""CREATE TRIGGER search_text_changed AFTER UPDATE OF text ON document_texts
            WHEN OLD.text IS NOT NEW.text BEGIN {_SEARCH_FORGET_PARAGRAPHS} END""",
        f"""CREATE TRIGGER search_text_removed AFTER DELETE ON document_texts BEGIN
            {_SEARCH_FORGET_PARAGRAPHS}
            DELETE FROM search_titles WHERE rowid = OLD.document_id;
        END""",
        """CREATE TRIGGER search_quotes_added AFTER INSERT ON annotations BEGIN
            INSERT INTO search_quotes (rowid, quote) VALUES (NEW.id, NEW.quote);
        END""",
        """CREATE TRIGGER search_quotes_removed AFTER DELETE ON annotations BEGIN
            INSERT INTO search_quotes (search_quotes, rowid, quote)
                VALUES ('delete', OLD.id, OLD.quote);
        END""",
        """CREATE TRIGGER search_quotes_changed AFTER UPDATE OF quote ON annotations
            WHEN OLD.quote IS NOT NEW.quote BEGIN
            INSERT INTO search_quotes (search_quotes, rowid, quote)
                VALUES ('delete', OLD.id, OLD.quote);
            INSERT INTO search_quotes (rowid, quote) VALUES (NEW.id, NEW.quote);
        END""",
        *_search_note_triggers("annotations", "search_notes", "id"),
        *_search_note_triggers("document_notes", "search_document_notes", "document_id"),
    ]
    for statement in statements:
        conn.execute(statement)
    # Index what an earlier version stored (documents, highlights, notes) in this transaction.
    from reader.search.index import rebuild_search_index

    rebuild_search_index(conn)


def _v4_codebook(conn: sqlite3.Connection) -> None:
    """Tags become a codebook: each may carry a description and sit on a number key (1-9).
    Names from before tags were paths are tidied (`a / b` is `a/b` now)."""
    conn.execute("ALTER TABLE tags ADD COLUMN description TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE tags ADD COLUMN favourite INTEGER CHECK (favourite BETWEEN 1 AND 9)")
    conn.execute("CREATE UNIQUE INDEX tags_by_favourite ON tags(favourite)")
    _tidy_tag_names(conn)


def _tidy_tag_names(conn: sqlite3.Connection) -> None:
    """Give every tag its tidy path; two that become one are folded together, links and all
    (no highlight loses a tag); a name with nothing left becomes `untitled-ID`."""
    from reader.codebook.tag_names import tidy_tag_name

    for tag_id, name, key in conn.execute("SELECT id, name, key FROM tags ORDER BY id").fetchall():
        tidy = tidy_tag_name(name) or f"untitled-{tag_id}"
        if tidy == name and tidy.casefold() == key:
            continue
        same = conn.execute(
            "SELECT id FROM tags WHERE key = ? AND id != ?", [tidy.casefold(), tag_id]
        ).fetchone()
        if same is None:
            conn.execute(
                "UPDATE tags SET name = ?, key = ? WHERE id = ?", [tidy, tidy.casefold(), tag_id]
            )
            continue
        for table, owner in (
            ("annotation_tags", "annotation_id"),
            ("document_tags", "document_id"),
        ):
            conn.execute(
                f"INSERT OR IGNORE INTO {table} ({owner}, tag_id) "
                f"SELECT {owner}, ? FROM {table} WHERE tag_id = ?",
                [same[0], tag_id],
            )
            conn.execute(f"DELETE FROM {table} WHERE tag_id = ?", [tag_id])  # foreign keys or not
        conn.execute("DELETE FROM tags WHERE id = ?", [tag_id])


def _v5_formats_and_corrections(conn: sqlite3.Connection) -> None:
    """Rich formats and metadata a user corrects.

    `documents` keeps the effective title, author, date, source and site (what every reader of
    the table shows: library, search, exports); `file_metadata` keeps what the file itself says
    (JSON) and `metadata_corrections` what the user set, so a re-sync never undoes a correction
    and clearing one brings the file's value back. Files skipped before (an `.html`, a `.pdf`)
    and `.txt` files holding a web page are read again at the next sync."""
    for column in ("kind TEXT", "site TEXT", "description TEXT", "file_metadata TEXT"):
        conn.execute(f"ALTER TABLE documents ADD COLUMN {column}")
    conn.execute(
        """CREATE TABLE metadata_corrections (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ('title', 'author', 'date', 'source', 'site')),
            value TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (document_id, field)
        ) WITHOUT ROWID"""
    )
    # No correction exists yet: what `documents` holds is what the files said.
    conn.execute(
        "UPDATE documents SET kind = CASE WHEN lower(path) LIKE '%.md' "
        "OR lower(path) LIKE '%.markdown' THEN 'markdown' ELSE 'text' END, "
        "file_metadata = json_object('title', title, 'author', author, 'date', date, "
        "'source', source, 'site', NULL) WHERE status = 'ok'"
    )
    conn.execute(
        "UPDATE documents SET mtime_ns = NULL WHERE status = 'skipped' OR id IN ("
        "SELECT document_id FROM document_texts "
        "WHERE ltrim(substr(text, 1, 400), char(32, 9, 10, 13, 12, 65279)) LIKE '<%')"
    )


def _v6_document_attributes(conn: sqlite3.Connection) -> None:
    """Documents as cases: named values a document carries (`outlet=ECFR`, `wave=2`)."""
    conn.execute(
        """CREATE TABLE document_attributes (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (document_id, name)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX document_attributes_by_name ON document_attributes(name, value)")


def _v7_ui_state(conn: sqlite3.Connection) -> None:
    """What the app remembers of this workspace between runs (last document, theme, layout,
    library sort): small named values, kept here rather than in the user's config file."""
    conn.execute(
        """CREATE TABLE ui_state (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


def _v8_annotation_creators(conn: sqlite3.Connection) -> None:
    """Who made each highlight (the `[user] name` of the day, or the creator an imported
    annotation names), so an export credits each person and a renamed user rewrites nothing."""
    conn.execute("ALTER TABLE annotations ADD COLUMN creator TEXT")


# A random RFC 4122 version-4 UUID, lower-case with hyphens, made by SQLite itself (evaluated
# per row), so a tag inserted by any code path gets its own.
_NEW_GUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def _v9_tag_guids(conn: sqlite3.Connection) -> None:
    """Every tag gets a stable GUID (REFI-QDA codes are known by theirs): kept when the tag is
    renamed, moved or is the target of a merge, so another tool sees the same code. A tag
    inserted without one is given one by a trigger."""
    conn.execute("ALTER TABLE tags ADD COLUMN guid TEXT")
    conn.execute(f"UPDATE tags SET guid = {_NEW_GUID_SQL} WHERE guid IS NULL")
    conn.execute("CREATE UNIQUE INDEX tags_by_guid ON tags(guid)")
    conn.execute(
        f"""CREATE TRIGGER tags_guid_given AFTER INSERT ON tags WHEN NEW.guid IS NULL BEGIN
            UPDATE tags SET guid = {_NEW_GUID_SQL} WHERE id = NEW.id;
        END"""
    )


def _v10_search_folded_letters(conn: sqlite3.Connection) -> None:
    """Search finds "Đoković" for "Djokovic" and "Łukasz" for "Lukasz" (reader/search/folding.py):
    the vocabulary's terms holding letters FTS5 cannot fold are indexed by their ASCII key. The
    search index itself is unchanged: nothing is re-indexed."""
    from reader.search.folding import SQL_FOLDED_INDEX

    conn.execute(SQL_FOLDED_INDEX)


def _v12_library_listing_index(conn: sqlite3.Connection) -> None:
    """The library's columns from one narrow index instead of the documents' pages (which
    carry sizes, hashes, descriptions and file metadata): at 100,000 documents the listing's
    scan takes about half the time. The rowid (the document's id) is in every index entry."""
    conn.execute("CREATE INDEX documents_listing ON documents(path, status, title, author, date)")


def _v13_cheaper_folded_index(conn: sqlite3.Connection) -> None:
    """The ASCII-key index of v10 made again with a condition that skips ASCII terms before
    its GLOB (reader/search/folding.py): the vocabulary recount after a large sync, which
    makes the index again, no longer runs the GLOB on every term. Same rows, same look-ups."""
    from reader.search.folding import SQL_FOLDED_INDEX

    conn.execute("DROP INDEX IF EXISTS search_terms_by_ascii_key")
    conn.execute(SQL_FOLDED_INDEX)


# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial,
    _v2_reading_positions,
    _v3_search_index,
    _v4_codebook,
    _v5_formats_and_corrections,
    _v6_document_attributes,
    _v7_ui_state,
    _v8_annotation_creators,
    _v9_tag_guids,
    _v10_search_folded_letters,
    note_triggers_for_notes_only,  # v11: reader/store/migration_triggers.py
    _v12_library_listing_index,
    _v13_cheaper_folded_index,
    note_triggers_spell_long_terms_only,  # v14: reader/store/migration_triggers.py
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_unknown_version(version: int, name: str = "the database") -> None:
    """A version below 0 or above LATEST_VERSION is none of ours: running MIGRATIONS[version]
    on it would pick a migration counted from the end (or none), so nothing runs."""
    if version > LATEST_VERSION:
        raise StoreError(
            f"{name} was written by a newer reader (schema {version}; this one knows "
            f"up to {LATEST_VERSION}). Upgrade reader; the database was not touched."
        )
    if version < 0:
        raise StoreError(
            f"{name} has schema version {version}, which this reader does not know; "
            "it was not changed"
        )


def migrate(
    conn: sqlite3.Connection,
    target: int = LATEST_VERSION,
    before: Callable[[int], object] | None = None,
    name: str = "the database",
) -> list[int]:
    """Apply migrations up to `target`; returns the versions reached. Needs autocommit mode.

    One `BEGIN IMMEDIATE` holds every step with its version bump: all commit, or none. The
    version is read under that lock, so a process that waited for another's migration finds
    the work done and changes nothing. `before(version)` runs under the lock just before the
    first step (the backup). Python's `with conn:` does not wrap DDL, hence the explicit SQL.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn)
        refuse_unknown_version(version, name)
        if version >= target:
            conn.execute("ROLLBACK")
            return []
        if before is not None:
            before(version)
        for step in range(version, target):
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return list(range(version + 1, target + 1))
