"""Open `annotations.db` safely: refuse what we must not touch, migrate with a backup first."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from reader.errors import StoreError
from reader.store.migrations import LATEST_VERSION, migrate, schema_version

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
            raise StoreError(f"cannot write {self.path.name}: {exc}") from exc
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
            raise StoreError(f"cannot save to {self.path.name}: {exc}") from exc

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


def _backup_before_migrating(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    conn.execute("VACUUM INTO ?", (str(backup),))
    return backup


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
        if version > LATEST_VERSION:
            raise StoreError(
                f"{path.name} was written by a newer reader (schema {version}; this one knows "
                f"up to {LATEST_VERSION}). Upgrade reader; the database was not touched."
            )
        if version == 0 and table_count:
            raise StoreError(f"{path} is an SQLite database, but not reader's; it was not touched")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        if version < LATEST_VERSION:
            if version > 0:
                _backup_before_migrating(conn, path, version)
            migrate(conn)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{path} cannot be used ({exc}); it may be corrupt. It was not modified."
        ) from exc
    return Store(path, conn)
