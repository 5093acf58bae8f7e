"""One way to fit text into a number of terminal cells, for every face: the TUI's rows and
panes, the CLI's tables and the messages both print.

Cells, not characters: CJK and most emoji take two, combining marks none. The text is cut at a
character boundary and ends in "…" when anything was cut; with `one_line`, runs of whitespace
(newlines included) become one space first.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    """Cells one character takes in a terminal (0, 1 or 2)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Cells `text` takes on one line."""
    return len(text) if text.isascii() and text.isprintable() else sum(map(char_cells, text))


def shorten(text: str, width: int, *, one_line: bool = True) -> str:
    """`text` in at most `width` cells, ending in "…" when anything was cut."""
    if one_line:
        text = " ".join(text.split())
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    room = width - 1  # the ellipsis takes one cell
    used = 0
    for index, ch in enumerate(text):
        used += char_cells(ch)
        if used > room:
            return text[:index].rstrip() + ELLIPSIS
    return text
