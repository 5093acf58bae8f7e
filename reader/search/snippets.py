"""Short excerpts around a match, as (text, is_match) pieces: plain data, no markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.search.results import SnippetPiece

SNIPPET_CHARS = 160
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    """One line: every run of whitespace (newlines too) becomes one space."""
    return _SPACES.sub(" ", text)


def _cut_start(text: str, at: int) -> int:
    """Move a cut point at `at` forward to the start of a word (never past 20 characters)."""
    if at <= 0:
        return 0
    space = text.find(" ", at, at + 20)
    return space + 1 if space >= 0 else at


def _cut_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", max(0, at - 20), at)
    return space if space >= 0 else at


def make_snippet(
    text: str,
    marks: Iterable[tuple[int, int]],
    focus: tuple[int, int],
    width: int = SNIPPET_CHARS,
) -> tuple[SnippetPiece, ...]:
    """About `width` characters of `text` around `focus`, with `marks` (spans) marked."""
    start, end = focus
    if end - start >= width:
        lo, hi = start, start + width
    else:
        room = width - (end - start)
        lo = max(0, start - room // 2)
        hi = min(len(text), lo + width)
        lo = max(0, hi - width)
    lo, hi = _cut_start(text, lo) if lo > 0 else 0, _cut_end(text, hi)
    if lo > start:
        lo = start
    if hi < min(end, lo + width):
        hi = min(end, lo + width)
    pieces: list[SnippetPiece] = []
    if lo > 0:
        pieces.append((ELLIPSIS, False))
    at = lo
    for mark_start, mark_end in sorted(marks):
        mark_start, mark_end = max(mark_start, at), min(mark_end, hi)
        if mark_start >= mark_end:
            continue
        if mark_start > at:
            pieces.append((_flat(text[at:mark_start]), False))
        pieces.append((_flat(text[mark_start:mark_end]), True))
        at = mark_end
    if at < hi:
        pieces.append((_flat(text[at:hi]), False))
    if hi < len(text):
        pieces.append((ELLIPSIS, False))
    return tuple(pieces)
