"""Text as the search index sees it: passages, tokens, and folding that mirrors FTS5.

The index tokenizes with FTS5's `unicode61 remove_diacritics 2`: a token is a run of letters and
digits, lower-cased (case-folded), with accents removed from Latin letters. Query terms and the
words matched in passages are folded here the same way, so "Vučić", "VUCIC" and "vucic" are one
term. `fold` keeps every code point in place, so offsets found in folded text are offsets into
the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reader.text.paragraphs import passage_spans

# A token is what FTS5's unicode61 calls one: letters and digits; "_" and punctuation separate.
TOKEN = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# passage_spans is defined with the pure text helpers (parse workers use it) and given here.
__all__ = ["TOKEN", "fold", "fold_char", "passage_spans", "terms"]


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character as FTS5 folds it, or itself when folding would change the length.

    Case-folded (so "ς" is "σ" and "ſ" is "s", as FTS5 does), and a Latin letter whose
    decomposition is an ASCII letter plus combining marks loses the marks ("č" is "c",
    "İ" is "i"); "đ", "ł", "ø" and "ß" have no such decomposition and stay.
    """
    low = ch.casefold()
    if len(low) != 1:
        low = ch.lower()
    code = ord(ch)
    if 0x80 <= code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        decomposed = unicodedata.normalize("NFD", low)
        base, marks = decomposed[0], decomposed[1:]
        if base.isascii() and all(unicodedata.category(m) == "Mn" for m in marks):
            return base
    return low if len(low) == 1 else ch


def _fold_match(match: re.Match[str]) -> str:
    return fold_char(match.group())


def fold(text: str) -> str:
    """Case- and accent-folded `text` with exactly as many code points (offsets carry over)."""
    if text.isascii():
        return text.lower()
    lowered = text.lower()
    if len(lowered) != len(text):  # a character that lower-cases to two ("İ"): go one by one
        return "".join(fold_char(ch) for ch in text)
    return _NON_ASCII.sub(_fold_match, lowered)


def terms(text: str) -> list[str]:
    """The index terms of `text`, in order (with repeats)."""
    return TOKEN.findall(fold(text))
