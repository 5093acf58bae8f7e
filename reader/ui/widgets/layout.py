"""Soft-wrap canonical text into visual lines, mapping offsets to screen cells and back.

The reading view shows each document through this map: visual line -> [start, end) code-point
offsets. Cell widths follow Rich (which Textual renders with): CJK and emoji take two cells,
combining marks none, tabs run to the next tab stop. Paragraphs made only of one-cell characters
(nearly all Western text) take a fast path that never looks at single characters.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache

from rich.cells import get_character_cell_size

TAB_SIZE = 4
_SINGLE_CELL_RANGES = (
    (0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x1E00, 0x1FFF), (0x2010, 0x2027),
    (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2400, 0x2426),
    (0x2500, 0x25FC), (0xFFFD, 0xFFFD),
)  # fmt: skip
_SINGLE_CELLS = frozenset(
    ch
    for low, high in _SINGLE_CELL_RANGES
    for ch in map(chr, range(low, high + 1))
    if get_character_cell_size(ch) == 1
)
_all_single_cell = _SINGLE_CELLS.issuperset
_TOKEN = re.compile(r"\S+\s*|\s+")


@lru_cache(maxsize=8192)
def char_cells(ch: str) -> int:
    """Cells one code point takes; tabs are measured by position, never here."""
    return 1 if ch in _SINGLE_CELLS else get_character_cell_size(ch)


def cells_of(text: str, column: int = 0) -> int:
    """Cells `text` takes when it starts at `column` (tabs expand to the next stop)."""
    if "\t" not in text and _all_single_cell(text):
        return len(text)
    at = column
    for ch in text:
        at += TAB_SIZE - at % TAB_SIZE if ch == "\t" else char_cells(ch)
    return at - column


class Layout:
    """The wrapped lines of one text at one width; offsets are code points into the text."""

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(8, width)
        self.starts = array("q")
        self.ends = array("q")
        self._wrap()

    def __len__(self) -> int:
        return len(self.starts)

    def _wrap(self) -> None:
        text, width = self.text, self.width
        starts, ends = self.starts, self.ends
        position = 0
        for paragraph in text.split("\n"):
            para_end = position + len(paragraph)
            if "\t" not in paragraph and _all_single_cell(paragraph):
                if len(paragraph) <= width:
                    starts.append(position)
                    ends.append(para_end)
                else:
                    self._wrap_narrow(paragraph, position)
            else:
                self._wrap_measured(paragraph, position)
            position = para_end + 1

    def _wrap_narrow(self, paragraph: str, base: int) -> None:
        """Word wrap where every code point is one cell: one `rfind` per visual line."""
        width, size = self.width, len(paragraph)
        line_start = 0
        while size - line_start > width:
            space = paragraph.rfind(" ", line_start, line_start + width + 1)
            if space <= line_start:
                next_start = line_start + width  # no space to break at: cut the long word
            else:
                next_start = space + 1
                while next_start < size and paragraph[next_start] == " ":
                    next_start += 1  # trailing spaces stay on the line they end
            self.starts.append(base + line_start)
            self.ends.append(base + next_start)
            line_start = next_start
        self.starts.append(base + line_start)
        self.ends.append(base + size)

    def _wrap_measured(self, paragraph: str, base: int) -> None:
        """Word wrap measuring each code point (wide, zero-width, tabs)."""
        width = self.width
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
                self.starts.append(base + line_start)
                self.ends.append(base + match.start())
                line_start, column = match.start(), 0
            at = match.start()
            for ch in word:  # place the word, cutting it where it overflows a whole line
                cells = TAB_SIZE - column % TAB_SIZE if ch == "\t" else char_cells(ch)
                if column + cells > width and column > 0 and cells > 0:
                    self.starts.append(base + line_start)
                    self.ends.append(base + at)
                    line_start, column = at, 0
                    cells = TAB_SIZE if ch == "\t" else cells
                column += cells
                at += 1
            column += cells_of(token[len(word) :], column)
        self.starts.append(base + line_start)
        self.ends.append(base + len(paragraph))

    def line_of(self, offset: int) -> int:
        """The visual line showing `offset` (a line's end offset belongs to the next line,
        unless it ends a paragraph)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line] : self.ends[line]]

    def cell_x(self, offset: int) -> tuple[int, int]:
        """(line, cell column) at which `offset` is drawn."""
        line = self.line_of(offset)
        start = self.starts[line]
        offset = min(offset, self.ends[line])
        return line, cells_of(self.text[start:offset])

    def offset_at(self, line: int, x: int) -> int:
        """The offset under cell column `x` of visual `line` (clamped to the line's end)."""
        line = min(max(0, line), len(self) - 1)
        start, end = self.starts[line], self.ends[line]
        segment = self.text[start:end]
        if "\t" not in segment and _all_single_cell(segment):
            return start + min(max(0, x), len(segment))
        column = 0
        for index, ch in enumerate(segment):
            cells = TAB_SIZE - column % TAB_SIZE if ch == "\t" else char_cells(ch)
            if cells and column + cells > x:
                return start + index
            column += cells
        return end
