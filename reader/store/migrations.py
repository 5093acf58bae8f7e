"""Forward-only schema migrations; each runs in one transaction with its `user_version` bump."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

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


# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_v1_initial, _v2_reading_positions)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Apply migrations up to `target`; returns the versions reached. Needs autocommit mode.

    Python's `with conn:` does not wrap DDL, so each step opens its own `BEGIN IMMEDIATE` and
    commits the schema change together with the version bump, or neither.
    """
    reached = []
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)  # re-read under the lock: another process may have won
            if version >= target:
                conn.execute("ROLLBACK")
                return reached
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        reached.append(version + 1)
