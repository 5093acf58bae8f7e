"""How many terminal cells text takes, as Rich (which Textual renders with) counts them: CJK
and emoji two, combining marks none, tabs to the next tab stop."""

from __future__ import annotations

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
all_single_cell = _SINGLE_CELLS.issuperset  # True when every code point takes one cell


@lru_cache(maxsize=8192)
def char_cells(ch: str) -> int:
    """Cells one code point takes; tabs are measured by position, never here."""
    return 1 if ch in _SINGLE_CELLS else get_character_cell_size(ch)


def cells_of(text: str, column: int = 0) -> int:
    """Cells `text` takes when it starts at `column` (tabs expand to the next stop)."""
    if "\t" not in text and all_single_cell(text):
        return len(text)
    at = column
    for ch in text:
        at += TAB_SIZE - at % TAB_SIZE if ch == "\t" else char_cells(ch)
    return at - column


def offset_in_segment(segment: str, x: int) -> int:
    """The index in one visual line's `segment` under cell column `x` (its length past the end)."""
    if "\t" not in segment and all_single_cell(segment):
        return min(max(0, x), len(segment))
    column = 0
    for index, ch in enumerate(segment):
        cells = TAB_SIZE - column % TAB_SIZE if ch == "\t" else char_cells(ch)
        if cells and column + cells > x:
            return index
        column += cells
    return len(segment)
