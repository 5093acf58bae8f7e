"""A one-line progress meter on stderr for long syncs; nothing when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1


class SyncProgress:
    """`progress(done, total)` for `Workspace.sync`: files read, share and time left, redrawn
    at most ten times a second, and wiped when the sync ends so the output stays clean."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = 0.0
        self.last_drawn = 0.0
        self.drawn = False

    @property
    def wanted(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            self.started = now
        elif done < total and now - self.last_drawn < REDRAW_SECONDS:
            return
        self.last_drawn = now
        self.stream.write("\r\x1b[2K" + progress_line(done, total, now - self.started))
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False


def progress_line(done: int, total: int, elapsed: float, width: int = 24) -> str:
    """`reading corpus/ [#####.....] 1,234/10,000 files · about 7 s left`."""
    share = done / total if total else 1.0
    filled = round(width * share)
    line = f"reading corpus/ [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} files"
    if 0 < done < total and elapsed > 0.5:
        line += f" · about {time_left(elapsed / done * (total - done))} left"
    return line


def time_left(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"
