"""Metadata a user corrects: stored apart from what the file says, applied over it everywhere.

`documents` holds the effective values (every reader of the table — library, search, exports,
statistics — sees the correction without knowing about it); `file_metadata` holds the file's
own values, so a re-sync re-applies the corrections and clearing one brings the file's back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import sqlite_utils

from reader.clock import utc_now
from reader.errors import UsageError

FIELDS = ("title", "author", "date", "source", "site")
MAX_VALUE_CHARS = 500
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def clean_value(field: str, value: str) -> str:
    """A value as stored, or `UsageError` saying what a good one looks like."""
    if field not in FIELDS:
        raise UsageError(f"unknown field '{field}' (one of: {', '.join(FIELDS)})")
    text = _CONTROLS.sub(" ", value).strip()
    if not text:
        raise UsageError(f"an empty {field} is not a correction (use --clear {field})")
    if len(text) > MAX_VALUE_CHARS:
        raise UsageError(f"{field} is {len(text)} characters long; the limit is {MAX_VALUE_CHARS}")
    if field == "date":
        try:
            return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else _bad_date(text)
        except ValueError:
            _bad_date(text)
    if field == "source":
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise UsageError(f"source must be an http(s) URL, not '{text[:80]}'")
    return text


def _bad_date(text: str) -> str:
    raise UsageError(f"date must be YYYY-MM-DD, not '{text[:40]}'")


def corrections_for(db: sqlite_utils.Database, doc_id: int) -> dict[str, str]:
    rows = db.execute(
        "SELECT field, value FROM metadata_corrections WHERE document_id = ?", [doc_id]
    ).fetchall()
    return dict(rows)


def effective_fields(file_values: Mapping[str, object], corrections: Mapping[str, str]) -> dict:
    """The values every view shows: the user's correction, else what the file says."""
    return {field: corrections.get(field, file_values.get(field)) for field in FIELDS}


def file_values(db: sqlite_utils.Database, doc_id: int) -> dict[str, object]:
    row = db.execute("SELECT file_metadata FROM documents WHERE id = ?", [doc_id]).fetchone()
    try:
        values = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        values = {}
    return values if isinstance(values, dict) else {}


def correct_metadata(
    db: sqlite_utils.Database, doc_id: int, changes: Mapping[str, str], clear: list[str]
) -> dict[str, object]:
    """Store `changes` and drop the corrections in `clear`, inside the caller's transaction;
    returns the effective values now in `documents`."""
    cleaned = {field: clean_value(field, value) for field, value in changes.items()}
    for field in clear:
        if field not in FIELDS:
            raise UsageError(f"unknown field '{field}' (one of: {', '.join(FIELDS)})")
        if field in cleaned:
            raise UsageError(f"{field} is both set and cleared")
    now = utc_now()
    for field, value in cleaned.items():
        db.execute(
            "INSERT INTO metadata_corrections (document_id, field, value, updated) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (document_id, field) DO UPDATE "
            "SET value = excluded.value, updated = excluded.updated",
            [doc_id, field, value, now],
        )
    for field in clear:
        db.execute(
            "DELETE FROM metadata_corrections WHERE document_id = ? AND field = ?", [doc_id, field]
        )
    effective = effective_fields(file_values(db, doc_id), corrections_for(db, doc_id))
    db.execute(
        f"UPDATE documents SET {', '.join(f'{f} = ?' for f in FIELDS)}, updated = ? WHERE id = ?",
        [*effective.values(), now, doc_id],
    )
    return effective
