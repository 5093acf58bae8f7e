"""A one-line progress meter on stderr for long syncs; nothing when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1


class Meter:
    """A line on stderr redrawn in place at most ten times a second, and wiped by `finish` so
    the output stays clean; `wanted` only when stderr is a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.last_drawn = 0.0
        self.drawn = False

    @property
    def wanted(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def due(self, now: float) -> bool:
        """Whether a redraw now keeps to the rate (the caller may draw anyway, say at the end)."""
        return now - self.last_drawn >= REDRAW_SECONDS

    def draw(self, line: str, now: float) -> None:
        self.last_drawn = now
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False


class SyncProgress(Meter):
    """`progress(done, total)` for `Workspace.sync`: files read, share and time left."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self.started = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0:
            self.started = now
        elif done < total and not self.due(now):
            return
        self.draw(progress_line(done, total, now - self.started), now)


def progress_line(done: int, total: int, elapsed: float, width: int = 24) -> str:
    """`reading corpus/ [#####.....] 1,234/10,000 files · about 7 s left`."""
    share = done / total if total else 1.0
    line = f"reading corpus/ [{bar(share, width)}] {done:,}/{total:,} files"
    if 0 < done < total and elapsed > 0.5:
        line += f" · about {time_left(elapsed / done * (total - done))} left"
    return line


def time_left(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def bar(share: float, width: int) -> str:
    """`#####.....`: `share` (0 to 1) of `width` cells filled."""
    filled = round(width * share)
    return "#" * filled + "." * (width - filled)
