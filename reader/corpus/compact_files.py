"""The files a sync is to apply, held as a few flat arrays instead of an object per file.

A first sync of 100,000 files used to keep a `FileState` per file for its whole run, made from
the scan's stat results: those small objects, spread through every block of memory the scan
took, kept all of it (about 100 MB at 100,000 files) from being given back while the batches
were stored, so the peak grew with the corpus. Here every path is one slice of a single
string, sizes and mtimes are integer arrays, and the rare skip reasons and links are kept by
index; a `FileState` is made only as its turn comes and dropped with its batch.
"""

from __future__ import annotations

import array
from collections.abc import Iterable, Iterator

from reader.corpus.scan import FileState


class CompactFiles:
    """`states` in the order given, without their `parsed` (they were not read yet)."""

    def __init__(self, states: Iterable[FileState]) -> None:
        paths: list[str] = []
        self._ends = array.array("q")
        self._sizes = array.array("q")
        self._mtimes = array.array("q")
        self._skipped: dict[int, str] = {}
        self._linked: set[int] = set()
        end = 0
        for index, state in enumerate(states):
            paths.append(state.path)
            end += len(state.path)
            self._ends.append(end)
            self._sizes.append(state.size)
            self._mtimes.append(state.mtime_ns)
            if state.skip_reason is not None:
                self._skipped[index] = state.skip_reason
            if state.via_link:
                self._linked.add(index)
        self._paths = "".join(paths)

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[FileState]:
        start = 0
        for index, end in enumerate(self._ends):
            yield FileState(
                self._paths[start:end],
                self._sizes[index],
                self._mtimes[index],
                skip_reason=self._skipped.get(index),
                via_link=index in self._linked,
            )
            start = end
