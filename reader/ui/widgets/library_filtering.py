"""The library's filter off the UI thread when the library is large: at 100,000 rows a typed
word is scored in a thread (rapidfuzz's `cdist` runs without the GIL, so the keys keep coming
while it scores), and the index the filter matches is prepared in a thread soon after the
rows arrive, not on the first keystroke.

Workers only compute and post a message; the list (on the UI thread) takes the result only if
its rows, order and filter are still those the job started from.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from reader.text.attribute_filters import split_filters
from reader.ui.widgets.library_index import FuzzyIndex
from reader.ui.widgets.library_model import LibraryModel

BACKGROUND_FILTER_ROWS = 20_000
"""From this many rows, words are scored in a thread (scoring a word takes ~1.5 ms at 10,000
rows, ~10 ms at 100,000: the keys typed meanwhile are never held up)."""
PREPARE_INDEX_ROWS = 5_000
"""From this many rows, the filter's index is built in a thread soon after the rows arrive."""
PREPARE_AFTER_SECONDS = 0.5
"""How long after rows are shown the filter's index starts being built, unless the filter is
focused sooner: building it (and loading numpy) takes ~0.4 s at 100,000 rows, mostly holding
the GIL, which, started at once, delayed the library's first settled frame."""


@dataclass
class Filtered(Message):
    """A background filter finished: `rows` for `query`, from the model at `generation`."""

    query: str
    rows: list[int]
    generation: int


def prepare_index_in_background(widget: Widget, model: LibraryModel) -> None:
    """Build the filter's index in a thread (large libraries only); then, from
    `BACKGROUND_FILTER_ROWS` rows, set what the app holds by now aside from the cyclic
    garbage collector (`gc.freeze`): its full passes over it held the GIL for ~50 ms at
    100,000 rows, in the middle of a keystroke's scoring. `release_held_objects` undoes it."""
    if len(model.columns) < PREPARE_INDEX_ROWS or model.index.is_prepared:
        return
    index, large = model.index, len(model.columns) >= BACKGROUND_FILTER_ROWS

    def prepare() -> None:
        index.prepare()
        if large:
            gc.freeze()

    widget.run_worker(prepare, thread=True, exclusive=True, group="library-index",
                      exit_on_error=False)  # fmt: skip


def release_held_objects() -> None:
    """Give what `prepare_index_in_background` set aside back to the garbage collector when
    the list goes (the app ends), so that nothing it held stays in memory for good."""
    gc.unfreeze()


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
