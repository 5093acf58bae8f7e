"""The reading pane: a Line API view over one document with a cursor, a selection and highlights.

Only the visible lines are rendered, each from the wrap map (`Layout`) and cached, so opening,
paging and adding a highlight cost the same for a 1,000-word or a 100,000-word document. The
cursor and selection are code-point offsets into the canonical text; cells exist only here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import textnav
from reader.sanitize import display_safe
from reader.ui.widgets.layout import TAB_SIZE, Layout, char_cells

MAX_MEASURE = 80
GUTTER = 2  # a highlight mark and a space before the text
DEFAULT_HIGHLIGHT = "#e5c07b"
LINE_CACHE_SIZE = 1024  # rendered lines kept: a few screens' worth, whatever the length


def _move(keys: str, motion: str, description: str, extend: bool = False) -> Binding:
    """A cursor-motion binding; `extend` makes the shifted variant that grows the selection."""
    action = f"move({motion!r}, True)" if extend else f"move({motion!r})"
    binding_id = f"reader.{'select_' if extend else ''}{motion}"
    return Binding(keys, action, description, show=False, id=binding_id)


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


def _attaches_to_previous(ch: str) -> bool:
    """Combining marks and other zero-width characters: the cursor never stops before one."""
    return ch not in "\n\t" and char_cells(ch) == 0


@dataclass(frozen=True)
class HighlightSpan:
    """A highlight as the view draws it: where, in which colour, and which annotation."""

    annotation_id: int
    start: int
    end: int
    color: str


class DocumentView(ScrollView, can_focus=True):
    """Shows a document; moves a cursor; selects by keys and mouse; draws highlights."""

    HELP_TITLE = "Reading and selecting"

    ALLOW_SELECT = False  # selection here is ours, in offsets, not Textual's screen selection
    COMPONENT_CLASSES = {
        "document-view--cursor",
        "document-view--cursor-blurred",
        "document-view--selection",
        "document-view--gutter",
        "document-view--match",
    }
    DEFAULT_CSS = """
    DocumentView {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;  /* the scrollbar exists before a document opens: no extra layouts */
    }
    DocumentView > .document-view--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    DocumentView > .document-view--cursor-blurred {
        text-style: reverse;
    }
    DocumentView > .document-view--selection {
        background: $primary 45%;
    }
    DocumentView > .document-view--gutter {
        color: $text-muted;
    }
    DocumentView > .document-view--match {
        background: $warning 40%;
    }
    """
    BINDINGS = [
        _move("left,h", "left", "Left"),
        _move("right,l", "right", "Right"),
        _move("up,k", "up", "Up"),
        _move("down,j", "down", "Down"),
        _move("w", "word", "Next word"),
        _move("b", "back_word", "Previous word"),
        _move(")", "sentence", "Next sentence"),
        _move("(", "back_sentence", "Previous sentence"),
        _move("}", "paragraph", "Next paragraph"),
        _move("{", "back_paragraph", "Previous paragraph"),
        _move("home,0", "line_start", "Start of line"),
        _move("end,$", "line_end", "End of line"),
        _move("pagedown,space", "page_down", "Page down"),
        _move("pageup", "page_up", "Page up"),
        _move("g", "top", "Top of document"),
        _move("G", "bottom", "End of document"),
        _move("shift+left", "left", "Extend selection left", extend=True),
        _move("shift+right", "right", "Extend selection right", extend=True),
        _move("shift+up", "up", "Extend selection up", extend=True),
        _move("shift+down", "down", "Extend selection down", extend=True),
        _move("W", "word", "Extend selection by word", extend=True),
        _move("B", "back_word", "Extend selection back by word", extend=True),
        _move("shift+home", "line_start", "Extend selection to line start", extend=True),
        _move("shift+end", "line_end", "Extend selection to line end", extend=True),
        Binding("v", "toggle_visual", "Visual", id="reader.visual"),
        Binding("+,=", "expand_selection", "Word/sentence/para", id="reader.expand"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="reader.clear"),
        Binding("]", "jump_highlight(1)", "Next highlight", show=False, id="reader.next_highlight"),
        Binding(
            "[", "jump_highlight(-1)", "Previous highlight", show=False, id="reader.prev_highlight"
        ),
        Binding(
            "c", "cycle_highlight", "Cycle overlapping highlights", show=False, id="reader.cycle"
        ),
        Binding("slash", "find", "Find", id="reader.find",
                tooltip="Find in this document (ctrl+f searches everything)"),
        Binding("n", "next_match(1)", "Next match", show=False, id="reader.next_match"),
        Binding("N", "next_match(-1)", "Previous match", show=False, id="reader.prev_match"),
    ]

    class FindRequested(Message):
        """The user wants to find text in this document (`/` or ctrl+f)."""

    class CursorMoved(Message):
        """The cursor or selection changed; the screen updates its status and panes."""

        def __init__(self, view: DocumentView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self._display_text = ""
        self.cursor = 0
        self.visual = False
        self.wrapped: Layout | None = None
        self.anchor: int | None = None
        self.highlights: list[HighlightSpan] = []
        self._highlight_starts: list[int] = []
        self._longest_highlight = 0
        self.matches: list[tuple[int, int]] = []
        self._cycle = 0
        self._goal_x: int | None = None
        self._dragging = False
        self._cache: LRUCache[int, Strip] = LRUCache(LINE_CACHE_SIZE)
        self._painted: tuple[int, int] = (0, 0)  # lines holding the cursor/selection last paint
        self._style_cache: dict[str, Style] | None = None

    # Content

    def load(self, text: str, highlights: list[HighlightSpan], cursor: int = 0) -> None:
        """Show a new document, its highlights, and put the cursor at `cursor`."""
        self.text = text
        self._display_text = display_safe(text)
        self.anchor = None
        self.visual = False
        self.matches = []
        self._set_highlights(highlights)
        self.wrapped = None
        self._relayout()
        self.set_cursor(cursor, center=True)

    def set_highlights(self, highlights: list[HighlightSpan]) -> None:
        """Replace the highlights, repainting only the lines whose marks changed."""
        before = {(h.annotation_id, h.start, h.end, h.color) for h in self.highlights}
        after = {(h.annotation_id, h.start, h.end, h.color) for h in highlights}
        self._set_highlights(highlights)
        for _, start, end, _ in before ^ after:
            self._invalidate_offsets(start, end)

    def _set_highlights(self, highlights: list[HighlightSpan]) -> None:
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end, h.annotation_id))
        self._highlight_starts = [h.start for h in self.highlights]
        self._longest_highlight = max((h.end - h.start for h in self.highlights), default=0)
        self._cycle = 0

    # Geometry

    @property
    def measure(self) -> int:
        """Text width in cells: at most MAX_MEASURE, less on narrow terminals."""
        return max(8, min(MAX_MEASURE, self.scrollable_content_region.width - GUTTER - 1))

    @property
    def left_margin(self) -> int:
        return max(0, (self.scrollable_content_region.width - self.measure - GUTTER) // 2)

    def _relayout(self) -> None:
        """Wrap the text at the current measure, keeping the top line's text in view."""
        if not self.size.width:
            return
        measure = self.measure
        if self.wrapped is not None and self.wrapped.width == measure:
            return
        previous = self.wrapped
        top_offset = None
        if previous is not None and len(previous):
            top_offset = previous.starts[min(int(self.scroll_y), len(previous) - 1)]
        self.wrapped = Layout(self._display_text, measure)
        self._cache.clear()
        self.virtual_size = Size(0, len(self.wrapped))  # lines are cut to the width: no x-scroll
        self._painted = self._cursor_lines()
        if previous is None:
            self._scroll_to_cursor(center=True)
        elif top_offset is not None:
            self.scroll_to(y=self.wrapped.line_of(top_offset), animate=False, immediate=True)
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._cache.clear()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Re-wrap as soon as the size is known, so no frame shows lines of the old width."""
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if changed:
            self._cache.clear()
            if self.text:
                self._relayout()
        return changed

    def on_focus(self) -> None:
        self._invalidate_offsets(self.cursor, self.cursor + 1)

    def on_blur(self) -> None:
        self._invalidate_offsets(self.cursor, self.cursor + 1)

    # Selection and cursor state

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected [start, end) offsets, or None."""
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def select(self, start: int, end: int) -> None:
        """Select [start, end) and put the cursor at its end."""
        size = len(self.text)
        start, end = max(0, min(start, size)), max(0, min(end, size))
        self.anchor = start
        self.set_cursor(end)

    def highlights_at(self, offset: int) -> list[HighlightSpan]:
        """Highlights covering `offset`, in text order."""
        first = bisect_left(self._highlight_starts, offset - self._longest_highlight)
        last = bisect_left(self._highlight_starts, offset + 1)
        return [h for h in self.highlights[first:last] if h.start <= offset < h.end]

    def current_highlight(self) -> HighlightSpan | None:
        """The highlight under the cursor (`c` cycles through overlapping ones)."""
        under = self.highlights_at(self.cursor)
        if not under:
            return None
        return under[self._cycle % len(under)]

    def set_cursor(self, offset: int, *, center: bool = False) -> None:
        """Move the cursor, repaint the lines that changed, keep it in view."""
        offset = max(0, min(offset, len(self.text)))
        old_lines = self._painted
        self.cursor = offset
        self._cycle = 0
        new_lines = self._cursor_lines()
        self._painted = new_lines
        self._invalidate_lines(*old_lines)
        self._invalidate_lines(*new_lines)
        self._scroll_to_cursor(center=center)
        self.post_message(self.CursorMoved(self))

    def _cursor_lines(self) -> tuple[int, int]:
        if self.wrapped is None:
            return (0, 0)
        first = last = self.wrapped.line_of(self.cursor)
        if self.anchor is not None:
            anchor_line = self.wrapped.line_of(self.anchor)
            first, last = min(first, anchor_line), max(last, anchor_line)
        return first, last

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if self.wrapped is None or not self.size.height:
            return
        line = self.wrapped.line_of(self.cursor)
        height = self.scrollable_content_region.height
        margin = min(2, max(0, height // 4))
        top = int(self.scroll_y)
        if center:
            target = max(0, line - height // 3)
        elif line < top + margin:
            target = max(0, line - margin)
        elif line >= top + height - margin:
            target = line - height + 1 + margin
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    # Cache invalidation

    def _invalidate_lines(self, first: int, last: int) -> None:
        for line in range(first, last + 1):
            self._cache.discard(line)
        self.refresh_lines(first, last - first + 1)

    def _invalidate_offsets(self, start: int, end: int) -> None:
        if self.wrapped is None:
            return
        self._invalidate_lines(self.wrapped.line_of(start), self.wrapped.line_of(max(start, end)))

    # Rendering

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_y)
        line = scroll_y + y
        width = self.scrollable_content_region.width
        if self.wrapped is None or line >= len(self.wrapped):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(line)
        if strip is None:
            strip = self._render_visual_line(line, width)
            self._cache[line] = strip
        return strip

    def _highlight_style(self, span: HighlightSpan, overlapping: bool, base: Style) -> Style:
        background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
        tint = Color.parse(span.color).blend(background, 0.55 if overlapping else 0.65)
        return Style(bgcolor=tint.rich_color, underline=True, bold=overlapping)

    def _styles(self) -> dict[str, Style]:
        """Base and component styles, read once per style change (reading them is costly)."""
        if self._style_cache is None:
            component = self.get_component_rich_style
            self._style_cache = {
                "base": self.rich_style,
                "cursor": component("document-view--cursor"),
                "cursor-blurred": component("document-view--cursor-blurred"),
                "selection": component("document-view--selection"),
                "match": component("document-view--match"),
                "gutter": component("document-view--gutter"),
            }
        return self._style_cache

    def _render_visual_line(self, line: int, width: int) -> Strip:
        assert self.wrapped is not None
        styles = self._styles()
        base = styles["base"]
        margin = Segment(" " * max(0, (width - self.wrapped.width - GUTTER) // 2), base)
        start, end = self.wrapped.starts[line], self.wrapped.ends[line]
        text = self._display_text
        first = bisect_left(self._highlight_starts, start - self._longest_highlight)
        last = bisect_left(self._highlight_starts, end + 1)
        covering = [
            h
            for h in self.highlights[first:last]
            if h.start < max(end, start + 1) and h.end > start
        ]
        matches = [m for m in self.matches if m[0] < end and m[1] > start]
        selection = self.selection
        if selection and not (selection[0] < max(end, start + 1) and selection[1] > start):
            selection = None
        cursor = self.cursor
        cursor_here = self.wrapped.line_of(cursor) == line
        if not (covering or matches or selection or cursor_here):  # most lines: one segment
            plain = _expand_tabs(text[start:end], 0)[0]
            gutter = Segment("  ", base + styles["gutter"])
            return Strip([margin, gutter, Segment(plain, base)]).crop_extend(0, width, base)
        cuts = {start, end}
        for h_start, h_end in (
            [(h.start, h.end) for h in covering] + matches + ([selection] if selection else [])
        ):
            cuts.update((min(max(h_start, start), end), min(max(h_end, start), end)))
        if cursor_here and cursor < end:
            cuts.update((cursor, cursor + 1))
        cursor_style = styles["cursor" if self.has_focus else "cursor-blurred"]
        segments: list[Segment] = []
        column = 0
        for a, b in pairwise(sorted(cuts)):
            piece, column = _expand_tabs(text[a:b], column)
            style = base
            under = [h for h in covering if h.start <= a < h.end]
            if under:
                style = style + self._highlight_style(under[-1], len(under) > 1, base)
            if any(m_start <= a < m_end for m_start, m_end in matches):
                style = style + styles["match"]
            if selection and selection[0] <= a < selection[1]:
                style = style + styles["selection"]
            if cursor_here and a == cursor:
                style = style + cursor_style
            segments.append(Segment(piece, style))
        if cursor_here and cursor >= end:
            segments.append(Segment(" ", base + cursor_style))
        if covering:
            gutter = Segment("▌ ", base + Style(color=Color.parse(covering[0].color).rich_color))
        else:
            gutter = Segment("  ", base + styles["gutter"])
        return Strip([margin, gutter, *segments]).crop_extend(0, width, base)

    # Keyboard actions

    def _target(self, motion: str) -> int:
        text, cursor, wrapped = self.text, self.cursor, self.wrapped
        assert wrapped is not None
        height = max(1, self.scrollable_content_region.height - 2)
        if motion == "left":
            target = max(0, cursor - 1)
            while 0 < target < len(text) and _attaches_to_previous(text[target]):
                target -= 1
            return target
        if motion == "right":
            target = min(len(text), cursor + 1)
            while target < len(text) and _attaches_to_previous(text[target]):
                target += 1
            return target
        if motion in ("up", "down", "page_up", "page_down"):
            line, x = wrapped.cell_x(cursor)
            if self._goal_x is None:
                self._goal_x = x
            step = {"up": -1, "down": 1, "page_up": -height, "page_down": height}[motion]
            target_line = min(max(0, line + step), len(wrapped) - 1)
            if motion in ("page_up", "page_down"):
                self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)
            return wrapped.offset_at(target_line, self._goal_x)
        if motion == "line_start":
            return wrapped.starts[wrapped.line_of(cursor)]
        if motion == "line_end":
            line = wrapped.line_of(cursor)
            return wrapped.starts[line] + len(wrapped.line_text(line).rstrip())
        if motion == "top":
            return 0
        if motion == "bottom":
            return len(text)
        navigation = {
            "word": textnav.next_word_start,
            "back_word": textnav.prev_word_start,
            "sentence": textnav.next_sentence_start,
            "back_sentence": textnav.prev_sentence_start,
            "paragraph": textnav.next_paragraph_start,
            "back_paragraph": textnav.prev_paragraph_start,
        }
        return navigation[motion](text, cursor)

    def action_move(self, motion: str, extend: bool = False) -> None:
        """Move the cursor; with `extend` (shift) or in visual mode, extend the selection."""
        if self.wrapped is None:
            return
        if motion not in ("up", "down", "page_up", "page_down"):
            self._goal_x = None
        target = self._target(motion)
        if extend or self.visual:
            if self.anchor is None:
                self.anchor = self.cursor
        elif self.anchor is not None:
            self._invalidate_lines(*self._cursor_lines())
            self.anchor = None
        self.set_cursor(target)

    def action_toggle_visual(self) -> None:
        self.visual = not self.visual
        if self.visual:
            self.anchor = self.cursor
        else:
            self.action_clear_selection()
        self.post_message(self.CursorMoved(self))

    def action_clear_selection(self) -> None:
        self.visual = False
        if self.anchor is not None:
            self._invalidate_lines(*self._cursor_lines())
            self.anchor = None
            self.set_cursor(self.cursor)

    def action_expand_selection(self) -> None:
        """Select the word under the cursor, then its sentence, then its paragraph."""
        current = self.selection
        at = min(current[0], len(self.text) - 1) if current else self.cursor
        candidates = [
            textnav.word_at(self.text, at),
            textnav.sentence_bounds(self.text, at),
            textnav.paragraph_bounds(self.text, at),
        ]
        for span in candidates:
            if span is None or span[0] == span[1]:
                continue
            if current is None or (
                span[0] <= current[0] and span[1] >= current[1] and span != current
            ):
                self._invalidate_lines(*self._cursor_lines())
                self.select(*span)
                return

    def action_jump_highlight(self, direction: int) -> None:
        """Move to the start of the next (1) or previous (-1) highlight."""
        starts = sorted({h.start for h in self.highlights})
        if direction > 0:
            ahead = [s for s in starts if s > self.cursor]
            target = ahead[0] if ahead else None
        else:
            behind = [s for s in starts if s < self.cursor]
            target = behind[-1] if behind else None
        if target is None:
            self.app.bell()
            return
        self.action_clear_selection()
        self.set_cursor(target)

    def action_cycle_highlight(self) -> None:
        under = self.highlights_at(self.cursor)
        if len(under) < 2:
            return
        self._cycle = (self._cycle + 1) % len(under)
        self.post_message(self.CursorMoved(self))

    # Find in document

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Mark these spans (find-in-document results) and repaint the lines that changed."""
        changed = set(self.matches) ^ set(matches)
        self.matches = sorted(matches)
        for start, end in changed:
            self._invalidate_offsets(start, end)

    def action_find(self) -> None:
        self.post_message(self.FindRequested())

    def action_next_match(self, direction: int) -> None:
        """Move to the next (1) or previous (-1) find match, wrapping around."""
        if not self.matches:
            self.post_message(self.FindRequested())
            return
        starts = [start for start, _ in self.matches]
        if direction > 0:
            ahead = [s for s in starts if s > self.cursor]
            target = ahead[0] if ahead else starts[0]
        else:
            behind = [s for s in starts if s < self.cursor]
            target = behind[-1] if behind else starts[-1]
        self.action_clear_selection()
        self.set_cursor(target)

    # Mouse

    def offset_at_point(self, x: int, y: int) -> int:
        """The text offset under widget cell (x, y)."""
        assert self.wrapped is not None
        line = int(self.scroll_y) + y
        if line >= len(self.wrapped):
            return len(self.text)
        return self.wrapped.offset_at(line, x - self.left_margin - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.wrapped is None or event.button != 1:
            return
        self.focus()
        offset = self.offset_at_point(event.x, event.y)
        self._invalidate_lines(*self._cursor_lines())
        self.visual = False
        self.anchor = offset
        self._dragging = True
        self.capture_mouse()
        self.set_cursor(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging and self.wrapped is not None:
            self.set_cursor(self.offset_at_point(event.x, event.y))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self.anchor == self.cursor:
            self.anchor = None

    def on_click(self, event: events.Click) -> None:
        if self.wrapped is None or event.chain < 2:
            return
        at = self.offset_at_point(event.x, event.y)
        span = textnav.word_at(self.text, at) if event.chain == 2 else None
        if event.chain >= 3 or span is None:
            span = textnav.paragraph_bounds(self.text, at)
        if span[1] > span[0]:
            self._invalidate_lines(*self._cursor_lines())
            self.select(*span)
