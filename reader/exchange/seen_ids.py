"""Which annotation ids a file has already given, in memory that does not grow with the file.

A million ids would cost a dict over 100 MB; a private temporary SQLite database keeps them on
disk behind a few megabytes of cache, and is gone when closed.
"""

from __future__ import annotations

import sqlite3


class SeenIds:
    """`first(uid, number)`: the item number that first gave `uid`, or None (then it is
    recorded as `number`'s)."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect("", isolation_level=None)  # "": a private temporary file
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -4096")
        self.conn.execute("CREATE TABLE seen (uid TEXT PRIMARY KEY, item INTEGER) WITHOUT ROWID")

    def first(self, uid: str, number: int) -> int | None:
        row = self.conn.execute(
            "INSERT INTO seen (uid, item) VALUES (?, ?) ON CONFLICT (uid) DO NOTHING "
            "RETURNING item",
            (uid, number),
        ).fetchone()
        if row is not None:
            return None
        return int(self.conn.execute("SELECT item FROM seen WHERE uid = ?", (uid,)).fetchone()[0])

    def close(self) -> None:
        self.conn.close()
