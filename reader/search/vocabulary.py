"""Expand each query word to the index terms it may mean: itself, near spellings, completions.

The vocabulary (`search_terms`) is never loaded whole. Edits are counted as optimal string
alignment (a swap of two neighbouring letters is one edit). Near spellings one edit away are
looked up directly: every such string is generated (a few hundred) and looked up. Two edits away
(words of 9+ letters), the pigeonhole principle picks the candidates: the term keeps the word's
first third as its prefix or its last third as its suffix, so two range scans, one on the term
and one on its reverse, find them, and rapidfuzz checks them. Two edits in both the first and
the last third of a word are not looked for. A word the index holds often is taken as spelt
right and gets no near spellings.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.search.folding import ACCENT_FOLDED, folded_terms, same_word_folded
from reader.search.index import VOCABULARY_STALE
from reader.search.query import ParsedQuery, Term
from reader.search.typos import allowed_edits as allowed_edits

MAX_EXPANSIONS = 24
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
SURELY_SPELT = 20  # a word the index holds this often is taken as spelt right: no typos looked for
MIN_PREFIX_CHARS = 2
MAX_PREFIX_TERMS = 300  # up to this many completions, FTS5 looks for them all ("word"*)
EXACT = 1.0
FUZZY_QUALITY = {1: 0.7, 2: 0.55}
RARITY_PENALTY = 0.1  # a near spelling far rarer than the commonest one scores this much less


def osa_distance(a: str, b: str, limit: int) -> int | None:
    """Edits (optimal string alignment: a swap of neighbours is one) from `a` to `b` if at most
    `limit`, else None. Plain Python, for the few short words of tag names."""
    if abs(len(a) - len(b)) > limit:
        return None
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            value = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None


def prefix_quality(prefix: str, term: str) -> float:
    """A completion scores below a whole word, better the more of the word was typed."""
    return 0.75 + 0.15 * len(prefix) / max(len(term), 1)


@dataclass
class TermGroup:
    """A query word and the index terms standing for it, each with a match quality in (0, 1]."""

    term: Term
    expansions: dict[str, float] = field(default_factory=dict)
    prefix: str | None = None  # also matches any word starting with this (a partial word)
    whole_prefix: bool = False  # FTS5 looks for every word starting with `prefix` (few do)
    df: int = 0  # paragraphs and notes holding one of the expansions (an upper bound)

    @property
    def exact(self) -> list[str]:
        return [t for t, q in self.expansions.items() if q >= EXACT]

    @property
    def searchable(self) -> bool:
        return bool(self.expansions) or self.whole_prefix


def _upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _one_edit_away(word: str) -> set[str]:
    """Every string one edit (delete, swap, replace, insert) from `word`, over ASCII letters,
    digits and the word's own letters."""
    alphabet = set(ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    variants |= {a + c + b for a, b in splits for c in alphabet}
    variants.discard(word)
    return variants


def _known(conn: sqlite3.Connection, words: set[str]) -> list[str]:
    found: list[str] = []
    ordered = sorted(words)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        placeholders = ", ".join("?" for _ in chunk)
        rows = conn.execute(f"SELECT term FROM search_terms WHERE term IN ({placeholders})", chunk)
        found += [row[0] for row in rows]
    return found


def _with_prefix(conn: sqlite3.Connection, prefix: str, lengths: range) -> list[str]:
    rows = conn.execute(
        "SELECT term FROM search_terms WHERE term >= ? AND term < ? "
        "AND length(term) BETWEEN ? AND ?",
        (prefix, _upper_bound(prefix), lengths.start, lengths.stop - 1),
    )
    return [row[0] for row in rows]


def _with_suffix(conn: sqlite3.Connection, suffix: str, lengths: range) -> list[str]:
    backwards = suffix[::-1]
    rows = conn.execute(
        "SELECT reversed FROM search_suffixes WHERE reversed >= ? AND reversed < ? "
        "AND length(reversed) BETWEEN ? AND ?",
        (backwards, _upper_bound(backwards), lengths.start, lengths.stop - 1),
    )
    return [row[0][::-1] for row in rows]


def near_terms(conn: sqlite3.Connection, word: str) -> dict[str, int]:
    """Index terms within `allowed_edits(word)` edits of `word` (not `word` itself): distances.

    One edit: every string one edit away is looked up. Two edits (9+ letters): the pigeonhole
    principle picks the candidates (see the module docstring) and rapidfuzz checks them.
    """
    edits = allowed_edits(word)
    if edits == 0:
        return {}
    if edits == 1:
        return dict.fromkeys(_known(conn, _one_edit_away(word)), 1)
    n, third = len(word), len(word) // 3
    lengths = range(n - edits, n + edits + 1)
    candidates = set(_with_prefix(conn, word[:third], lengths))
    candidates |= set(_with_suffix(conn, word[n - third :], lengths))
    candidates.discard(word)
    # Imported here: rapidfuzz takes 23 ms to import, and only this look-up needs its speed.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(
        word, list(candidates), scorer=OSA.distance, score_cutoff=edits, limit=None
    )
    return {term: int(distance) for term, distance, _ in found}


def likely_meant(conn: sqlite3.Connection, near: dict[str, int]) -> list[tuple[str, float]]:
    """Near spellings (term: edits) with their match quality, the likeliest meant first: fewer
    edits, then the words the index holds more often. A typo is far likelier to be of a common
    word ("sancitons": sanctions, in 76,000 paragraphs) than of one of the many rare words a
    large corpus holds at the same distance, so the rarer a candidate is next to the commonest,
    the lower its quality (by up to `RARITY_PENALTY`, on a log scale), and a cap on the
    expansions drops the rare ones first."""
    if not near:
        return []
    df = _frequencies(conn, near)
    commonest = {d: max(df.get(t, 0) for t, e in near.items() if e == d) for d in near.values()}
    ranked = []
    for term, edits in near.items():
        share = math.log1p(df.get(term, 0)) / math.log1p(commonest[edits] or 1)
        ranked.append((term, FUZZY_QUALITY[edits] - RARITY_PENALTY * (1 - share)))
    ranked.sort(key=lambda item: (near[item[0]], -df.get(item[0], 0), item[0]))
    return ranked


def _frequencies(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
    """Paragraphs and notes holding each of `terms` (those the index holds)."""
    wanted = sorted(set(terms))
    df: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        placeholders = ", ".join("?" for _ in chunk)
        df.update(
            conn.execute(
                f"SELECT term, df FROM search_terms WHERE term IN ({placeholders})", chunk
            ).fetchall()
        )
    return df


def _completions(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """The most frequent terms starting with `prefix` (not `prefix` itself): what a short
    prefix with too many completions for FTS5 to read them all quickly stands for."""
    rows = conn.execute(
        "SELECT term FROM search_terms WHERE term > ? AND term < ? ORDER BY df DESC LIMIT ?",
        (prefix, _upper_bound(prefix), MAX_EXPANSIONS),
    )
    return [row[0] for row in rows]


def expand(
    conn: sqlite3.Connection, terms: tuple[Term, ...], completing: str | None
) -> list[TermGroup]:
    """One group per query word: the word itself, its near spellings and, for a partial word
    (the one being typed, or one the index does not hold), its completions: all of them when
    they are few, else the most frequent."""
    if not terms:
        return []
    placeholders = ", ".join("?" for _ in terms)
    known = dict(
        conn.execute(
            f"SELECT term, df FROM search_terms WHERE term IN ({placeholders})",
            [t.text for t in terms],
        ).fetchall()
    )
    groups = []
    for term in terms:
        group = TermGroup(term)
        word = term.text
        if word in known:
            group.expansions[word] = EXACT
        for spelling in sorted(folded_terms(conn, word)):  # "djokovic" for "đokovic", and back
            group.expansions.setdefault(spelling, ACCENT_FOLDED)
        if known.get(word, 0) < SURELY_SPELT:
            for candidate, quality in likely_meant(conn, near_terms(conn, word)):
                group.expansions.setdefault(candidate, quality)
        if len(word) >= MIN_PREFIX_CHARS and (word == completing or word not in known):
            group.prefix = word
            count, df = conn.execute(
                "SELECT count(*), coalesce(sum(df), 0) FROM search_terms "
                "WHERE term > ? AND term < ?",
                (word, _upper_bound(word)),
            ).fetchone()
            if count <= MAX_PREFIX_TERMS:
                group.whole_prefix, group.df = count > 0, df
            else:
                for completion in _completions(conn, word):
                    group.expansions.setdefault(completion, prefix_quality(word, completion))
        if len(group.expansions) > MAX_EXPANSIONS:  # stable: the likeliest of equal quality
            best = sorted(group.expansions.items(), key=lambda item: -item[1])
            group.expansions = dict(best[:MAX_EXPANSIONS])
        groups.append(group)
    _add_frequencies(conn, groups)
    if _stale(conn):  # a large sync is under way: its words are counted at its end
        for group in groups:
            group.expansions.setdefault(group.term.text, EXACT)
    return groups


def _stale(conn: sqlite3.Connection) -> bool:
    """Whether a large sync has indexed paragraphs whose words the vocabulary lacks as yet."""
    try:
        row = conn.execute("SELECT 1 FROM ui_state WHERE name = ?", (VOCABULARY_STALE,))
    except sqlite3.OperationalError:  # an index on its own (tests), or a store before v7
        return False
    return row.fetchone() is not None


def _add_frequencies(conn: sqlite3.Connection, groups: list[TermGroup]) -> None:
    df = _frequencies(conn, (t for g in groups for t in g.expansions))
    for group in groups:
        group.expansions = {t: q for t, q in group.expansions.items() if df.get(t, 0) > 0}
        group.df += sum(df[t] for t in group.expansions)


def expand_over(words: list[str], parsed: ParsedQuery) -> list[TermGroup]:
    """Like `expand`, over a small list of words held in memory (the words of tag names)."""
    known = set(words)
    groups = []
    for term in parsed.terms:
        group = TermGroup(term)
        word = term.text
        if word in known:
            group.expansions[word] = EXACT
        for candidate in words:
            if same_word_folded(word, candidate):
                group.expansions.setdefault(candidate, ACCENT_FOLDED)
        edits = allowed_edits(word)
        for candidate in words if edits else ():
            distance = osa_distance(word, candidate, edits)
            if distance:
                group.expansions.setdefault(candidate, FUZZY_QUALITY[distance])
        if len(word) >= MIN_PREFIX_CHARS and (word == parsed.completing or word not in known):
            group.prefix = word
            for candidate in words:
                if candidate.startswith(word) and candidate != word:
                    group.expansions.setdefault(candidate, prefix_quality(word, candidate))
        groups.append(group)
    return groups
