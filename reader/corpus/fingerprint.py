"""A digest of what a scan of `corpus/` found, so that an unchanged corpus costs its listing.

The sync that applies a scan stores the scan's digest in the same transaction as its last
batch; the next sync compares a fresh scan's digest with it and, when they are equal, reads
neither a file nor the documents table. The digest covers each entry's path, size, mtime,
ctime, inode and device (ctime moves on every write and cannot be set back, so an edit that
keeps the size and restores the mtime is still seen), skipped entries and their reasons,
folders that could not be read, the size limit and the store's schema version (a migration
may ask for files to be read again).

A digest is only stored by a sync no other sync wrote beside: every batch a sync commits bumps a
generation number; a sync that finds it moved by someone else since it began drops the digest
instead, so the next sync checks every file. A crash stores nothing: the digest goes with the
last batch or not at all.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import operator
import os
import sqlite3
from typing import Any

from reader.clock import utc_now

DIGEST = "sync.corpus_scan"  # ui_state names: the digest of the scan last applied whole
LISTING = "sync.corpus_listing"  # its `find` listing's token and entry count, when it has one
GENERATION = "sync.generation"  # bumped by every batch a sync commits
# Bump when the sync decides differently from the same files (a new format, a new skip rule).
RULES = "2"


class ScanDigest:
    """Fed one entry at a time by the scan, in listing order (a listing in another order only
    costs a full check, never a missed change)."""

    def __init__(self) -> None:
        self._seen: list[tuple[str, os.stat_result, str]] = []

    def saw(self, rel: str, seen: os.stat_result, note: str = "") -> None:
        self._seen.append((rel, seen, note))

    def hexdigest(
        self,
        plain: list[tuple[str, os.stat_result]],
        unreadable: dict[str, str],
        max_file_bytes: int | None,
        schema: int,
    ) -> str:
        """All entries hashed at once, the `plain` regular files (kept by the scan) and those
        `saw` was told of: their names and notes as one text, their stats as one array of
        integers (a formatted line per entry cost twice as much)."""
        final = hashlib.blake2b(digest_size=20)
        final.update("\0".join(rel for rel, _ in plain).encode("utf-8", "surrogateescape"))
        final.update(_numbers([seen for _, seen in plain]))
        names = "\0".join(f"{rel}\0{note}" for rel, _, note in self._seen)
        final.update(names.encode("utf-8", "surrogateescape"))
        final.update(_numbers([seen for _, seen, _ in self._seen]))
        for place, reason in sorted(unreadable.items()):
            final.update(f"unreadable\0{place}\0{reason}\n".encode("utf-8", "surrogateescape"))
        final.update(f"limit\0{max_file_bytes}\0schema\0{schema}\0rules\0{RULES}".encode())
        return final.hexdigest()


_STAT_FIELDS = operator.attrgetter(
    "st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev", "st_mode"
)


def _numbers(seen: list[os.stat_result]) -> bytes:
    """Every entry's size, times, inode, device and mode, gathered in C (a Python tuple per
    entry cost twice as much at 100,000 files)."""
    try:
        return array.array("q", itertools.chain.from_iterable(map(_STAT_FIELDS, seen))).tobytes()
    except OverflowError:  # an inode or a time past 63 bits: the slower, written form
        return "\n".join(" ".join(map(str, _STAT_FIELDS(s))) for s in seen).encode()


def _value(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM ui_state WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def stored_digest(conn: sqlite3.Connection) -> str | None:
    """The digest of the scan the last undisturbed sync applied whole, if any."""
    return _value(conn, DIGEST)


def stored_listing(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """The listing token stored with the digest still stored (reader/corpus/listing_check.py),
    and how many entries the scan found then, if any."""
    values = dict(
        conn.execute("SELECT name, value FROM ui_state WHERE name IN (?, ?)", (DIGEST, LISTING))
    )
    parts = (values.get(LISTING) or "").split(" ")
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] != values.get(DIGEST):
        return None
    return parts[0], int(parts[1])


def listing_value(token: str, entries: int, digest: str) -> str:
    """What is stored: the token, bound to the digest it goes with."""
    return f"{token} {entries} {digest}"


def generation(conn: sqlite3.Connection) -> int:
    return int(_value(conn, GENERATION) or 0)


def _set(db: Any, name: str, value: str) -> None:
    db.execute(
        "INSERT INTO ui_state (name, value, updated) VALUES (?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
        (name, value, utc_now()),
    )


class Generations:
    """One sync's view of the generation: whether any other sync committed since it began."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.expected = generation(conn)
        self.disturbed = False

    def committing(self, db: Any, digest: str | None, listing: str | None = None) -> None:
        """Inside a batch's write transaction: bump the generation, and store `digest` and
        `listing` (the last batch of an undisturbed sync) or drop the stored ones (any other
        batch; a listing is dropped too when there is none)."""
        conn = getattr(db, "conn", db)
        now = generation(conn)
        if now != self.expected:
            self.disturbed = True
        self.expected = now + 1
        _set(db, GENERATION, str(self.expected))
        stored = digest is not None and not self.disturbed
        if stored:
            _set(db, DIGEST, digest)  # type: ignore[arg-type]
        else:
            db.execute("DELETE FROM ui_state WHERE name = ?", (DIGEST,))
        if stored and listing is not None:
            _set(db, LISTING, listing)
        else:
            db.execute("DELETE FROM ui_state WHERE name = ?", (LISTING,))

    def listing_noted(self, conn: sqlite3.Connection, digest: str, listing: str) -> bool:
        """Store `listing` beside `digest`, found unchanged by a full check, unless another sync
        committed since this one began or the store is busy (it is only a shortcut: never wait
        for it). Whether it was stored."""
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        try:
            if generation(conn) == self.expected and stored_digest(conn) == digest:
                _set(conn, LISTING, listing)
                conn.execute("COMMIT")
                return True
        except sqlite3.Error:
            pass
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return False
