"""How one visual line of a document is drawn: its text cut where highlights, find matches,
the selection and the cursor begin and end, each piece styled, a gutter mark in front.

Pure over its inputs (no widget state), so `DocumentView` only decides which line and caches
the strip. Text is drawn as literal segments: nothing in it is ever read as markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from reader.ui.tints import marks, text_on, tint
from reader.ui.widgets.cells import TAB_SIZE, char_cells
from reader.ui.widgets.lazy_layout import LazyLayout, ShownText

GUTTER = 2  # a highlight mark and a space before the text


@dataclass(frozen=True)
class HighlightSpan:
    """A highlight as the view draws it: where, in which colour, and which annotation."""

    annotation_id: int
    start: int
    end: int
    color: str


class HighlightIndex:
    """Highlights sorted by start, found by bisection: what covers an offset or a line costs
    the same with 10 or 10,000 highlights in the document."""

    def __init__(self, spans: list[HighlightSpan]) -> None:
        self.spans = sorted(spans, key=lambda h: (h.start, h.end, h.annotation_id))
        self._starts = [h.start for h in self.spans]
        self._longest = max((h.end - h.start for h in self.spans), default=0)

    def near(self, start: int, end: int) -> list[HighlightSpan]:
        """Highlights that may touch [start, end]: none that cannot is ever looked at."""
        first = bisect_left(self._starts, start - self._longest)
        return self.spans[first : bisect_left(self._starts, end + 1)]

    def at(self, offset: int) -> list[HighlightSpan]:
        """Highlights covering `offset`, in text order."""
        return [h for h in self.near(offset, offset) if h.start <= offset < h.end]


@dataclass(frozen=True)
class VisualLine:
    """Line `line` of `wrapped` (the wrap map of `text`), drawn `width` cells wide."""

    wrapped: LazyLayout
    text: ShownText  # sliced into what is drawn
    line: int
    width: int


@dataclass(frozen=True)
class LineStyles:
    """The styles a line is drawn with, read once per theme change, and the terminal's colour
    depth highlights are tinted for (`reader.ui.tints`)."""

    base: Style
    gutter: Style
    match: Style
    selection: Style
    cursor: Style
    markdown: Mapping[str, Style] = field(default_factory=dict)  # by Markdown span kind
    depth: str | None = "truecolor"  # the console's color_system: "256", "standard", …

    def __post_init__(self) -> None:
        match, selection = marks(self.match, self.selection, self.depth)
        object.__setattr__(self, "match", match)  # frozen: set once, as drawn at this depth
        object.__setattr__(self, "selection", selection)


def _expand_tabs(piece: str, column: int) -> tuple[str, int]:
    """`piece` drawn from cell `column`: tabs become spaces to the next stop; returns the text
    and the column after it."""
    if "\t" not in piece:
        return piece, column + (len(piece) if piece.isascii() else sum(map(char_cells, piece)))
    out = []
    for ch in piece:
        cells = TAB_SIZE - column % TAB_SIZE if ch == "\t" else char_cells(ch)
        out.append(" " * cells if ch == "\t" else ch)
        column += cells
    return "".join(out), column


def highlight_style(
    span: HighlightSpan, overlapping: bool, base: Style, depth: str | None = "truecolor"
) -> Style:
    """A highlight's tint over the background, for the terminal's colour `depth`, underlined in
    every depth; overlapping highlights are bold (and stronger in truecolor; a single one leaves
    bold as it is: a Markdown heading stays bold under it)."""
    bgcolor = tint(span.color, base, depth, strong=overlapping)
    color = text_on(bgcolor, depth)  # dark text on a light ANSI background
    return Style(color=color, bgcolor=bgcolor, underline=True, bold=True if overlapping else None)


def render_visual_line(
    at: VisualLine, near: list[HighlightSpan], matches: list[tuple[int, int]],
    selection: tuple[int, int] | None, cursor: int, styles: LineStyles,
    marked: list[tuple[int, int, Style]] | None = None,
) -> Strip:  # fmt: skip
    """The strip for one visual line; `near` holds the highlights that may cover it, `marked`
    the Markdown styles of the line's text (under highlights, matches, selection, cursor)."""
    wrapped, base = at.wrapped, styles.base
    margin = Segment(" " * max(0, (at.width - wrapped.width - GUTTER) // 2), base)
    start, end = wrapped.starts[at.line], wrapped.ends[at.line]
    text = at.text
    covering = [h for h in near if h.start < max(end, start + 1) and h.end > start]
    matches = [m for m in matches if m[0] < end and m[1] > start]
    if selection and not (selection[0] < max(end, start + 1) and selection[1] > start):
        selection = None
    cursor_here = wrapped.line_of(cursor) == at.line
    marked = marked or []
    if not (covering or matches or selection or cursor_here or marked):  # most lines: one segment
        plain = _expand_tabs(text[start:end], 0)[0]
        gutter = Segment("  ", base + styles.gutter)
        return Strip([margin, gutter, Segment(plain, base)]).crop_extend(0, at.width, base)
    cuts = {start, end}
    for h_start, h_end in (
        [(h.start, h.end) for h in covering] + matches + ([selection] if selection else [])
        + [(m_start, m_end) for m_start, m_end, _ in marked]
    ):  # fmt: skip
        cuts.update((min(max(h_start, start), end), min(max(h_end, start), end)))
    if cursor_here and cursor < end:
        cuts.update((cursor, cursor + 1))
    segments: list[Segment] = []
    column = 0
    for a, b in pairwise(sorted(cuts)):
        piece, column = _expand_tabs(text[a:b], column)
        style = base + next((s for m_start, m_end, s in marked if m_start <= a < m_end), Style())
        under = [h for h in covering if h.start <= a < h.end]
        if under:
            style = style + highlight_style(under[-1], len(under) > 1, base, styles.depth)
        if any(m_start <= a < m_end for m_start, m_end in matches):
            style = style + styles.match
        if selection and selection[0] <= a < selection[1]:
            style = style + styles.selection
        if cursor_here and a == cursor:
            style = style + styles.cursor
        segments.append(Segment(piece, style))
    if cursor_here and cursor >= end:
        segments.append(Segment(" ", base + styles.cursor))
    if covering:
        gutter = Segment("▌ ", base + Style(color=Color.parse(covering[0].color).rich_color))
    else:
        gutter = Segment("  ", base + styles.gutter)
    return Strip([margin, gutter, *segments]).crop_extend(0, at.width, base)
