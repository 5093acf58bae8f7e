"""The library's fuzzy filter: every query word scored against every row at once.

The choice strings ("title author path", folded and lower-cased) are prepared once per set of
documents; each keystroke then scores a word against all the rows still in the running with
rapidfuzz's batch `process.cdist` (C++ over the whole column, no Python tuple per match).
The filter ignores case and accents ("vucic" finds "Vučić") and forgives one slip per word.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from reader.text.textnav import fold

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

EXACT_TOKEN_LENGTH = 3
"""Query words this short must occur literally; fuzzy scores mean little for them."""
FUZZY_CUTOFF = 75
"""Lowest `partial_ratio` a longer query word may score: one transposed or missing letter in a
six-letter word ("serbai") scores 83, unrelated words of that length score 67 or less."""


PARALLEL_ROWS = 20_000
"""From this many rows a word is scored in one slice per core: `cdist` scores a single query
on one thread, and releases the GIL, so slices scored side by side take about 1/cores of it."""


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


def fuzzy_scores(word: str, pool: Sequence[str]) -> NDArray[np.float64]:
    """`partial_ratio` of `word` against each string of `pool` (0 below `FUZZY_CUTOFF`), in
    one slice per core when the pool is large: the same scores as one `cdist` call."""
    import numpy as np  # loaded when first needed, not before the first frame

    def score(part: Sequence[str]) -> NDArray[np.float64]:
        return process.cdist([word], part, scorer=fuzz.partial_ratio, processor=None,
                             score_cutoff=FUZZY_CUTOFF, dtype=np.float64)[0]  # fmt: skip

    slices = min(_cores(), len(pool) // (PARALLEL_ROWS // 2)) if len(pool) >= PARALLEL_ROWS else 1
    if slices <= 1:
        return score(pool)
    size = -(-len(pool) // slices)
    parts = [pool[start : start + size] for start in range(0, len(pool), size)]
    others = [_helper_threads().submit(score, part) for part in parts[1:]]
    return np.concatenate([score(parts[0]), *(other.result() for other in others)])


class _FoldTable(dict[int, str]):
    """`str.translate` table folding each character as `fold` does, filled as met: folding
    100,000 rows a character at a time through `fold` took seconds, `translate` is C."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_fast(text: str) -> str:
    """`fold(text)`, through the shared table."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


def choice_strings(
    titles: Sequence[str], authors: Sequence[str | None], paths: Sequence[str]
) -> list[str]:
    """What the filter matches for each row: "title author path", folded and processed.
    An author is folded once however many rows name them (at 100k rows, folding every row's
    accented author was most of a second)."""
    process_text = utils.default_process
    folded_authors = {author: fold_fast(author) for author in set(authors) if author}
    return [
        process_text(f"{fold_fast(title)} {folded_authors.get(author, '')} {fold_fast(path)}")
        for title, author, path in zip(titles, authors, paths, strict=True)
    ]


class FuzzyIndex:
    """Fuzzy search over "title author path", forgiving one slip of the finger per word.

    Every word of the query must match (literally if it has at most `EXACT_TOKEN_LENGTH`
    characters, else with `partial_ratio` ≥ `FUZZY_CUTOFF`); a row scores the mean of its
    words' scores. The choice strings are built on first use (or by `prepare`, say in a thread).
    """

    def __init__(
        self,
        titles: Sequence[str] = (),
        authors: Sequence[str | None] = (),
        paths: Sequence[str] = (),
    ) -> None:
        self._columns = (titles, authors, paths)
        self._choices: list[str] | None = None
        self._building = threading.Lock()

    @property
    def choices(self) -> list[str]:
        """Built once, by whichever thread asks first; the other waits for it."""
        with self._building:
            if self._choices is None:
                self._choices = choice_strings(*self._columns)
        return self._choices

    @property
    def is_prepared(self) -> bool:
        return self._choices is not None

    def prepare(self) -> None:
        """Build the choice strings now (say, in a thread) rather than on the first keystroke,
        and load numpy (~90 ms), which the scoring needs and the first frame does not."""
        import numpy  # noqa: F401

        _ = self.choices

    @staticmethod
    def words(query: str) -> list[str]:
        """The query's words as matched: lower case, punctuation dropped, longest first."""
        words = dict.fromkeys(utils.default_process(fold(query)).split())
        return sorted(words, key=len, reverse=True)

    def match(
        self, query: str, candidates: Sequence[int] | None = None
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Indices of the rows (of `candidates`, else all) matching every word of `query`,
        ascending, and each one's mean score (0–100)."""
        import numpy as np  # loaded when first needed, not before the first frame

        words = self.words(query)
        choices = self.choices
        rows = (
            np.arange(len(choices), dtype=np.intp)
            if candidates is None
            else np.unique(np.asarray(candidates, dtype=np.intp))
        )
        totals = np.zeros(len(rows), dtype=np.float64)
        for word in words:
            if not len(rows):
                break
            pool = choices if len(rows) == len(choices) else [choices[i] for i in rows]
            if len(word) <= EXACT_TOKEN_LENGTH:
                scores = np.fromiter((100.0 if word in c else 0.0 for c in pool),
                                     dtype=np.float64, count=len(pool))  # fmt: skip
            else:
                scores = fuzzy_scores(word, pool)
            keep = scores >= (100.0 if len(word) <= EXACT_TOKEN_LENGTH else FUZZY_CUTOFF)
            rows, totals = rows[keep], totals[keep] + scores[keep]
        if not words:
            return rows[:0], totals[:0]
        return rows, totals / len(words)

    def scores(self, query: str) -> dict[int, float]:
        """Row index → mean score of every row matching all query words."""
        rows, means = self.match(query)
        return dict(zip(rows.tolist(), means.tolist(), strict=True))
