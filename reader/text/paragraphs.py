"""Paragraphs of a canonical text, as the search index stores them.

Here, among the pure text helpers, so that a parse worker computes them without importing the
search package (which brings in sqlite_utils: ~70 ms more per worker start).
"""

from __future__ import annotations

Spans = list[tuple[int, int]]


def passage_spans(text: str) -> Spans:
    """(start, end) of every paragraph: a line of the canonical text holding visible text."""
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans
