"""Documents as cases: named values (`outlet=ECFR`, `wave=2`) a document carries, and the
ones every document has from its metadata (`site`, `author`, `year`, `month`).

Stored ones live in `document_attributes` (names lower case, unique per document). The four
derived ones are views of the metadata in effect: setting `site` or `author` corrects the
metadata (reader/corpus/corrections.py), `year` and `month` follow the date. A name is typed
number or date when every value set under it parses as one, else text.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import sqlite_utils

from reader.clock import utc_now
from reader.corpus.corrections import correct_metadata, corrections_for
from reader.errors import UsageError
from reader.models import DERIVED_ATTRIBUTES, AttributeInfo
from reader.text.attribute_filters import (
    NOT_ATTRIBUTES,
    AttributeFilter,
    value_kind,
    value_test,
)

DERIVED = tuple(sorted(DERIVED_ATTRIBUTES))
FROM_METADATA = {"site", "author"}  # setting these corrects the metadata
MAX_NAME_CHARS = 40
MAX_VALUE_CHARS = 200
_NAME = re.compile(r"[^\W\d_][\w.\-]*")  # a letter, then letters, digits, _ . -
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


# Words the query language reads itself: an attribute so named could never be searched.
RESERVED_NAMES = frozenset({"tag", "doc", "kind"}) | NOT_ATTRIBUTES


def clean_name(name: str) -> str:
    """An attribute's name as stored (lower case), or `UsageError` saying what a name is."""
    text = name.strip().casefold()
    shown = _CONTROLS.sub("?", name)[:60]
    if not text or len(text) > MAX_NAME_CHARS or not _NAME.fullmatch(text):
        raise UsageError(
            f"'{shown}' is not an attribute name: a letter, then letters, digits, '_', '.' or "
            f"'-', at most {MAX_NAME_CHARS} characters (outlet, country, wave_2)"
        )
    if text in RESERVED_NAMES:
        raise UsageError(f"'{shown}' is a word of the search language (tag:, doc:, kind:, "
                         "http: …); choose another name")  # fmt: skip
    return text


def clean_value(name: str, value: str) -> str:
    text = _CONTROLS.sub(" ", value).strip()
    if not text:
        raise UsageError(f"an empty value for {name} is not a value (unset it instead)")
    if len(text) > MAX_VALUE_CHARS:
        raise UsageError(f"{name}'s value is {len(text)} characters; at most {MAX_VALUE_CHARS}")
    return text


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """`KEY=VALUE` words as typed on a command line, names cleaned (values kept as typed)."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"'{_CONTROLS.sub('?', pair)[:60]}' is not KEY=VALUE")
        values[clean_name(name)] = value
    return values


def site_of(site: str | None, source: str | None) -> str | None:
    """The outlet: the site the page names, else the host of its address without `www.`."""
    if site:
        return site
    if not source:
        return None
    try:
        host = urlsplit(source).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def derived_values(
    site: str | None, source: str | None, author: str | None, date: str | None
) -> dict[str, str]:
    values = {"site": site_of(site, source), "author": author}
    if date and re.match(r"\d{4}", date):
        values["year"] = date[:4]
        if re.match(r"\d{4}-\d{2}", date):
            values["month"] = date[:7]
    return {name: value for name, value in values.items() if value}


_DERIVED_SELECT = "SELECT id, site, source, author, date FROM documents"


def attributes_by_document(
    db: sqlite_utils.Database, document_ids: Iterable[int] | None = None
) -> dict[int, dict[str, str]]:
    """Every document's attributes (derived and stored; stored win), names in order."""
    wanted = None if document_ids is None else set(document_ids)
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for doc_id, site, source, author, date in db.execute(_DERIVED_SELECT).fetchall():
        if wanted is None or doc_id in wanted:
            found[doc_id].update(derived_values(site, source, author, date))
    for doc_id, name, value in db.execute(
        "SELECT document_id, name, value FROM document_attributes"
    ).fetchall():
        if wanted is None or doc_id in wanted:
            found[doc_id][name] = value
    return {doc_id: dict(sorted(values.items())) for doc_id, values in found.items()}


def document_attributes(db: sqlite_utils.Database, doc_id: int) -> dict[str, str]:
    return attributes_by_document(db, [doc_id]).get(doc_id, {})


