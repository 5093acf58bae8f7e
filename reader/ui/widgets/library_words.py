"""The library filter's prepared index: each row's words, and every distinct word once.

A query word is scored against the distinct words of the library (at 100,000 articles some
tens of thousands, ~7 letters each) instead of every row's whole "title author path" (~80
letters each), and each row takes the best score among its own words: a keystroke then scores
a few times fewer letters. A row word is scored with a space on each side, as it stands in the
row, so it scores what the best stretch of the query word's length over it scored in the whole
string; only stretches across two words ("ser b" in "user bonds" for "serb") no longer count.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

EXACT_TOKEN_LENGTH = 3
"""Query words this short must occur literally; fuzzy scores mean little for them."""
FUZZY_CUTOFF = 75
"""Lowest `partial_ratio` a longer query word may score: one transposed or missing letter in a
six-letter word ("serbai" against "serbia") scores 83, unrelated words of that length 67 or
less."""
BUILD_ROWS = 5_000
"""Rows split into words at a time while the index is built (in a thread, beside the UI)."""
PARALLEL_WORDS = 20_000
"""From this many words a query word is scored in one slice per core: `cdist` scores a
single query on one thread, and releases the GIL, so slices side by side take ~1/cores."""


def _cores() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


_helpers: ThreadPoolExecutor | None = None
_helpers_made = threading.Lock()


def _helper_threads() -> ThreadPoolExecutor:
    """The threads that score the other slices (the caller scores the first), made once."""
    global _helpers
    with _helpers_made:
        if _helpers is None:
            _helpers = ThreadPoolExecutor(max(1, _cores() - 1), "library-score")
    return _helpers


def batch_scores(word: str, pool: Sequence[str]) -> NDArray[np.float64]:
    """`partial_ratio` of `word` against each string of `pool` (0 below `FUZZY_CUTOFF`), in
    one slice per core when the pool is large: the same scores as one `cdist` call."""
    import numpy as np  # loaded when first needed, not before the first frame

    def score(part: Sequence[str]) -> NDArray[np.float64]:
        return process.cdist([word], part, scorer=fuzz.partial_ratio, processor=None,
                             score_cutoff=FUZZY_CUTOFF, dtype=np.float64)[0]  # fmt: skip

    if not len(pool):
        return np.zeros(0, dtype=np.float64)
    slices = min(_cores(), len(pool) // (PARALLEL_WORDS // 2)) if len(pool) >= PARALLEL_WORDS else 1
    if slices <= 1:
        return score(pool)
    size = -(-len(pool) // slices)
    parts = [pool[start : start + size] for start in range(0, len(pool), size)]
    others = [_helper_threads().submit(score, part) for part in parts[1:]]
    return np.concatenate([score(parts[0]), *(other.result() for other in others)])


class RowWords:
    """The words of each row's choice string, as indices into the library's distinct words,
    which are held shortest first (the words of a given length or longer are one slice) and
    with a space on each side, as they stand in a row."""

    def __init__(self, choices: Sequence[str]) -> None:
        import numpy as np  # loaded when first needed, not before the first frame

        # A slice of rows at a time: each call below holds the GIL for a few milliseconds,
        # not for a whole pass over 100,000 rows, while the first frames are drawn.
        place: dict[str, int] = {}
        words_of: list[list[str]] = []
        for start in range(0, len(choices), BUILD_ROWS):
            words = " ".join(choices[start : start + BUILD_ROWS]).split(" ")
            place.update(dict.fromkeys(words, 0))
            words_of.append(words)
        distinct = sorted(place, key=len)
        # Made in this order, so that the scorers read them in the order they lie in memory
        # (scanning strings in the order a sort left them took 2-4x as long).
        self._spaced = [f" {word} " for word in distinct]
        self._lengths = np.fromiter(map(len, distinct), dtype=np.intp, count=len(distinct))
        for n, word in enumerate(distinct):
            place[word] = n
        # Every row has a word (an empty one for an empty row): no row's slice is empty.
        self._occurrences = np.concatenate([
            np.fromiter(map(place.__getitem__, words), dtype=np.intp, count=len(words))
            for words in words_of
        ] or [np.zeros(0, dtype=np.intp)])  # fmt: skip
        counts = np.fromiter((choice.count(" ") + 1 for choice in choices), dtype=np.intp,
                             count=len(choices))  # fmt: skip
        self._starts = np.zeros(len(counts), dtype=np.intp)
        np.cumsum(counts[:-1], out=self._starts[1:])

    def __len__(self) -> int:
        return len(self._starts)

    def word_scores(self, word: str) -> NDArray[np.float64]:
        """Each distinct word's score for query `word`: 100 for a literal occurrence when the
        query word is short, else the fuzzy score (0 below `FUZZY_CUTOFF`)."""
        import numpy as np  # loaded when first needed, not before the first frame

        if len(word) <= EXACT_TOKEN_LENGTH:
            found = [word in spaced for spaced in self._spaced]
            return np.array(found, dtype=bool) * 100.0
        scores = np.zeros(len(self._spaced), dtype=np.float64)
        size = len(word)
        # " word " longer than the query word: were they as long, `partial_ratio` would also
        # score stretches of the query word against the row word ("dusan" in " san ": 75).
        spaced = int(np.searchsorted(self._lengths, size - 1))
        scores[spaced:] = batch_scores(word, self._spaced[spaced:])
        # A shorter row word fills a stretch of the query word's length with the spaces around
        # it and letters of its neighbours (never counted for it): its letters in common must
        # be 3/4 of the query word's (so only from 8-letter query words on).
        common = math.ceil(size * FUZZY_CUTOFF / 100)
        shortest = int(np.searchsorted(self._lengths, common))
        if shortest < spaced:
            found_common = process.cdist(
                [word], self._spaced[shortest:spaced], scorer=LCSseq.similarity,
                processor=None, score_cutoff=common, dtype=np.int32,
            )[0]  # fmt: skip
            scores[shortest:spaced] = found_common * 100.0 / size
        return scores

    def row_scores(self, word: str) -> NDArray[np.float64]:
        """Each row's best score for query `word` among its words (0 when none matches)."""
        import numpy as np  # loaded when first needed, not before the first frame

        if not len(self._starts):
            return np.zeros(0, dtype=np.float64)
        return np.maximum.reduceat(self.word_scores(word)[self._occurrences], self._starts)
