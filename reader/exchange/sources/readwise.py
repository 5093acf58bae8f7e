"""Readwise's CSV export: `Highlight, Book Title, Book Author, Amazon Book ID, Note, Color,
Tags, Location Type, Location, Highlighted at, Document tags`, one highlight a row."""

from __future__ import annotations

import csv
import datetime as dt

from reader.exchange.sources.records import SourceHighlight, Unreadable, stable_uid

_FORMULA_STARTS = ("=", "+", "-", "@")
_URL_COLUMNS = ("URL", "Source URL", "Url")


def read_readwise(text: str) -> tuple[list[SourceHighlight], list[Unreadable]]:
    """The highlights of the export, and the rows skipped (no highlight text)."""
    csv.field_size_limit(64 * 2**20)  # a long highlight is one cell; the file is bounded
    rows = csv.DictReader(text.splitlines(keepends=True))
    highlights: list[SourceHighlight] = []
    skipped: list[Unreadable] = []
    for number, row in enumerate(rows, start=1):
        cell = {str(k).strip(): _unguarded(v) for k, v in row.items() if k is not None}
        title = cell.get("Book Title", "")
        quote = cell.get("Highlight", "")
        if not quote.strip():
            skipped.append(Unreadable(number, title, "the row has no highlight text"))
            continue
        location = " ".join(
            p for p in (cell.get("Location Type", ""), cell.get("Location", "")) if p
        )
        tags = [*_tags(cell.get("Tags", "")), *_tags(cell.get("Document tags", ""))]
        highlights.append(
            SourceHighlight(
                item=number,
                uid=stable_uid("readwise", title, location, quote),
                quote=quote,
                title=title,
                author=cell.get("Book Author", ""),
                url=next((cell[c] for c in _URL_COLUMNS if cell.get(c)), ""),
                note=cell.get("Note", ""),
                tags=tuple(dict.fromkeys(tags)),
                color=cell.get("Color", ""),
                created=_date(cell.get("Highlighted at", "")),
                location=location,
            )
        )
    return highlights, skipped


def _unguarded(value: object) -> str:
    """A cell's text; a `'` a spreadsheet guard put before `=`, `+`, `-`, `@` is taken off
    (what follows is stored as text, never evaluated)."""
    if isinstance(value, list):  # cells past the header's columns
        value = ",".join(str(v) for v in value)
    text = "" if value is None else str(value)
    if text.startswith("'") and text[1:2] in _FORMULA_STARTS:
        return text[1:]
    return text


def _tags(cell: str) -> list[str]:
    return [tag.strip() for tag in cell.split(",") if tag.strip()]


def _date(value: str) -> str | None:
    """`2024-11-03 18:22:10+00:00` (Readwise's form) as ISO 8601; anything else left out."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    try:
        return dt.datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None
