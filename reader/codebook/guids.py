"""Each tag's stable GUID (schema v9): given by a trigger when a tag is made, kept when it is
renamed, moved or merged into; REFI-QDA exports name codes by it, imports may set it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class TagRecord:
    """One tag as a codebook exchange sees it."""

    id: int
    path: str
    key: str
    guid: str
    color: str
    description: str


def tag_records(db: sqlite_utils.Database) -> list[TagRecord]:
    """Every tag, by key."""
    rows = db.execute(
        "SELECT id, name, key, guid, color, description FROM tags ORDER BY key"
    ).fetchall()
    return [TagRecord(int(r[0]), r[1], r[2], r[3] or "", r[4] or "", r[5] or "") for r in rows]


def tag_with_guid(db: sqlite_utils.Database, guid: str) -> int | None:
    row = db.execute("SELECT id FROM tags WHERE guid = ?", [guid]).fetchone()
    return int(row[0]) if row else None


def give_guid(db: sqlite_utils.Database, tag_id: int, guid: str) -> bool:
    """Give tag `tag_id` the GUID `guid` (an imported code's) unless another tag has it."""
    if tag_with_guid(db, guid) is not None:
        return False
    db.execute("UPDATE tags SET guid = ? WHERE id = ?", [guid, tag_id])
    return True
