"""Typo expansion in a large vocabulary: a misspelt common word means the common word, however
many rare words a big corpus holds as near (#16: `sancitons` fell out of the top 10 at 100k)."""

from __future__ import annotations

import sqlite3

import pytest

from reader.search.query import parse_query
from reader.search.vocabulary import MAX_EXPANSIONS, _one_edit_away, expand, osa_distance


def vocabulary(terms: dict[str, int]) -> sqlite3.Connection:
    """An in-memory store holding only the vocabulary tables the expansion reads."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL)")
    conn.execute("CREATE TABLE search_suffixes (reversed TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO search_terms VALUES (?, ?)", terms.items())
    conn.executemany("INSERT INTO search_suffixes VALUES (?)", [(t[::-1],) for t in terms])
    return conn


def crowded(word: str, common: str, rare_count: int) -> dict[str, int]:
    """`common` (frequent) among `rare_count` rare words one or two edits from `word`, most of
    them sorting before `common`, as a big corpus of names and made-up words holds them."""
    rare = sorted(t for t in _one_edit_away(word) if t[:3] == word[:3] and t != common)
    twice = sorted(t + "x" for t in rare if len(t) < len(word) + 1)
    terms = dict.fromkeys((rare + twice)[:rare_count], 2)
    terms[common] = 76_000
    return terms


def expansions(conn: sqlite3.Connection, query: str) -> dict[str, float]:
    parsed = parse_query(query)
    return expand(conn, parsed.terms, parsed.completing)[0].expansions


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("sancitons", "sanctions"), ("pipleine", "pipeline"), ("ebmassy", "embassy")],
)
def test_a_common_word_outranks_rare_near_misses(typed: str, meant: str) -> None:
    terms = crowded(typed, meant, rare_count=300)
    assert osa_distance(typed, meant, 2) == 1
    found = expansions(vocabulary(terms), typed)
    assert len(found) <= MAX_EXPANSIONS
    assert meant in found
    others = [q for t, q in found.items() if t != meant and osa_distance(typed, t, 2) == 1]
    assert others and found[meant] > max(others)


def test_rare_near_misses_of_equal_frequency_keep_the_full_quality() -> None:
    conn = vocabulary({"sanctions": 5, "sanctionz": 5, "sanctians": 5})
    found = expansions(conn, "sanctionx")
    assert found["sanctions"] == found["sanctionz"] == pytest.approx(0.7)
    assert found["sanctians"] == pytest.approx(0.55)


def test_a_rare_word_near_nothing_common_is_still_found() -> None:
    conn = vocabulary({"vasmarin": 1, "sanctions": 76_000})
    assert "vasmarin" in expansions(conn, "vasmarni")
