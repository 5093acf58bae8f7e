"""Every row of a workspace's store, to check that a refused command changed nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.workspace import DATABASE_FILE


def store_rows(root: Path) -> dict[str, list[tuple]]:
    """Each real table's rows as stored (a virtual table is a view of its shadow tables,
    which are real ones)."""
    db = sqlite3.connect(root / DATABASE_FILE)
    try:
        names = [
            name
            for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")
            if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
        ]
        return {
            name: db.execute(f'SELECT * FROM "{name}"').fetchall()  # names from the schema
            for name in sorted(names)
        }
    finally:
        db.close()
