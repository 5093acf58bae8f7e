"""Soft-wrap a whole canonical text into visual lines, mapping offsets to screen cells and back.

The eager map: every paragraph wrapped at once. The reading view uses `LazyLayout`, which
wraps only what it shows by the same rules (`paragraph_wrap`); this one is the reference it
is tested against and what small texts and tools use.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from reader.ui.widgets.cells import TAB_SIZE, cells_of, char_cells, offset_in_segment
from reader.ui.widgets.paragraph_wrap import wrap_paragraph

__all__ = ["TAB_SIZE", "Layout", "cells_of", "char_cells"]


class Layout:
    """The wrapped lines of one text at one width; offsets are code points into the text."""

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(8, width)
        self.starts = array("q")
        self.ends = array("q")
        position = 0
        for paragraph in text.split("\n"):
            starts, ends = wrap_paragraph(paragraph, self.width, position)
            self.starts.extend(starts)
            self.ends.extend(ends)
            position += len(paragraph) + 1

    def __len__(self) -> int:
        return len(self.starts)

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
        start = self.starts[line]
        return start + offset_in_segment(self.text[start : self.ends[line]], x)
