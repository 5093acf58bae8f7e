"""The FTS5 queries a search asks for candidates with, best candidates first.

Each tier is an AND of ORs: each query word OR its near spellings and completions (from
reader/search/vocabulary.py). First every word as typed, then every word with its expansions,
then (to fill up) all but one word, then each word alone, the rarest first. Words too common
to narrow anything down (in over a tenth of the paragraphs) are left out, for the re-ranking to
weigh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reader.search.query import ParsedQuery
from reader.search.vocabulary import TermGroup

COMMON_SHARE = 0.1  # a word in more than this share of paragraphs (and more than
COMMON_COUNT = 1000  # this many) does not narrow the search down: the re-ranking weighs it


def fts_string(term: str) -> str:
    """An FTS5 string: user text only ever reaches MATCH inside double quotes."""
    return '"' + term.replace('"', '""') + '"'


def match_tiers(
    groups: Sequence[TermGroup],
    parsed: ParsedQuery,
    paragraphs: int,
    spellings: Mapping[str, Sequence[str]] | None = None,
) -> tuple[list[str], int]:
    """FTS5 MATCH expressions, best candidates first (see the module docstring), and how many
    of them (the first ones) require every word; a phrase or excluded word also stands for its
    `spellings` ("đokovic" for "djokovic")."""
    spellings = spellings or {}

    def spelt(word: str, star: str = "") -> str:
        options = [fts_string(word) + star] + [fts_string(s) for s in spellings.get(word, ())]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    usable = [g for g in groups if g.searchable]
    common = max(COMMON_SHARE * paragraphs, COMMON_COUNT)
    selective = [g for g in usable if g.df <= common]
    if usable and not selective:
        selective = [min(usable, key=lambda g: g.df)]
    required = []
    for i, phrase in enumerate(parsed.phrases):
        open_end = parsed.open_phrase and i == len(parsed.phrases) - 1
        required += [spelt(w) for w in phrase[:-1]]
        required.append(spelt(phrase[-1], "*" if open_end else ""))

    def any_of(terms: Sequence[str], prefix: str | None = None) -> str:
        options = [fts_string(t) for t in terms] + ([fts_string(prefix) + "*"] if prefix else [])
        return "(" + " OR ".join(options) + ")"

    def every(g: TermGroup) -> str:
        return any_of(list(g.expansions), g.prefix if g.whole_prefix else None)

    def all_of(parts: list[str]) -> str:
        return " AND ".join(parts)

    tiers = []
    n = len(selective)
    if (
        n
        and all(g.exact for g in selective)
        and any(g.whole_prefix or g.exact != [*g.expansions] for g in selective)
    ):
        tiers.append(all_of(required + [any_of(g.exact) for g in selective]))
    if n or required:
        tiers.append(all_of(required + [every(g) for g in selective]))
    complete = len(tiers)
    if 3 <= n <= 5:
        for skip in range(n):
            tiers.append(
                all_of(required + [every(g) for i, g in enumerate(selective) if i != skip])
            )
    if n >= 2:  # any one word: the rarest first, so that its few rows are read before the cap
        for g in sorted(selective, key=lambda g: g.df):
            tiers.append(all_of([*required, every(g)]))
    not_words = [p[0] for p in parsed.excluded if len(p) == 1]
    if not_words:
        excluded = any_of([s for w in not_words for s in (w, *spellings.get(w, ()))])
        tiers = [f"({tier}) NOT {excluded}" for tier in tiers]
    return tiers, complete
