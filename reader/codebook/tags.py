"""Tags: unique ignoring case, each with a colour: a new tag takes the first palette colour no
other tag has (reader/codebook/tag_names.py), and keeps it.

The names themselves (tidying, keys, colours) are text helpers in reader/codebook/tag_names.py.
A tag is a path: `actor/serbia/vucic` sits under `actor/serbia`, which sits under `actor`. A
parent need not exist as a tag of its own; reader/codebook/tree.py builds the tree and its counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from reader.codebook.tag_names import MAX_TAG_CHARS as MAX_TAG_CHARS
from reader.codebook.tag_names import clean_tag_name as clean_tag_name
from reader.codebook.tag_names import next_tag_color
from reader.codebook.tag_names import tag_key as tag_key
from reader.codebook.tag_names import tidy_tag_name as tidy_tag_name


def ensure_tag(
    db: sqlite_utils.Database, name: str, palette: Sequence[str] | None = None
) -> int:
    """The id of the tag called `name` (any case), creating it when new, in the first colour of
    `palette` (None: the built-in one) no tag has. Call inside a write."""
    cleaned = clean_tag_name(name)
    key = cleaned.casefold()
    row = db.execute("SELECT id FROM tags WHERE key = ?", [key]).fetchone()
    if row:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO tags (name, key, color) VALUES (?, ?, ?)",
        [cleaned, key, next_tag_color(tag_colors(db).values(), palette)],
    )
    return int(cursor.lastrowid or 0)


def find_tag(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM tags WHERE key = ?", [tag_key(name)]).fetchone()
    return int(row[0]) if row else None


def tag_usage(db: sqlite_utils.Database) -> list[tuple[str, int, str]]:
    """Every tag with how often it is used (highlights plus documents) and its colour,
    most used first: the order the tag field suggests them in."""
    rows = db.execute(
        "SELECT t.name, t.color, "
        "(SELECT count(*) FROM annotation_tags a WHERE a.tag_id = t.id) + "
        "(SELECT count(*) FROM document_tags d WHERE d.tag_id = t.id) AS uses "
        "FROM tags t ORDER BY uses DESC, t.key"
    ).fetchall()
    return [(name, uses, color) for name, color, uses in rows]


def tag_colors(db: sqlite_utils.Database) -> dict[str, str]:
    """Colour of every tag, keyed by its casefolded name."""
    return {key: color for key, color in db.execute("SELECT key, color FROM tags")}
