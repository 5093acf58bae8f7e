"""Opening an old database safely: racing processes, a kill mid-backup, versions this reader
does not know, and a message that names the real trouble (busy, full, read-only, corrupt)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.errors import StoreError
from reader.store import LATEST_VERSION, open_store
from reader.store import connection as store_connection
from reader.store.migrations import MIGRATIONS, migrate, schema_version

OLD = LATEST_VERSION - 1
Failure = Callable[[sqlite3.Connection], None]


def _old_database(path: Path, version: int = OLD, notes: int = 200) -> None:
    """A reader database at `version`, holding a document and `notes` highlights."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=version)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO documents (id, path, status, content_hash, added, updated) "
        "VALUES (1, 'a.txt', 'ok', 'h', 't', 't')"
    )
    for i in range(notes):
        conn.execute(
            'INSERT INTO annotations (uid, document_id, start, "end", quote, content_hash, note, '
            "created, updated) VALUES (?, 1, 0, 1, 'A', 'h', ?, 't', 't')",
            [f"u{i}", f"note {i} " * 20],
        )
    conn.execute("COMMIT")
    conn.close()


def _backups(path: Path) -> list[Path]:
    """Files named like a backup, as a user (or a script) looking for one would find them."""
    return sorted(
        p for p in path.parent.glob(f"{path.name}.bak-*") if not p.name.endswith(".partial")
    )


def _assert_valid_backup(backup: Path, version: int, notes: int) -> None:
    assert backup.stat().st_size > 0, backup
    conn = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert schema_version(conn) == version
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == notes
    finally:
        conn.close()


# Racing processes


def _open_at_barrier(path: str, barrier: Any, results: Any) -> None:
    """One process: wait for the others, then open (and so migrate) the same old database."""
    barrier.wait()
    try:
        store = open_store(Path(path))
        results.put(("ok", schema_version(store.conn)))
        store.close()
    except BaseException as exc:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def test_processes_opening_an_old_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Three processes released together: one migrates (after one backup), the others wait for
    it and open the migrated database; before, they collided on the backup's name."""
    path = tmp_path / "annotations.db"
    _old_database(path)
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(3), spawn.Queue()
    procs = [
        spawn.Process(target=_open_at_barrier, args=(str(path), barrier, results)) for _ in range(3)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
    assert outcomes == [("ok", LATEST_VERSION)] * 3
    backups = _backups(path)
    assert len(backups) == 1  # made under the migration's lock, by the one that migrated
    _assert_valid_backup(backups[0], OLD, 200)
    assert not list(tmp_path.glob("*.partial"))


# A kill during the backup

KILLED_DURING_BACKUP = textwrap.dedent(
    """
    import sqlite3, sys
    from pathlib import Path
    from reader.store import open_store

    path = Path(sys.argv[1])
    real_connect = sqlite3.connect

    def stop_once_a_backup_file_exists() -> int:
        if any(path.parent.glob(path.name + ".bak*")):
            print("backing up", flush=True)
            sys.stdin.readline()  # blocks until the test kills this process
        return 0

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_progress_handler(stop_once_a_backup_file_exists, 20)
        return conn

    sqlite3.connect = connect
    open_store(path)
    print("finished", flush=True)
    """
)


def test_a_kill_during_the_backup_leaves_nothing_that_looks_like_a_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "annotations.db"
    _old_database(path)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_DURING_BACKUP, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "backing up"
    proc.kill()  # SIGKILL while the backup is being written: no clean-up runs
    proc.wait()
    proc.stdout.close()
    assert proc.stdin is not None
    proc.stdin.close()
    assert list(tmp_path.glob("annotations.db.bak*"))  # something was being written
    for backup in _backups(path):  # before: an empty or half-written `.bak` was left
        _assert_valid_backup(backup, OLD, 200)

    store = open_store(path)  # the next run migrates, backs up again and clears the leftover
    assert schema_version(store.conn) == LATEST_VERSION
    store.close()
    backups = _backups(path)
    assert len(backups) == 1
    _assert_valid_backup(backups[0], OLD, 200)
    assert not list(tmp_path.glob("*.partial"))


def test_a_failed_backup_leaves_the_database_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "annotations.db"
    _old_database(path)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_connection.os, "fsync", disk_full)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert "the disk is full" in str(caught.value) and "corrupt" not in str(caught.value)
    assert not _backups(path) and not list(tmp_path.glob("*.partial"))
    conn = sqlite3.connect(path)
    assert schema_version(conn) == OLD
    conn.close()


# Versions this reader does not know


@pytest.mark.parametrize("version", [-3, -1])
def test_a_negative_schema_version_is_refused_untouched(tmp_path: Path, version: int) -> None:
    """Before, MIGRATIONS[-3] ran on it (the wrong migration, counted from the end)."""
    path = tmp_path / "annotations.db"
    _old_database(path, version=LATEST_VERSION, notes=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert str(caught.value) == (
        f"annotations.db has schema version {version}, which this reader does not know; "
        "it was not changed"
    )
    assert path.read_bytes() == before and not _backups(path)


def test_migrate_itself_refuses_an_unknown_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    conn.execute("PRAGMA user_version = -2")
    with pytest.raises(StoreError, match="schema version -2"):
        migrate(conn)
    assert schema_version(conn) == -2
    conn.close()


# Messages that say what it is


def test_a_busy_database_says_another_reader_is_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "annotations.db"
    _old_database(path, notes=1)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")  # another reader, mid-write
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_SECONDS", 0.05)
    try:
        with pytest.raises(StoreError) as caught:
            open_store(path)
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    message = str(caught.value)
    assert "another reader is writing" in message and "try again" in message
    assert "corrupt" not in message


def _failing_last_migration(monkeypatch: pytest.MonkeyPatch, failure: Failure) -> None:
    from reader.store import migrations

    def last(conn: sqlite3.Connection) -> None:
        MIGRATIONS[-1](conn)
        failure(conn)

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS[:-1], last))


def _fill_the_disk(conn: sqlite3.Connection) -> None:
    """A real SQLITE_FULL: the database may grow no further than it is."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    conn.execute("CREATE TABLE filler (x)")
    conn.execute("INSERT INTO filler VALUES (zeroblob(1000000))")


def _make_read_only(conn: sqlite3.Connection) -> None:
    """A real SQLITE_READONLY."""
    conn.execute("PRAGMA query_only = ON")
    conn.execute("CREATE TABLE blocked (x)")


@pytest.mark.parametrize(
    ("failure", "expected"),
    [(_fill_the_disk, "the disk is full"), (_make_read_only, "read-only")],
)
def test_full_and_read_only_are_named_not_called_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Failure, expected: str
) -> None:
    path = tmp_path / "annotations.db"
    _old_database(path, notes=1)
    _failing_last_migration(monkeypatch, failure)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    message = str(caught.value)
    assert expected in message and "corrupt" not in message
    assert "left unchanged" in message
    conn = sqlite3.connect(path)
    assert schema_version(conn) == OLD  # rolled back whole
    conn.close()


def test_only_a_damaged_file_may_be_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "annotations.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="may be corrupt"):
        open_store(path)


def test_a_busy_write_says_another_reader_is_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "annotations.db"
    store = open_store(path)
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="another reader is writing"), store.write():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()
