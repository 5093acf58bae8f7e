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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader.corpus.attributes import DERIVED, derived_values
from reader.search.query import parse_query
from reader.search.vocabulary import allowed_edits, osa_distance
from reader.text.attribute_filters import AttributeFilter, is_date, value_kind

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")  # as value_kind reads one
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


def value_test(f: AttributeFilter, kind: str, problems: list[str]) -> Callable[[str], bool]:
    """A test of one value for filter `f` on an attribute typed `kind` (`number`, `date` or
    `text`). A range bound not of that type is a problem, and the range holds nothing."""
    if f.value is None and f.low is None and f.high is None:
        return lambda value: True
    compare = {"number": _compare_numbers, "date": _compare_dates}.get(kind, _compare_texts)
    bounds = [b for b in (f.value, f.low, f.high) if b is not None]
    bad = [b for b in bounds if not _fits(kind, b)]
    if bad and f.value is not None:
        compare = _compare_texts  # `wave:two`: no number, no match; said by the empty results
    elif bad:
        problems.append(f"'{shown(bad[0])}' is not a {kind}, and {f.name} holds {kind}s")
        return lambda value: False
    if f.value is not None:
        exact = f.value
        return lambda value: compare(value, exact) == 0
    low, high = f.low, f.high
    return lambda value: (
        (low is None or compare(value, low) >= 0) and (high is None or compare(value, high) <= 0)
    )


def _fits(kind: str, bound: str) -> bool:
    if kind == "number":
        return bool(_NUMBER.fullmatch(bound))
    return kind != "date" or is_date(bound)


def _compare_numbers(value: str, bound: str) -> int:
    a, b = float(value), float(bound)
    return (a > b) - (a < b)


def _compare_dates(value: str, bound: str) -> int:
    """0 when the periods meet (`2025` and `2025-01`), else which comes first."""
    common = min(len(value), len(bound))
    a, b = value[:common], bound[:common]
    return (a > b) - (a < b)


def _compare_texts(value: str, bound: str) -> int:
    a, b = _spaced(value), _spaced(bound)
    return (a > b) - (a < b)


def _spaced(text: str) -> str:
    return " ".join(text.split()).casefold()
