"""Which documents a query's attribute filters let through (`outlet:ECFR`, `year:2022..2024`,
`-wave:3`), and what is wrong with them; the named attributes are read once per search.

Values compare as reader/text/attribute_filters.py types them: as numbers when every value of the
attribute is a number, as ISO dates when every value is a date, else as text ignoring case and
runs of spaces. A date stands for its whole period, so a value and a bound match when their
periods meet: `month:2025` holds `2025-01`, `year:2024-06..` holds `2024`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.corpus.attributes import DERIVED, derived_values
from reader.search.query import parse_query
from reader.search.vocabulary import allowed_edits, osa_distance
from reader.text.attribute_filters import AttributeFilter, value_kind, value_test

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SHOWN_CHARS = 40


@dataclass(frozen=True)
class AttributeScope:
    """The documents all the attribute filters let through, and why some let none through."""

    documents: frozenset[int]
    problems: tuple[str, ...] = ()


def attribute_values(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, dict[int, str]]:
    """Each named attribute's value by document: derived from the metadata (`site`, `author`,
    `year`, `month`) or stored, stored ones winning as in `attributes_by_document`."""
    wanted = sorted(set(names))
    found: dict[str, dict[int, str]] = {name: {} for name in wanted}
    derived = set(wanted) & set(DERIVED)
    if derived:  # only the columns these need: the rest read as NULL
        columns = [
            column if needed else "NULL"
            for column, needed in [
                ("site", "site" in derived),
                ("source", "site" in derived),
                ("author", "author" in derived),
                ("date", bool(derived & {"year", "month"})),
            ]
        ]
        seen: dict[tuple[str | None, ...], dict[str, str]] = {}  # many documents share a date
        for doc_id, *metadata in conn.execute(f"SELECT id, {', '.join(columns)} FROM documents"):
            key = tuple(metadata)
            if key not in seen:
                seen[key] = derived_values(*key)
            for name, value in seen[key].items():
                if name in derived:
                    found[name][doc_id] = value
    marks = ", ".join("?" for _ in wanted)
    for doc_id, name, value in conn.execute(
        f"SELECT document_id, name, value FROM document_attributes WHERE name IN ({marks})",
        wanted,
    ):
        found[name][doc_id] = value
    return found


def documents_by_attributes(
    conn: sqlite3.Connection, filters: Sequence[AttributeFilter]
) -> AttributeScope:
    """Documents passing every attribute: for each name, one of its filters holds (they are
    alternatives) and none of its `-` filters. A name no document carries lets none through."""
    values = attribute_values(conn, (f.name for f in filters))
    unknown = [name for name, by_doc in values.items() if not by_doc]
    if unknown:
        return AttributeScope(frozenset(), tuple(unknown_name(conn, name) for name in unknown))
    problems: list[str] = []
    wanted: dict[str, set[int]] = {}
    dropped: set[int] = set()
    for f in filters:
        by_doc = values[f.name]
        distinct = set(by_doc.values())  # few (years, outlets): each is typed and tested once
        test = value_test(f, value_kind(distinct), problems)
        passing = {value for value in distinct if test(value)}
        held = {doc_id for doc_id, value in by_doc.items() if value in passing}
        if f.negated:
            dropped |= held
        else:
            wanted.setdefault(f.name, set()).update(held)
    if wanted:
        documents = set.intersection(*wanted.values())
    else:
        documents = {row[0] for row in conn.execute("SELECT id FROM documents")}
    return AttributeScope(frozenset(documents - dropped), tuple(dict.fromkeys(problems)))


def query_problems(conn: sqlite3.Connection, query: str) -> tuple[str, ...]:
    """What the CLI or the TUI should say about `query` besides its results: words or filters
    left out, unknown kinds, attributes no document has, range bounds of the wrong type."""
    parsed = parse_query(query)
    problems = parsed.problems
    if parsed.attributes:
        problems += documents_by_attributes(conn, parsed.attributes).problems
    return problems


def unknown_name(conn: sqlite3.Connection, name: str) -> str:
    """`no document has the attribute 'outlt' (outlet?)`: the nearest names in use, if any."""
    stored = [row[0] for row in conn.execute("SELECT DISTINCT name FROM document_attributes")]
    derived = [n for n, by_doc in attribute_values(conn, DERIVED).items() if by_doc]
    in_use = sorted(set(stored) | set(derived))
    edits = max(allowed_edits(name), 1)
    near = [n for n in in_use if osa_distance(name, n, edits) is not None]
    near = near or [n for n in in_use if n.startswith(name) or name.startswith(n)]
    hint = f" ({', '.join(near[:3])}?)" if near else ""
    return f"no document has the attribute '{name}'{hint}"


def shown(text: str) -> str:
    return _CONTROLS.sub("?", text)[:SHOWN_CHARS]
