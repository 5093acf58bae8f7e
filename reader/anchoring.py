"""Place quotes in canonical text: find occurrences, record context, re-find after edits.

A wrong placement is worse than an orphan, so re-anchoring here only accepts exact matches:
the old offsets still holding the quote, or the quote found verbatim elsewhere with the
stored prefix/suffix choosing among repeats. Anything less becomes an orphan, kept intact.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.models import AnchorStatus

CONTEXT_CHARS = 48


@dataclass(frozen=True)
class Placement:
    """Where an annotation now sits, and how it was found."""

    start: int
    end: int
    status: AnchorStatus


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `quote` in `text`."""
    if not quote:
        return []
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix around [start, end), CONTEXT_CHARS each where the text has them."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _common_suffix_length(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def reanchor(text: str, start: int, end: int, quote: str, prefix: str, suffix: str) -> Placement:
    """Place an annotation in a changed `text`; orphaned when no exact, unambiguous spot exists."""
    if 0 <= start <= end <= len(text) and text[start:end] == quote:
        return Placement(start, end, "anchored")
    candidates = occurrences(text, quote)
    if not candidates:
        return Placement(start, end, "orphaned")
    if len(candidates) == 1:
        at = candidates[0]
        return Placement(at, at + len(quote), "moved")
    scored = []
    for at in candidates:
        before, after = context(text, at, at + len(quote))
        score = _common_suffix_length(before, prefix) + _common_prefix_length(after, suffix)
        scored.append((score, at))
    scored.sort(reverse=True)
    best_score, best = scored[0]
    if best_score == 0 or best_score == scored[1][0]:
        return Placement(start, end, "orphaned")  # repeats with nothing to tell them apart
    return Placement(best, best + len(quote), "moved")