def attribute_summary(db: sqlite_utils.Database) -> list[AttributeInfo]:
    """Each attribute name in use: its type, how many documents carry it, how many values."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for values in attributes_by_document(db).values():
        for name, value in values.items():
            by_name[name].append(value)
    return [
        AttributeInfo(
            name=name,
            kind=value_kind(values),
            documents=len(values),
            values=len({" ".join(v.split()).casefold() for v in values}),
            derived=name in DERIVED and not _stored(db, name),
        )
        for name, values in sorted(by_name.items())
    ]


def _stored(db: sqlite_utils.Database, name: str) -> bool:
    row = db.execute("SELECT 1 FROM document_attributes WHERE name = ? LIMIT 1", [name])
    return row.fetchone() is not None


def set_attributes(db: sqlite_utils.Database, doc_id: int, values: Mapping[str, str]) -> None:
    """Set (add or replace) attributes of a document inside the caller's transaction; `site`
    and `author` correct the metadata, `year` and `month` are refused (they follow the date)."""
    cleaned = {clean_name(name): value for name, value in values.items()}
    cleaned = {name: clean_value(name, value) for name, value in cleaned.items()}
    for name in cleaned:
        if name in ("year", "month"):
            raise UsageError(f"{name} follows the document's date: correct the date instead")
    corrections = {name: cleaned.pop(name) for name in list(cleaned) if name in FROM_METADATA}
    if corrections:
        correct_metadata(db, doc_id, corrections, [])
    now = utc_now()
    for name, value in cleaned.items():
        db.execute(
            "INSERT INTO document_attributes (document_id, name, value, updated) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (document_id, name) DO UPDATE "
            "SET value = excluded.value, updated = excluded.updated",
            [doc_id, name, value, now],
        )


def edit_document(
    db: sqlite_utils.Database,
    doc_id: int,
    corrections: Mapping[str, str],
    clear: list[str],
    values: Mapping[str, str],
    unset: Iterable[str],
) -> None:
    """Metadata corrections and attributes set and unset, inside the caller's one transaction:
    a refusal of any of them leaves the document as it was."""
    if corrections or clear:
        correct_metadata(db, doc_id, corrections, clear)
    if values:
        set_attributes(db, doc_id, values)
    for name in unset:
        unset_attribute(db, doc_id, name)


def unset_attribute(db: sqlite_utils.Database, doc_id: int, name: str) -> None:
    """Remove a stored attribute (or the correction behind `site` or `author`)."""
    name = clean_name(name)
    if name in ("year", "month"):
        raise UsageError(f"{name} follows the document's date: clear the date instead")
    if name in FROM_METADATA:
        if name not in corrections_for(db, doc_id):
            raise UsageError(f"the document's {name} is its file's own, not one you set")
        correct_metadata(db, doc_id, {}, [name])
        return
    cursor = db.execute(
        "DELETE FROM document_attributes WHERE document_id = ? AND name = ?", [doc_id, name]
    )
    if not cursor.rowcount:
        raise UsageError(f"the document has no attribute {name}")


def documents_where(
    db: sqlite_utils.Database,
    name: str,
    value: str | None = None,
    low: str | None = None,
    high: str | None = None,
) -> set[int]:
    """Documents whose attribute `name` equals `value`, or lies within `low`..`high` (either
    may be None: open); numbers compare by size, dates by period (`2025` holds `2025-01`),
    text ignoring case, as search and the library filter do (reader/text/attribute_filters.py).
    `value` None and no range: documents that carry it."""
    name = clean_name(name)
    everything = attributes_by_document(db)
    carried = {doc_id: values[name] for doc_id, values in everything.items() if name in values}
    if not carried and name not in DERIVED:
        in_use = sorted({n for values in everything.values() for n in values})
        near = difflib.get_close_matches(name, in_use, n=3)
        hint = f" ({', '.join(near)}?)" if near else ""
        raise UsageError(f"no document has the attribute '{name}'{hint}")
    wanted = value.strip() if value is not None else None
    problems: list[str] = []
    test = value_test(
        AttributeFilter(name, wanted, low, high), value_kind(carried.values()), problems
    )
    if problems:
        raise UsageError(problems[0])
    return {doc_id for doc_id, v in carried.items() if test(v)}
