"""Which annotation ids a file has already given, in memory that does not grow with the file.

A million ids would cost a dict over 100 MB; a private temporary SQLite database keeps them on
disk behind a few megabytes of cache, and is gone when closed. Ids are looked up and recorded
a batch at a time (two statements a batch, not two an annotation).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


class SeenIds:
    """`earlier(batch)`: for each (uid, number) of a batch, in file order, the number that
    first gave `uid` (None for a first time, which is then recorded as `number`'s)."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect("", isolation_level=None)  # "": a private temporary file
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -4096")
        self.conn.execute("CREATE TABLE seen (uid TEXT PRIMARY KEY, item INTEGER) WITHOUT ROWID")

    def earlier(self, batch: Sequence[tuple[str, int]]) -> list[int | None]:
        uids = sorted({uid for uid, _ in batch})
        firsts: dict[str, int] = {}
        for start in range(0, len(uids), 500):
            part = uids[start : start + 500]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT uid, item FROM seen WHERE uid IN ({marks})"
            firsts.update(self.conn.execute(sql, part))
        found: list[int | None] = []
        new: list[tuple[str, int]] = []
        for uid, number in batch:
            first = firsts.get(uid)
            if first is None:
                firsts[uid] = number
                new.append((uid, number))
            found.append(first)
        new.sort()
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO seen (uid, item) VALUES (?, ?)", new)
        self.conn.execute("COMMIT")
        return found

    def close(self) -> None:
        self.conn.close()
