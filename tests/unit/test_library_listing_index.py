"""Schema v12 (issue #16): the library's columns come from the covering index
`documents_listing`, a v11 store upgrades to it with its data intact, and the columns come back
in path order whatever order the scan gives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from reader.corpus.library_listing import _LISTING_AS_JSON, library_listing
from reader.store.migrations import LATEST_VERSION, migrate
from reader.workspace import Workspace


def _store_at(path: Path, version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    return conn


def _add_documents(conn: sqlite3.Connection) -> None:
    rows = [(1, "b/zeta.txt", "ok", "Zeta", "Ana", "2024-01-02"),
            (2, "a.txt", "missing", None, None, None),
            (3, "b/alpha.txt", "skipped", "Älpha", "Đoković", "2023-05-06")]  # fmt: skip
    conn.executemany(
        "INSERT INTO documents (id, path, status, title, author, date, added, updated) "
        "VALUES (?, ?, ?, ?, ?, ?, 't', 't')",
        rows,
    )
    conn.execute("INSERT INTO document_texts VALUES (1, 'Zeta text')")
    conn.execute(
        'INSERT INTO annotations (uid, document_id, start, "end", quote, content_hash, note, '
        "created, updated) VALUES ('u1', 1, 0, 4, 'Zeta', 'h', 'my note', 't', 't')"
    )


def test_the_listing_reads_only_the_covering_index(tmp_path: Path) -> None:
    conn = _store_at(tmp_path / "a.db", LATEST_VERSION)
    plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + _LISTING_AS_JSON))
    assert "COVERING INDEX documents_listing" in plan


def test_a_v11_store_upgrades_to_the_index_with_its_data_intact(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "corpus").mkdir(parents=True)
    conn = _store_at(root / "annotations.db", 11)
    _add_documents(conn)
    before = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
    conn.close()
    with Workspace.open(root, sync=False) as ws:
        conn = ws.store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION >= 12
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert "documents_listing" in names
        assert conn.execute("SELECT * FROM documents ORDER BY id").fetchall() == before
        assert [(a.uid, a.note) for a in ws.annotations()] == [("u1", "my note")]
        listing = ws.library_listing()
    assert listing.paths == ["a.txt", "b/alpha.txt", "b/zeta.txt"]
    assert listing.ids == [2, 3, 1] and listing.titles == ["a", "Älpha", "Zeta"]
    assert listing.annotations == [0, 0, 1] and listing.authors == [None, "Đoković", "Ana"]


def test_columns_come_back_in_path_order_whatever_the_scan_gives(tmp_path: Path) -> None:
    """Without the index (dropped here) the scan follows the ids, not the paths."""
    conn = _store_at(tmp_path / "a.db", LATEST_VERSION)
    _add_documents(conn)
    conn.execute("DROP INDEX documents_listing")
    scanned = conn.execute(_LISTING_AS_JSON).fetchone()[1]
    assert scanned == '["b/zeta.txt","a.txt","b/alpha.txt"]'  # the table's order: by id
    listing = library_listing(sqlite_utils.Database(conn))
    assert listing.paths == ["a.txt", "b/alpha.txt", "b/zeta.txt"]
    assert listing.ids == [2, 3, 1] and listing.statuses == ["missing", "skipped", "ok"]
    assert listing.dates == [None, "2023-05-06", "2024-01-02"]
