"""Every row of a workspace's store, to check that a refused command changed nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.workspace import DATABASE_FILE


def store_rows(root: Path) -> dict[str, list[tuple]]:
    """Each real table's rows as stored (a virtual table is a view of its shadow tables,
    which are real ones), less the sync's bookkeeping (`sync.*` in ui_state: the digest of
    the last scan), which the sync every command starts with rewrites whenever corpus/ was
    touched, whatever the command then does."""
    db = sqlite3.connect(root / DATABASE_FILE)
    try:
        names = [
            name
            for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")
            if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
        ]
        rows = {
            name: db.execute(f'SELECT * FROM "{name}"').fetchall()  # names from the schema
            for name in sorted(names)
        }
        if "ui_state" in rows:
            rows["ui_state"] = [row for row in rows["ui_state"] if not row[0].startswith("sync.")]
        return rows
    finally:
        db.close()
