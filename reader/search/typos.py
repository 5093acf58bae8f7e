"""How many typos a query word may hold, and so which terms the typo look-ups can ever read.

The vocabulary keeps its terms spelt backwards (`search_suffixes`) only for the look-up of
words two edits away, which reads candidates at most two letters shorter than the word: a
shorter term is never read there, so it is not kept (a first sync writes fewer rows).
The note triggers carry SUFFIX_MIN_CHARS as a number (migration v14): lowering it needs a
migration that makes them again (raising it only leaves rows that are never read).
"""

from __future__ import annotations


def allowed_edits(term: str) -> int:
    """How many typos a word may hold and still match: 0 up to 3 letters, 1 up to 8, then 2."""
    if len(term) <= 3:
        return 0
    return 1 if len(term) <= 8 else 2


TWO_EDITS_FROM = min(n for n in range(1, 64) if allowed_edits("x" * n) == 2)
"""The shortest word looked up two edits away (and so by its suffix)."""
SUFFIX_MIN_CHARS = TWO_EDITS_FROM - allowed_edits("x" * TWO_EDITS_FROM)
"""The shortest term a look-up by suffix reads: terms shorter than this are not spelt backwards."""
