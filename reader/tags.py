"""Tags: unique ignoring case, each with a colour chosen stably from its name.

A tag is a path: `actor/serbia/vucic` sits under `actor/serbia`, which sits under `actor`. A
parent need not exist as a tag of its own; reader/codebook.py builds the tree and its counts.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import sqlite_utils

from reader.errors import UsageError

MAX_TAG_CHARS = 100
# A tag is a label: control characters and bidi overrides have no place in one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TAG_PALETTE = (
    "#e5c07b",  # yellow
    "#98c379",  # green
    "#56b6c2",  # cyan
    "#c678dd",  # magenta
    "#61afef",  # blue
    "#e06c75",  # red
    "#d19a66",  # orange
    "#a9b665",  # olive
)


def tidy_tag_name(name: str) -> str:
    """NFC, no control characters, inner whitespace collapsed, the path tidied (`a / b/` is
    `a/b`); may come back empty."""
    name = _CONTROL.sub("", unicodedata.normalize("NFC", name))
    cleaned = re.sub(r"\s+", " ", name).strip().lstrip("#").strip()
    return "/".join(part.strip() for part in cleaned.split("/") if part.strip())


def clean_tag_name(name: str) -> str:
    """The tidied name; a user error when nothing is left or it is huge."""
    cleaned = tidy_tag_name(name)
    if not cleaned:
        raise UsageError("a tag needs at least one visible character")
    if len(cleaned) > MAX_TAG_CHARS:
        raise UsageError(f"a tag is at most {MAX_TAG_CHARS} characters")
    return cleaned


def tag_key(name: str) -> str:
    return clean_tag_name(name).casefold()


def default_color(name: str) -> str:
    return TAG_PALETTE[zlib.crc32(tag_key(name).encode("utf-8")) % len(TAG_PALETTE)]


def ensure_tag(db: sqlite_utils.Database, name: str) -> int:
    """The id of the tag called `name` (any case), creating it when new. Call inside a write."""
    cleaned = clean_tag_name(name)
    key = cleaned.casefold()
    row = db.execute("SELECT id FROM tags WHERE key = ?", [key]).fetchone()
    if row:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO tags (name, key, color) VALUES (?, ?, ?)",
        [cleaned, key, default_color(cleaned)],
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
