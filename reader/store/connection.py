"""Open `annotations.db` safely: refuse what we must not touch, migrate with a backup first."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import itertools
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from reader.errors import StoreError
from reader.store.failures import CORRUPT, explain
from reader.store.migrations import (
    LATEST_VERSION,
    migrate,
    refuse_unknown_version,
    schema_version,
)

BUSY_TIMEOUT_SECONDS = 15.0


class Store:
    """One connection to the annotation database; every write goes through `write()`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One user action = one `BEGIN IMMEDIATE` transaction, so concurrent writers queue
        on the lock instead of failing with "database is locked" after reading stale data."""
        if self.conn.in_transaction:
            with self.db.atomic():  # nested: a savepoint inside the caller's transaction
                yield self.db
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write {self.path.name}: {explain(exc)}") from exc
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreError(f"cannot save to {self.path.name}: {explain(exc)}") from exc

    def close(self) -> None:
        self.conn.close()


def _check_writable(path: Path) -> None:
    if path.exists():
        if not path.is_file():
            raise StoreError(f"{path} is not a file")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"{path} is read-only; reader needs to write annotations to it")
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"{path.parent} is read-only; reader needs to create {path.name} there")


BACKUP_MARK = ".bak-v"  # annotations.db.bak-v7-20250108-135500-123456-4242
PARTIAL_SUFFIX = ".partial"  # a backup still being written: never mistaken for one


def _backup_before_migrating(path: Path, version: int) -> Path:
    """Copy the database at `version` before a migration changes it; runs under the
    migration's write lock, so the copy is the state migrated and one process makes it.

    A second connection reads it (the locked one cannot copy itself) into a `.partial` file
    that is synced and then renamed: a file named as a backup is always a whole one. The name
    is unique per process and microsecond; any `.partial` found here, under the lock, was left
    by a process killed mid-copy and is removed."""
    for stale in path.parent.glob(f"{glob.escape(path.name)}{BACKUP_MARK}*{PARTIAL_SUFFIX}"):
        stale.unlink(missing_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = path.with_name(f"{path.name}{BACKUP_MARK}{version}-{stamp}-{os.getpid()}")
    for n in itertools.count(2):
        if not backup.exists():
            break
        backup = backup.with_name(f"{path.name}{BACKUP_MARK}{version}-{stamp}-{os.getpid()}-{n}")
    partial = backup.with_name(backup.name + PARTIAL_SUFFIX)
    try:
        reader = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            reader.execute("VACUUM INTO ?", (str(partial),))
        finally:
            reader.close()
        with partial.open("rb") as copy:
            os.fsync(copy.fileno())
        partial.rename(backup)
        _sync_folder(path.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return backup


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: sync the folder's entry (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(fd)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL unless another process already did. Changing the journal mode never waits
    on SQLite's busy handler: a process opening a new store while another one reads it got
    "database is locked" at once, so it tries again until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)  # the other process holds its lock for a statement or two


def _version_and_tables(conn: sqlite3.Connection) -> tuple[int, int]:
    """Schema version and table count read in one snapshot: read apart, another process's first
    migration could commit in between, and its tables at version 0 would look foreign."""
    conn.execute("BEGIN")
    try:
        version = schema_version(conn)
        table_count = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.execute("COMMIT")
    return version, int(table_count)


def open_store(path: Path) -> Store:
    """Open or create the store at `path`, migrating it to the current schema.

    A corrupt file, a foreign SQLite file, a read-only file or a database from a newer reader is
    refused with a StoreError and left exactly as it was.
    """
    _check_writable(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        version, table_count = _version_and_tables(conn)
        refuse_unknown_version(version, path.name)
        if version == 0 and table_count:
            raise StoreError(f"{path} is an SQLite database, but not reader's; it was not touched")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        if version < LATEST_VERSION:

            def backup(old: int) -> None:
                if old > 0:  # version 0 is a new, empty file: nothing to keep
                    _backup_before_migrating(path, old)

            migrate(conn, before=backup, name=path.name)
    except StoreError:
        conn.close()
        raise
    except (sqlite3.DatabaseError, OSError) as exc:
        conn.close()
        raise StoreError(_cannot_open_message(path, exc)) from exc
    return Store(path, conn)


def _cannot_open_message(path: Path, exc: BaseException) -> str:
    """One line naming the trouble; only a damaged file is called possibly corrupt."""
    reason = explain(exc)
    if reason == CORRUPT:
        return f"{path} cannot be used ({exc}); {reason}. It was not modified."
    return f"cannot open {path} (left unchanged): {reason}"
