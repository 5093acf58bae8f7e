"""Find a query's words in one text and score how well the text answers the query.

The score orders first by how many query words (and phrases) the text holds, then by how well
they match (whole word as typed, then with other accents, then completions, then typos), then
by how close together they stand, then by the kind of result (at equal match quality, the
reader's own notes, tags and highlights before document metadata and body text):

    score = (matched + 0.8 * quality + 0.15 * proximity + 0.05 * kind weight) / (words + 1)

`quality` is the mean best match quality over all query words (a missing word counts 0), so one
more matched word always outweighs better matches of fewer. Scores fall in (0, 1].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reader.search.folding import ACCENT_FOLDED  # "Vucic" for "Vučić", "Lukasz" for "Łukasz"
from reader.search.text import fold
from reader.search.vocabulary import EXACT, TermGroup, prefix_quality

# A reader's own annotations first (notes, tags, quotes), then document metadata, then body text.
KIND_WEIGHT = {"note": 1.0, "tag": 1.0, "quote": 1.0, "title": 0.8, "text": 0.6}
_BEFORE = r"(?<![^\W_])"  # not preceded by a letter or digit: a token starts here
_AFTER = r"(?![^\W_])"
_GAP = r"[\W_]+"


class Hit(NamedTuple):
    start: int
    end: int
    group: int  # index of the query word, or len(words) + i for the i-th phrase
    quality: float


@dataclass(frozen=True)
class TextMatch:
    hits: tuple[Hit, ...]
    span: tuple[int, int]  # the tightest stretch holding one hit of every matched group
    matched: int
    quality: float
    proximity: float

    def score(self, groups: int, kind: str) -> float:
        weight = KIND_WEIGHT.get(kind, 0.5)
        value = self.matched + 0.8 * self.quality + 0.15 * self.proximity + 0.05 * weight
        return value / (groups + 1)


def phrase_pattern(
    words: Sequence[str],
    last_is_prefix: bool = False,
    spellings: Mapping[str, Sequence[str]] | None = None,
) -> re.Pattern[str]:
    """Folded `words` one after the other, separated by anything that is not a letter/digit;
    a word may also be spelt as `spellings` gives ("đokovic" for "djokovic")."""
    spellings = spellings or {}
    body = _GAP.join(
        "(?:" + "|".join(re.escape(s) for s in (w, *spellings.get(w, ()))) + ")" for w in words
    )
    return re.compile(_BEFORE + body + (r"[^\W_]*" if last_is_prefix else _AFTER))


class Matcher:
    """Scores texts against the expanded query words, its phrases and its exclusions."""

    def __init__(
        self,
        groups: Sequence[TermGroup],
        phrases: Sequence[tuple[str, ...]] = (),
        excluded: Sequence[tuple[str, ...]] = (),
        open_phrase: bool = False,
        spellings: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.groups = list(groups)
        self.group_count = len(self.groups) + len(phrases)
        self._raw = [g.term.raw for g in self.groups]
        self._lookup: dict[str, list[tuple[int, float]]] = {}
        self._prefixes: list[tuple[str, int]] = []
        for index, group in enumerate(self.groups):
            for term, quality in group.expansions.items():
                self._lookup.setdefault(term, []).append((index, quality))
            if group.prefix:
                self._prefixes.append((group.prefix, index))
        words = [re.escape(a) + _AFTER for a in sorted(self._lookup, key=len, reverse=True)]
        words += [re.escape(p) + r"[^\W_]*" for p, _ in self._prefixes]
        self._words = re.compile(_BEFORE + "(?:" + "|".join(words) + ")") if words else None
        self._phrases = [
            phrase_pattern(p, open_phrase and i == len(phrases) - 1, spellings)
            for i, p in enumerate(phrases)
        ]
        self._excluded = [phrase_pattern(p, False, spellings) for p in excluded]

    def _word_hits(self, text: str, folded: str) -> list[Hit]:
        if self._words is None:
            return []
        hits = []
        lookup, prefixes, raw = self._lookup, self._prefixes, self._raw
        for m in self._words.finditer(folded):
            token = m.group()
            start, end = m.span()
            found = lookup.get(token, ())
            if prefixes:
                found = list(found)
                for prefix, index in prefixes:
                    if token.startswith(prefix) and all(i != index for i, _ in found):
                        found.append((index, prefix_quality(prefix, token)))
            for index, quality in found:
                if quality >= EXACT and text[start:end].lower() != raw[index]:
                    quality = ACCENT_FOLDED
                hits.append(Hit(start, end, index, quality))
        return hits

    def match(self, text: str) -> TextMatch | None:
        """How `text` answers the query, or None when it does not (nothing matched, a phrase
        missing, an excluded word present)."""
        folded = fold(text)
        for pattern in self._excluded:
            if pattern.search(folded):
                return None
        hits = self._word_hits(text, folded)
        base = len(self.groups)
        for i, pattern in enumerate(self._phrases):
            found = [Hit(m.start(), m.end(), base + i, EXACT) for m in pattern.finditer(folded)]
            if not found:
                return None
            hits += found
        if self._phrases:
            hits.sort()
        if not hits:
            return None
        best: dict[int, float] = {}
        for hit in hits:
            if hit.quality > best.get(hit.group, 0.0):
                best[hit.group] = hit.quality
        span, proximity = _tightest_span(hits, len(best))
        return TextMatch(
            hits=tuple(hits),
            span=span,
            matched=len(best),
            quality=sum(best.values()) / self.group_count,
            proximity=proximity,
        )


def _tightest_span(hits: Sequence[Hit], wanted: int) -> tuple[tuple[int, int], float]:
    """The shortest stretch of text holding a hit of each of `wanted` groups (`hits` in text
    order), and how densely the matched words fill it (1.0: side by side)."""
    counts: dict[int, int] = {}
    best_length, best_left, best_right = -1, 0, 0
    left = 0
    for right, hit in enumerate(hits):
        counts[hit.group] = counts.get(hit.group, 0) + 1
        while len(counts) == wanted:
            first = hits[left]
            length = hit.end - first.start
            if best_length < 0 or length < best_length:
                best_length, best_left, best_right = length, left, right
            counts[first.group] -= 1
            if not counts[first.group]:
                del counts[first.group]
            left += 1
    window = hits[best_left : best_right + 1]
    start, end = window[0].start, max(h.end for h in window)
    widths: dict[int, int] = {}
    for h in window:
        widths.setdefault(h.group, h.end - h.start)
    words = sum(widths.values()) + len(widths) - 1
    return (start, end), min(1.0, words / max(end - start, 1))
