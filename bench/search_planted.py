"""Planted queries of the search benchmark beyond bench/search_corpus.py's (#16): names with
letters that have no Unicode decomposition typed as people type them, tag names typed as plain
words, and typos of common words; and the check that a planted query can be told apart.

A query is only a fair test if its right answer is one of few: "Đurić belgrade" names hundreds
of paragraphs at 100,000 articles. `identifiable` keeps the queries whose right spelling holds in
at most `AMBIGUOUS` paragraphs of the measured corpus (counted by FTS5, which folds as search
does) and says how many it left out.
"""

from __future__ import annotations

import random
import re
import sqlite3
import unicodedata
from collections import Counter
from pathlib import Path

from search_corpus import DOMAIN_WORDS, TAGS, Highlight, PlantedQuery, _typo

# How each letter is usually typed in ASCII; Đ and Ø have two usual spellings.
TYPED = {
    "đ": ("dj", "d"),
    "ł": ("l",),
    "ø": ("o", "oe"),
    "ß": ("ss",),
    "æ": ("ae",),
    "þ": ("th",),
}
FOLDED_WORD = re.compile(r"\b[^\W_]*[" + "".join(TYPED) + r"][^\W_]*", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")
AMBIGUOUS = 3  # a query whose right words are in more paragraphs than this is left out


def typed_ascii(word: str, rng: random.Random) -> str:
    """`word` as typed on an ASCII keyboard: "Østergaard" as "Ostergaard" or "Oestergaard"."""
    out = []
    for ch in word:
        options = TYPED.get(ch.lower())
        if options is None:
            out.append(ch)
            continue
        spelt = rng.choice(options)
        out.append(spelt.capitalize() if ch.isupper() else spelt)
    plain = unicodedata.normalize("NFKD", "".join(out))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def plant_folded_queries(
    corpus: Path, documents: int, distinctive: set[str], per_letter: int = 4, seed: int = 16
) -> list[PlantedQuery]:
    """For each letter of `TYPED`: a name spelt with it, typed in ASCII, and a distinctive word
    of the same paragraph (the name alone names hundreds of paragraphs)."""
    rng = random.Random(seed)
    queries: list[PlantedQuery] = []
    wanted = Counter({letter: per_letter for letter in TYPED})
    for i in rng.sample(range(documents), documents):
        if not +wanted:
            break
        text = (corpus / f"{i:05d}.txt").read_text("utf-8")
        at = 0
        for line in text.split("\n"):
            names = [n for n in FOLDED_WORD.findall(line) if any(wanted[c] for c in n.lower())]
            others = sorted({w for w in WORD.findall(line) if w.lower() in distinctive})
            if names and others:
                name, other = rng.choice(names), rng.choice(others)
                letter = next(c for c in name.lower() if wanted[c] > 0)
                wanted[letter] -= 1
                query = f"{typed_ascii(name, rng)} {other}"
                span = (at, at + len(line))
                queries.append(
                    PlantedQuery("folded", query, f"{i:05d}.txt", *span, words=(name, other))
                )
                break
            at += len(line) + 1
    return queries


def plant_tag_name_queries(
    highlights: list[Highlight], rare: set[str], per_kind: int = 6, seed: int = 17
) -> list[PlantedQuery]:
    """A tag's name typed as a plain word (no `tag:`): a whole segment ("energy" for
    topic/energy/gas), a leaf ("gas") or a prefix ("geopol"); any highlight carrying a tag with
    that word is right. And a tag word with a distinctive word of the highlight's quote: that
    highlight is right."""
    rng = random.Random(seed)
    queries = []
    segments = sorted({s for t in TAGS for s in t.split("/") if len(s) >= 4})
    for segment in rng.sample(segments, min(per_kind, len(segments))):
        typed = segment if rng.random() < 0.6 else segment[: max(4, len(segment) * 2 // 3)]
        carrying = tuple(t for t in TAGS if any(s.startswith(typed) for s in t.split("/")))
        queries.append(PlantedQuery("tag_name", typed, "", 0, 0, True, tags=carrying))
    tagged = [h for h in highlights[:5000] if h[5]]
    for path, start, end, quote, _, tags in rng.sample(tagged, len(tagged)):
        quoted = [w for w in WORD.findall(quote) if w.lower() in rare]
        if not quoted:
            continue
        segment, word = rng.choice(rng.choice(tags).split("/")), rng.choice(quoted)
        right = (segment, word)  # paragraphs holding both compete with the highlight, fairly
        queries.append(
            PlantedQuery("tag_quote", f"{segment} {word}", path, start, end, True, words=right)
        )
        if sum(q.kind == "tag_quote" for q in queries) >= per_kind:
            break
    return queries


def plant_common_typos(per_kind: int = 6, seed: int = 18) -> list[PlantedQuery]:
    """A common word with two letters swapped, alone ("sancitons", the query that fell out of
    the top 10 at 100,000 articles): any result holding the word is right."""
    rng = random.Random(seed)
    long_words = [w for w in DOMAIN_WORDS if len(w) >= 7 and w != "sanctions"]
    queries = [PlantedQuery("common_typo", "sancitons", "", 0, 0, word="sanctions")]
    for word in rng.sample(long_words, per_kind - 1):
        queries.append(PlantedQuery("common_typo", _typo(word, rng), "", 0, 0, word=word))
    return queries


def right_paragraphs(conn: sqlite3.Connection, words: tuple[str, ...]) -> int:
    """Paragraphs holding every one of `words` (up to AMBIGUOUS + 1); "word*" stands for any
    word starting with "word"."""
    match = " AND ".join(
        '"' + w.rstrip("*").replace('"', '""') + '"' + ("*" if w.endswith("*") else "")
        for w in words
    )
    rows = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM search_text WHERE search_text MATCH ? LIMIT ?)",
        (match, AMBIGUOUS + 1),
    ).fetchone()
    return int(rows[0])


def identifiable(
    conn: sqlite3.Connection, queries: list[PlantedQuery], per_kind: int = 6, per_letter: int = 3
) -> tuple[list[PlantedQuery], Counter[str]]:
    """The first `per_kind` queries of each kind (`per_letter` of each folded letter) whose right
    answer is one of at most AMBIGUOUS paragraphs, and how many of each kind were ambiguous
    (queries are planted in surplus, so that enough are left at 100,000 articles)."""
    kept, dropped, taken = [], Counter(), Counter()
    for query in queries:
        group = query.kind
        if query.kind == "folded":
            group += next(c for c in query.words[0].lower() if c in TYPED)
        if taken[group] >= (per_letter if query.kind == "folded" else per_kind):
            continue
        if query.words and right_paragraphs(conn, query.words) > AMBIGUOUS:
            dropped[query.kind] += 1
        else:
            kept.append(query)
            taken[group] += 1
    return kept, dropped
