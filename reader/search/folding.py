"""Letters FTS5 cannot fold: "Djokovic" finds "Đoković", "Lukasz" finds "Łukasz", and back.

FTS5's `remove_diacritics 2` strips marks only from letters that decompose into a base letter
and marks; the letters below have no such decomposition and stay in the index as they are
("đokovic", "łukasz", "straße"). No transliteration library is installed, so this is the
short table of those letters (lower case, as the index holds them), spelt the usual ASCII way.
Đ is written "Dj" as often as "D" (Djokovic, Dokovic), and Ø "Oe" as often as "O" (Oersted,
Orsted): both spellings are looked for (`ALTERNATIVES`).

The index and the texts are never rewritten, so every offset still points into the original
text: the vocabulary is looked up by each term's ASCII key (a partial expression index on
`search_terms`, migrations v10 and v13), and the expansions found are matched in Python as the index
spells them. Changing `FOLDED_LETTERS` changes that index's expression: it needs a migration
that recreates the index (the look-up stays correct without one, only slower).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

FOLDED_LETTERS = {
    "đ": "d",  # Croatian, Serbian, Vietnamese; also "dj" (see ALTERNATIVES)
    "ð": "d",  # Icelandic, Faroese eth
    "ł": "l",  # Polish
    "ø": "o",  # Danish, Norwegian; also "oe"
    "ß": "ss",  # German
    "æ": "ae",  # Danish, Norwegian, Icelandic
    "œ": "oe",  # French
    "þ": "th",  # Icelandic thorn
    "ħ": "h",  # Maltese
    "ŧ": "t",  # Northern Sami
    "ı": "i",  # Turkish dotless i
    "ŀ": "l",  # Catalan middle-dot l
    "ĸ": "q",  # Greenlandic kra
    "ĳ": "ij",  # Dutch ligature
    "ǆ": "dz",  # Latin digraphs of Serbo-Croatian
    "ǉ": "lj",
    "ǌ": "nj",
}
ALTERNATIVES = (("đ", "dj"), ("ø", "oe"))  # the other usual ASCII spelling of a letter
ACCENT_FOLDED = 0.97  # a term found by its ASCII spelling scores as an accent variant does
_MAX_LOOKUPS = 24


def has_folded_letter(term: str) -> bool:
    return not term.isascii() and any(ch in FOLDED_LETTERS for ch in term)


def ascii_key(term: str) -> str:
    """`term` (folded as the index folds) with every letter of the table spelt in ASCII."""
    if term.isascii():
        return term
    return "".join(FOLDED_LETTERS.get(ch, ch) for ch in term)


def sql_ascii_key(column: str) -> str:
    """`ascii_key` as an SQL expression over `column` (nested replace(), so that an index and
    a query written with it are the same expression)."""
    expression = column
    for letter, ascii_spelling in FOLDED_LETTERS.items():
        expression = f"replace({expression}, '{letter}', '{ascii_spelling}')"
    return expression


# The partial index's condition: the term holds at least one letter of the table. The GLOB
# costs ~0.4 us a term, so only non-ASCII terms (more bytes than characters) reach it: making
# the index after a first sync of 1,000 articles (87,000 terms) takes 6 ms instead of 37 ms.
# A query must carry this whole condition for the planner to use the index (migration v13).
SQL_HAS_FOLDED_LETTER = (
    "length(CAST(term AS BLOB)) > length(term) AND term GLOB '*[" + "".join(FOLDED_LETTERS) + "]*'"
)
SQL_FOLDED_INDEX = (
    f"CREATE INDEX search_terms_by_ascii_key ON search_terms ({sql_ascii_key('term')}) "
    f"WHERE {SQL_HAS_FOLDED_LETTER}"
)


def spellings(term: str) -> set[str]:
    """The ASCII spellings `term` may stand for (itself excluded): "đokovic" is "dokovic" and
    "djokovic"; "straße" is "strasse"."""
    if not has_folded_letter(term):
        return set()
    variants = {term}
    for letter, other in ALTERNATIVES:
        variants |= {v.replace(letter, other) for v in variants}
    found = {ascii_key(v) for v in variants}
    found.discard(term)
    return found


def keys_to_look_up(term: str) -> set[str]:
    """ASCII keys under which the index's terms with table letters may hold `term`: its own
    key, and with each alternative spelling read as its letter ("dj" as "đ", keyed "d"), so
    "djokovic" finds "đokovic"."""
    keys = {ascii_key(term)}
    for letter, other in ALTERNATIVES:
        keys |= {k.replace(other, FOLDED_LETTERS[letter]) for k in keys if other in k}
    return keys


def folded_terms(conn: sqlite3.Connection, term: str) -> set[str]:
    """Index terms that are `term` spelt with or without the table's letters (not `term`)."""
    found: set[str] = set()
    plain = sorted(spellings(term))
    if plain:
        placeholders = ", ".join("?" for _ in plain)
        rows = conn.execute(f"SELECT term FROM search_terms WHERE term IN ({placeholders})", plain)
        found.update(row[0] for row in rows)
    sql = (
        f"SELECT term FROM search_terms WHERE {sql_ascii_key('term')} = ? "
        f"AND {SQL_HAS_FOLDED_LETTER} LIMIT {_MAX_LOOKUPS}"
    )
    for key in sorted(keys_to_look_up(term)):
        found.update(row[0] for row in conn.execute(sql, (key,)))
    found.discard(term)
    return found


def phrase_spellings(
    conn: sqlite3.Connection, phrases: Iterable[tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """The other index spellings of each word of `phrases` (quoted or excluded words), for the
    words that have any: `"novak djokovic"` also matches "Novak Đoković"."""
    found: dict[str, tuple[str, ...]] = {}
    for word in {w for phrase in phrases for w in phrase}:
        others = folded_terms(conn, word)
        if others:
            found[word] = tuple(sorted(others))
    return found


def same_word_folded(word: str, candidate: str) -> bool:
    """Whether two different words are one word spelt with and without the table's letters
    (for the few words of tag names, held in memory)."""
    if word == candidate:
        return False
    return (has_folded_letter(candidate) and ascii_key(candidate) in keys_to_look_up(word)) or (
        has_folded_letter(word) and ascii_key(word) in keys_to_look_up(candidate)
    )
