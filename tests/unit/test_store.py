"""The store: schema migrations with backups, refusals that never damage a file, pragmas."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.store import LATEST_VERSION, open_store
from reader.store.migrations import MIGRATIONS, migrate, schema_version
from reader.workspace import Workspace


def _database_at(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_new_store_is_at_latest_version_with_safe_pragmas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    conn = store.conn
    assert schema_version(conn) == LATEST_VERSION == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert {
        "documents",
        "annotations",
        "tags",
        "annotation_tags",
        "document_tags",
        "document_notes",
        "document_texts",
        "reading_positions",
    } <= _tables(conn)
    store.close()


@pytest.mark.parametrize("start_version", range(1, LATEST_VERSION))
def test_migrates_from_every_earlier_version_keeping_data(tmp_path: Path, start_version) -> None:
    root = tmp_path / "ws"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.txt").write_text("Title\n\nA sentence worth keeping.\n", "utf-8")
    db_path = root / "annotations.db"
    _database_at(db_path, start_version)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(
        "INSERT INTO documents (id, path, status, content_hash, added, updated) "
        "VALUES (1, 'a.txt', 'ok', 'h', 't', 't')"
    )
    conn.execute("INSERT INTO document_texts VALUES (1, 'Title\n\nA sentence worth keeping.\n')")
    conn.execute(
        'INSERT INTO annotations (uid, document_id, start, "end", quote, content_hash, note, '
        "created, updated) VALUES ('u1', 1, 9, 19, 'A sentence', 'h', 'old note', 't', 't')"
    )
    conn.close()

    with Workspace.open(root) as ws:
        assert schema_version(ws.store.conn) == LATEST_VERSION
        kept = ws.annotations()
        assert [(a.uid, a.quote, a.note) for a in kept] == [("u1", "A sentence", "old note")]
    backups = list(root.glob(f"annotations.db.bak-v{start_version}-*"))
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert schema_version(backup) == start_version
    assert backup.execute("SELECT note FROM annotations").fetchone() == ("old note",)
    backup.close()


def test_failed_migration_rolls_back_schema_and_version(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.db"
    _database_at(path, LATEST_VERSION - 1)

    def broken(conn: sqlite3.Connection) -> None:
        MIGRATIONS[-1](conn)
        raise RuntimeError("power cut")

    from reader.store import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS[:-1], broken))
    conn = sqlite3.connect(path, isolation_level=None)
    tables_before = _tables(conn)
    with pytest.raises(RuntimeError):
        migrations.migrate(conn)
    assert schema_version(conn) == LATEST_VERSION - 1
    assert _tables(conn) == tables_before
    conn.close()


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _database_at(path, LATEST_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer reader"):
        open_store(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="corrupt"):
        open_store(path)
    assert path.read_bytes() == b"this is not a database at all" * 100


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not reader's"):
        open_store(path)


def test_read_only_database_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.db"
    open_store(path).close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(StoreError, match="read-only"):
        open_store(path)


def test_write_rolls_back_everything_on_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    with pytest.raises(ValueError), store.write() as db:
        db.execute("INSERT INTO tags (name, key, color) VALUES ('x', 'x', '#fff')")
        raise ValueError("boom")
    assert store.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
    store.close()
