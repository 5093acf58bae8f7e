"""Word wrap of one paragraph (text without a newline) into visual lines at a width in cells.

One paragraph at a time, so the reading view can wrap only the paragraphs near what it shows
(`lazy_layout.LazyLayout`) and the whole-text map (`layout.Layout`) can share the same rules:
both give the same lines. Paragraphs made only of one-cell characters (nearly all Western
text) take a fast path that never looks at single characters.
"""

from __future__ import annotations

import re
from array import array

from reader.ui.widgets.cells import TAB_SIZE, all_single_cell, cells_of, char_cells

_TOKEN = re.compile(r"\S+\s*|\s+")


def wrap_paragraph(paragraph: str, width: int, base: int = 0) -> tuple[array, array]:
    """The [start, end) offsets (plus `base`) of each visual line of `paragraph`."""
    starts, ends = array("q"), array("q")
    if "\t" not in paragraph and all_single_cell(paragraph):
        if len(paragraph) <= width:
            starts.append(base)
            ends.append(base + len(paragraph))
        else:
            _wrap_narrow(paragraph, width, base, starts, ends)
    else:
        _wrap_measured(paragraph, width, base, starts, ends)
    return starts, ends


def _wrap_narrow(paragraph: str, width: int, base: int, starts: array, ends: array) -> None:
    """Word wrap where every code point is one cell: one `rfind` per visual line."""
    size = len(paragraph)
    line_start = 0
    while size - line_start > width:
        space = paragraph.rfind(" ", line_start, line_start + width + 1)
        if space <= line_start:
            next_start = line_start + width  # no space to break at: cut the long word
        else:
            next_start = space + 1
            while next_start < size and paragraph[next_start] == " ":
                next_start += 1  # trailing spaces stay on the line they end
        starts.append(base + line_start)
        ends.append(base + next_start)
        line_start = next_start
    starts.append(base + line_start)
    ends.append(base + size)


def _wrap_measured(paragraph: str, width: int, base: int, starts: array, ends: array) -> None:
    """Word wrap measuring each code point (wide, zero-width, tabs)."""
    line_start = 0
    column = 0  # cells used on the current line, up to the current token
    for match in _TOKEN.finditer(paragraph):
        token = match.group()
        word = token.rstrip()
        word_cells = cells_of(word, column)
        if column + word_cells <= width or (column == 0 and word_cells <= width):
            column += cells_of(token, column)
            continue
        if match.start() > line_start:
            starts.append(base + line_start)
            ends.append(base + match.start())
            line_start, column = match.start(), 0
        at = match.start()
        for ch in word:  # place the word, cutting it where it overflows a whole line
            cells = TAB_SIZE - column % TAB_SIZE if ch == "\t" else char_cells(ch)
            if column + cells > width and column > 0 and cells > 0:
                starts.append(base + line_start)
                ends.append(base + at)
                line_start, column = at, 0
                cells = TAB_SIZE if ch == "\t" else cells
            column += cells
            at += 1
        column += cells_of(token[len(word) :], column)
    starts.append(base + line_start)
    ends.append(base + len(paragraph))
