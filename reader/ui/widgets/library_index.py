"""The library's fuzzy filter: every query word scored against every row at once.

The choice strings ("title author path", folded and lower-cased) and their words
(`library_words.RowWords`) are prepared once per set of documents; each keystroke then scores
a query word against the library's distinct words with rapidfuzz's batch `process.cdist` (C++
over the whole column, no Python tuple per match), and each row takes its best word's score.
The filter ignores case and accents ("vucic" finds "Vučić") and forgives one slip per word.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import utils

from reader.text.textnav import fold
from reader.ui.widgets.library_words import EXACT_TOKEN_LENGTH, FUZZY_CUTOFF, RowWords

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


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

    Every word of the query must match a word of the row (occur in it literally if it has at
    most `EXACT_TOKEN_LENGTH` characters, else score ≥ `FUZZY_CUTOFF`, see `RowWords`); a row
    scores the mean of its words' scores. The choice strings and their words are built on
    first use (or by `prepare`, say in a thread).
    """

    def __init__(
        self,
        titles: Sequence[str] = (),
        authors: Sequence[str | None] = (),
        paths: Sequence[str] = (),
    ) -> None:
        self._columns = (titles, authors, paths)
        self._choices: list[str] | None = None
        self._words: RowWords | None = None
        self._building = threading.Lock()

    @property
    def choices(self) -> list[str]:
        """Built once, by whichever thread asks first; the other waits for it."""
        with self._building:
            if self._choices is None:
                self._choices = choice_strings(*self._columns)
        return self._choices

    @property
    def row_words(self) -> RowWords:
        """The words of the choice strings, built once like them."""
        choices = self.choices
        with self._building:
            if self._words is None:
                self._words = RowWords(choices)
        return self._words

    @property
    def is_prepared(self) -> bool:
        return self._words is not None

    def prepare(self) -> None:
        """Build the choice strings and their words now (say, in a thread) rather than on the
        first keystroke, and load numpy (~90 ms), which the scoring needs and the first frame
        does not."""
        import numpy  # noqa: F401

        _ = self.row_words

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
        row_words = self.row_words
        rows = (
            np.arange(len(row_words), dtype=np.intp)
            if candidates is None
            else np.unique(np.asarray(candidates, dtype=np.intp))
        )
        totals = np.zeros(len(rows), dtype=np.float64)
        for word in words:
            if not len(rows):
                break
            scores = row_words.row_scores(word)[rows]
            keep = scores >= (100.0 if len(word) <= EXACT_TOKEN_LENGTH else FUZZY_CUTOFF)
            rows, totals = rows[keep], totals[keep] + scores[keep]
        if not words:
            return rows[:0], totals[:0]
        return rows, totals / len(words)

    def scores(self, query: str) -> dict[int, float]:
        """Row index → mean score of every row matching all query words."""
        rows, means = self.match(query)
        return dict(zip(rows.tolist(), means.tolist(), strict=True))
