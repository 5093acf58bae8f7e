"""A one-line progress meter on stderr for long imports: share of the file read, annotations
so far, time left; nothing when stderr is not a terminal (like the sync's, progress.py)."""

from __future__ import annotations

import time
from typing import BinaryIO, TextIO

from reader.cli.progress import Meter, bar, time_left


class CountingReader:
    """A binary file that counts the bytes read through it, for the meter."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.bytes_read += len(data)
        return data


class ImportProgress(Meter):
    """`progress(annotations)` for `Workspace.import_annotations_file`, from what `reader` has
    read of `total` bytes."""

    def __init__(self, reader: CountingReader, total: int, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self.reader = reader
        self.total = total
        self.started = time.monotonic()

    def __call__(self, annotations: int) -> None:
        now = time.monotonic()
        if self.due(now):
            line = import_line(self.reader.bytes_read, self.total, annotations, now - self.started)
            self.draw(line, now)


def import_line(done: int, total: int, annotations: int, elapsed: float, width: int = 24) -> str:
    """`importing [#####.....] 120/512 MB · 250,000 annotations · about 40 s left`."""
    share = min(1.0, done / total) if total else 1.0
    megabytes = f"{done / 2**20:,.0f}/{total / 2**20:,.0f} MB"
    line = f"importing [{bar(share, width)}] {megabytes}"
    line += f" · {annotations:,} annotations"
    if 0 < done < total and elapsed > 0.5:
        line += f" · about {time_left(elapsed / done * (total - done))} left"
    return line
