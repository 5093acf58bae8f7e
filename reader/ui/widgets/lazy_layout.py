"""The reading view's wrap map, wrapped paragraph by paragraph as lines are asked for.

Opening, paging and re-wrapping cost the same for a 1,000-word or a 1,000,000-word document:
a paragraph is wrapped (by `paragraph_wrap`, the rules `Layout` uses) only when a line in it
is shown or an offset in it is located. Until then its height is estimated from its length,
so the scrollbar is about right at once and exact where the reader has been; `generation`
counts the corrections so the view can keep its top line anchored when heights above change.
Offsets are code points into the text; a Markdown article's front matter (before
`body_start`) has no lines.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator

from reader.text.sanitize import display_safe
from reader.ui.widgets.cells import cells_of, offset_in_segment
from reader.ui.widgets.height_tree import HeightTree
from reader.ui.widgets.paragraph_wrap import wrap_paragraph


class ShownText:
    """A text as drawn, control characters made visible stand-ins (`display_safe`), made a
    slice at a time: one code point each, so offsets hold, and a long document is never
    scanned whole before its first screen."""

    def __init__(self, text: str) -> None:
        self.raw = text

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, where: slice) -> str:
        return display_safe(self.raw[where])


class Paragraphs:
    """Where each paragraph of a text starts, from `body_start` on; found once per document
    and shared by every width it is wrapped at."""

    def __init__(self, text: str, body_start: int = 0) -> None:
        self.text = ShownText(text)
        self.body_start = body_start
        first = text.rfind("\n", 0, body_start) + 1  # the paragraph holding the body's start
        ends, find = [], text.find
        at = find("\n", body_start)
        while at >= 0:  # a find per paragraph: twice as fast as a regex's matches
            ends.append(at)
            at = find("\n", at + 1)
        self.starts = array("q", [first, *(end + 1 for end in ends)])
        self.ends = array("q", [*ends, len(text)])

    def __len__(self) -> int:
        return len(self.starts)

    def holding(self, offset: int) -> int:
        """The paragraph holding `offset` (its newline belongs to it)."""
        return max(0, bisect_right(self.starts, offset) - 1)


class _LineEdges:
    """`layout.starts[line]` / `layout.ends[line]`, wrapping the line's paragraph if needed."""

    def __init__(self, layout: LazyLayout, end: bool) -> None:
        self._layout, self._end = layout, end

    def __getitem__(self, line: int) -> int:
        start, end = self._layout.line_span(line)
        return end if self._end else start

    def __len__(self) -> int:
        return len(self._layout)

    def __iter__(self) -> Iterator[int]:
        return (self[line] for line in range(len(self)))


class LazyLayout:
    """Visual lines of one text at one width, wrapped on demand around what is asked for."""

    def __init__(self, paragraphs: Paragraphs, width: int) -> None:
        self.paragraphs = paragraphs
        self.text = paragraphs.text
        self.width = max(8, width)
        self.wrapped_paragraphs = 0  # how many paragraphs were wrapped: the work done
        self.generation = 0  # bumped whenever a wrapped paragraph's height differed from its guess
        self._lines: dict[int, tuple[array, array]] = {}
        per_line = self.width * 93  # word wrap leaves about 7% of a line empty (in 1/100s)
        self._heights = HeightTree(
            [1 + (end - start) * 100 // per_line
             for start, end in zip(paragraphs.starts, paragraphs.ends, strict=True)]
        )  # fmt: skip
        self.starts = _LineEdges(self, end=False)
        self.ends = _LineEdges(self, end=True)

    def __len__(self) -> int:
        return self._heights.total

    # Wrapping

    def is_wrapped(self, paragraph: int) -> bool:
        return paragraph in self._lines

    def wrap(self, paragraph: int) -> tuple[array, array]:
        """Paragraph `paragraph`'s line starts and ends, wrapping it the first time."""
        lines = self._lines.get(paragraph)
        if lines is None:
            start, end = self.paragraphs.starts[paragraph], self.paragraphs.ends[paragraph]
            starts, ends = wrap_paragraph(self.text[start:end], self.width, start)
            body = self.paragraphs.body_start
            if paragraph == 0 and start < body:  # front matter's lines are not shown
                cut = bisect_right(starts, body - 1)
                starts, ends = starts[cut:], ends[cut:]
                if not starts:
                    starts, ends = array("q", [body]), array("q", [body])
            lines = self._lines[paragraph] = (starts, ends)
            self.wrapped_paragraphs += 1
            if len(starts) != self._heights.heights[paragraph]:
                self._heights.set(paragraph, len(starts))
                self.generation += 1
        return lines

    def first_line(self, paragraph: int) -> int:
        """The visual line a paragraph starts on (exact once those above it are wrapped)."""
        return self._heights.prefix(paragraph)

    def locate(self, line: int) -> tuple[int, int]:
        """(paragraph, row in it) of visual `line`, clamped to the text's lines."""
        while True:
            line = min(max(0, line), len(self) - 1)
            paragraph = self._heights.find(line)
            starts, _ = self.wrap(paragraph)
            row = line - self._heights.prefix(paragraph)
            if 0 <= row < len(starts) or paragraph == len(self.paragraphs) - 1:
                return paragraph, max(0, min(row, len(starts) - 1))

    def wrap_around(self, line: int, above: int, below: int) -> None:
        """Wrap the paragraphs holding `above` lines before `line` and `below` lines from it,
        so that scrolling that far shows exact lines."""
        paragraph, row = self.locate(line)
        lines, index = row, paragraph
        while lines < above and index > 0:
            index -= 1
            lines += len(self.wrap(index)[0])
        lines, index = len(self.wrap(paragraph)[0]) - row, paragraph
        while lines < below and index < len(self.paragraphs) - 1:
            index += 1
            lines += len(self.wrap(index)[0])

    # The map, as `Layout` offers it

    def line_span(self, line: int) -> tuple[int, int]:
        """[start, end) offsets of visual `line`."""
        paragraph, row = self.locate(line)
        starts, ends = self._lines[paragraph]
        return starts[row], ends[row]

    def line_of(self, offset: int) -> int:
        """The visual line showing `offset` (a line's end offset belongs to the next line,
        unless it ends a paragraph)."""
        offset = max(offset, self.paragraphs.body_start)
        paragraph = self.paragraphs.holding(offset)
        starts, _ = self.wrap(paragraph)
        return self._heights.prefix(paragraph) + max(0, bisect_right(starts, offset) - 1)

    def is_wrapped_within(self, start: int, end: int) -> bool:
        """Whether any paragraph over [start, end] has lines yet (one that has none was never
        drawn, so nothing drawn of it needs repainting)."""
        first, last = self.paragraphs.holding(start), self.paragraphs.holding(end)
        if last - first < len(self._lines):
            return any(p in self._lines for p in range(first, last + 1))
        return any(first <= p <= last for p in self._lines)

    def line_text(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.text[start:end]

    def cell_x(self, offset: int) -> tuple[int, int]:
        """(line, cell column) at which `offset` is drawn."""
        line = self.line_of(offset)
        start, end = self.line_span(line)
        return line, cells_of(self.text[start : min(offset, end)])

    def offset_at(self, line: int, x: int) -> int:
        """The offset under cell column `x` of visual `line` (clamped to the line's end)."""
        start, end = self.line_span(line)
        return start + offset_in_segment(self.text[start:end], x)
