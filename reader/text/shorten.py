"""One way to fit text into a number of terminal cells, for every face: the TUI's rows and
panes, the CLI's tables and the messages both print.

Cells, not characters: CJK and most emoji take two, combining marks none. The text is cut at a
character boundary and ends in "…" when anything was cut; with `one_line`, runs of whitespace
(newlines included) become one space first. Where columns must line up with what the terminal
library draws (the TUI's library rows and tables), pass its own measure as `char_width`: this
module measures from Unicode's tables, which differ from Rich's for a few hundred characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    """Cells one character takes in a terminal (0, 1 or 2)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str, char_width: Callable[[str], int] = char_cells) -> int:
    """Cells `text` takes on one line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(char_width, text))


def shorten(
    text: str, width: int, *, one_line: bool = True,
    char_width: Callable[[str], int] = char_cells,
) -> str:  # fmt: skip
    """`text` in at most `width` cells, ending in "…" when anything was cut."""
    if one_line:
        text = " ".join(text.split())
    if cells(text, char_width) <= width:
        return text
    if width <= 0:
        return ""
    room = width - 1  # the ellipsis takes one cell
    used = 0
    for index, ch in enumerate(text):
        used += char_width(ch)
        if used > room:
            return text[:index].rstrip() + ELLIPSIS
    return text
