"""The library's filter off the UI thread when the library is large: at 100,000 rows scoring
a typed word takes longer than a keystroke should (rapidfuzz's `cdist` runs without the GIL,
so the keys keep coming while it scores), and the choice strings the filter matches are
prepared in a thread as soon as the rows arrive, not on the first keystroke.

Workers only compute and post a message; the list (on the UI thread) takes the result only if
its rows, order and filter are still those the job started from.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from reader.text.attribute_filters import split_filters
from reader.ui.widgets.library_index import FuzzyIndex
from reader.ui.widgets.library_model import LibraryModel

BACKGROUND_FILTER_ROWS = 20_000
"""From this many rows, words are scored in a thread (at 10,000 a keystroke takes ~25 ms)."""
PREPARE_INDEX_ROWS = 5_000
"""From this many rows, the choice strings are built in a thread soon after the rows arrive."""
PREPARE_AFTER_SECONDS = 0.5
"""How long after rows are shown their choice strings start being built, unless the filter is
focused sooner: building them (and loading numpy) holds the GIL for ~100-150 ms at 100,000
rows, which, started at once, delayed the library's first settled frame by as much."""


@dataclass
class Filtered(Message):
    """A background filter finished: `rows` for `query`, from the model at `generation`."""

    query: str
    rows: list[int]
    generation: int


def prepare_index_in_background(widget: Widget, model: LibraryModel) -> None:
    """Build the filter's choice strings in a thread (large libraries only)."""
    if len(model.columns) >= PREPARE_INDEX_ROWS and not model.index.is_prepared:
        widget.run_worker(model.index.prepare, thread=True, exclusive=True,
                          group="library-index", exit_on_error=False)  # fmt: skip


def needs_background(model: LibraryModel, query: str, rows: int | None = None) -> bool:
    """True when `query` has words to score over a large library (`rows`, else the model's):
    clearing the filter, or `outlet:ECFR` alone, is quick at any size."""
    words, _ = split_filters(query)
    size = len(model.columns) if rows is None else rows
    return size >= BACKGROUND_FILTER_ROWS and bool(FuzzyIndex.words(words))


def filter_in_background(widget: Widget, model: LibraryModel, query: str) -> bool:
    """Start scoring `query` in a thread and return True, or return False when it should be
    done at once (`needs_background`)."""
    if not needs_background(model, query):
        return False
    job, generation = model.filter_job(query), model.generation

    def run() -> None:
        widget.post_message(Filtered(query, job(), generation))

    widget.run_worker(run, thread=True, exclusive=True, group="library-filter")
    return True
