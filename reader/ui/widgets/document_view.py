"""The reading pane: a Line API view over one document with a cursor, a selection and highlights.

Only the visible lines are rendered, each from the wrap map (`LazyLayout`, which wraps only the
paragraphs around the view) and cached by its start offset, so opening, paging, re-wrapping and
adding a highlight cost the same for a 1,000-word or a 1,000,000-word document. The cursor and
selection are code-point offsets into the canonical text; cells exist only here.
"""

from __future__ import annotations

from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.widgets.document_lines import (
    GUTTER,
    HighlightIndex,
    HighlightSpan,
    LineStyles,
    VisualLine,
    render_visual_line,
)
from reader.ui.widgets.document_motions import (
    VERTICAL,
    click_span,
    motion_target,
    next_start,
    scroll_target,
    wider_span,
)
from reader.ui.widgets.document_view_look import BINDINGS, COMPONENT_CLASSES, DOCUMENT_VIEW_CSS
from reader.ui.widgets.lazy_layout import LazyLayout, Paragraphs
from reader.ui.widgets.markdown_styles import MarkdownLook

DEFAULT_HIGHLIGHT = "#e5c07b"
LINE_CACHE_SIZE = 1024  # rendered lines kept: a few screens' worth, whatever the length


class DocumentView(ScrollView, can_focus=True):
    """Shows a document; moves a cursor; selects by keys and mouse; draws highlights."""

    HELP_TITLE = "Reading and selecting"
    line_width = 80  # the reading measure in cells, centred (`[ui] line_width`; no limit: 9999)

    ALLOW_SELECT = False  # selection here is ours, in offsets, not Textual's screen selection
    COMPONENT_CLASSES = COMPONENT_CLASSES
    DEFAULT_CSS = DOCUMENT_VIEW_CSS
    BINDINGS = BINDINGS

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
        self.markdown: MarkdownLook | None = None  # a Markdown article's front matter and styles
        self.body_start = 0  # the first offset shown: past a Markdown article's front matter
        self.cursor = 0
        self.visual = False
        self.wrapped: LazyLayout | None = None
        self._paragraphs = Paragraphs("")
        self.anchor: int | None = None
        self.marks = HighlightIndex([])
        self.matches: list[tuple[int, int]] = []
        self._cycle = 0
        self._goal_x: int | None = None
        self._dragging = False
        self._cache: LRUCache[int, Strip] = LRUCache(LINE_CACHE_SIZE)  # by a line's start offset
        self._painted: tuple[int, int] = (0, 0)  # offsets of the cursor/selection last painted
        self._preparing = False
        self._style_cache: tuple[bool, LineStyles] | None = None

    # Content

    def load(self, text: str, highlights: list[HighlightSpan], cursor: int = 0,
             markdown: bool = False) -> None:  # fmt: skip
        """Show a document, its highlights, the cursor at `cursor`; Markdown styled if asked."""
        self.text = text
        self.markdown = MarkdownLook(text) if markdown else None
        self.body_start = self.markdown.body_start if self.markdown else 0
        self._paragraphs = Paragraphs(text, self.body_start)
        self.anchor = None
        self.visual = False
        self.matches = []
        self.marks = HighlightIndex(highlights)
        self._cycle = 0
        self.wrapped = None
        self._relayout()
        self.set_cursor(cursor, center=True)

    def set_highlights(self, highlights: list[HighlightSpan]) -> None:
        """Replace the highlights, repainting only the lines whose marks changed."""
        before = set(self.marks.spans)
        self.marks = HighlightIndex(highlights)
        self._cycle = 0
        after = set(self.marks.spans)
        for span in before ^ after:
            self._invalidate_offsets(span.start, span.end)

    # Geometry

    @property
    def measure(self) -> int:
        """Text width in cells: at most `line_width`, less on narrow panes."""
        return max(8, min(self.line_width, self.scrollable_content_region.width - GUTTER - 1))

    @property
    def left_margin(self) -> int:
        return max(0, (self.scrollable_content_region.width - self.measure - GUTTER) // 2)

    def _relayout(self) -> None:
        """Wrap the text at the current measure, keeping the top line's text in view."""
        if not self.size.width:
            return
        measure = self.measure
        if self.wrapped is not None and self.wrapped.width == measure:
            self._prepare_view()  # a taller view: wrap what it now shows
            return
        previous = self.wrapped
        top_offset = previous.starts[int(self.scroll_y)] if previous is not None else None
        self.wrapped = LazyLayout(self._paragraphs, measure)
        self._cache.clear()
        self._painted = self._cursor_span()
        if top_offset is None:
            self.virtual_size = Size(0, len(self.wrapped))  # lines are cut to the width: no x
            self._scroll_to_cursor(center=True)
        else:
            self._scroll_to_line(self.wrapped.line_of(top_offset))
            self._scroll_to_cursor()
        self._prepare_view()

    def _update_height(self) -> None:
        """Give the scrollbar the height corrected by the paragraphs wrapped since, with no
        layout pass (the scrollbar is always there; a layout would cost a second frame)."""
        assert self.wrapped is not None
        if self.virtual_size.height != len(self.wrapped):
            self.set_reactive(DocumentView.virtual_size, Size(0, len(self.wrapped)))
            self._scroll_update(self.virtual_size)  # the scrollbar and the scroll limits

    def _scroll_to_line(self, line: int) -> None:
        self._update_height()
        self.scroll_to(y=line, animate=False, immediate=True)

    def _prepare_view(self) -> None:
        """Wrap the paragraphs a screen above and below the view, keeping its top line where it
        is when those above turn out taller or shorter than guessed; correct the scrollbar."""
        if self.wrapped is None or self._preparing or not self.size.height:
            return
        self._preparing = True
        try:
            height = self.scrollable_content_region.height
            paragraph, row = self.wrapped.locate(int(self.scroll_y))
            generation = self.wrapped.generation
            self.wrapped.wrap_around(int(self.scroll_y), above=height, below=2 * height)
            if self.wrapped.generation != generation:
                top = self.wrapped.first_line(paragraph) + row
                self._scroll_to_line(top)
                self.refresh()
        finally:
            self._preparing = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._prepare_view()

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
        size, body = len(self.text), self.body_start
        start, end = max(body, min(start, size)), max(body, min(end, size))
        self.anchor = start
        self.set_cursor(end)

    @property
    def highlights(self) -> list[HighlightSpan]:
        """The highlights drawn, in text order."""
        return self.marks.spans

    def highlights_at(self, offset: int) -> list[HighlightSpan]:
        """Highlights covering `offset`, in text order."""
        return self.marks.at(offset)

    def current_highlight(self) -> HighlightSpan | None:
        """The highlight under the cursor (`c` cycles through overlapping ones)."""
        under = self.highlights_at(self.cursor)
        if not under:
            return None
        return under[self._cycle % len(under)]

    def set_cursor(self, offset: int, *, center: bool = False) -> None:
        """Move the cursor, repaint the lines that changed, keep it in view."""
        offset = max(self.body_start, min(offset, len(self.text)))
        old_span = self._painted
        self.cursor = offset
        self._cycle = 0
        self._painted = new_span = self._cursor_span()
        self._invalidate_offsets(*old_span)
        self._invalidate_offsets(*new_span)
        self._scroll_to_cursor(center=center)
        self.post_message(self.CursorMoved(self))

    def _cursor_span(self) -> tuple[int, int]:
        """The offsets the cursor and selection are drawn over."""
        if self.anchor is None:
            return self.cursor, self.cursor
        return min(self.cursor, self.anchor), max(self.cursor, self.anchor)

    def _cursor_lines(self) -> tuple[int, int]:
        if self.wrapped is None:
            return (0, 0)
        first, last = self._cursor_span()
        return self.wrapped.line_of(first), self.wrapped.line_of(last)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if self.wrapped is None or not self.size.height:
            return
        target = scroll_target(self.wrapped.line_of(self.cursor), int(self.scroll_y),
                               self.scrollable_content_region.height, center)  # fmt: skip
        if target is not None:
            self._scroll_to_line(target)

    # Cache invalidation

    def _invalidate_lines(self, first: int, last: int) -> None:
        if self.wrapped is None:
            return
        if last - first > LINE_CACHE_SIZE:  # a long selection: forget every line at once
            self._cache.clear()
        else:
            for line in range(first, last + 1):
                self._cache.discard(self.wrapped.starts[line])
        self.refresh_lines(first, last - first + 1)

    def _invalidate_offsets(self, start: int, end: int) -> None:
        """Repaint the lines over [start, end]; a paragraph never wrapped was never drawn."""
        wrapped = self.wrapped
        if wrapped is None or not wrapped.is_wrapped_within(start, end):
            return
        self._invalidate_lines(wrapped.line_of(start), wrapped.line_of(max(start, end)))

    # Rendering

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_y)
        line = scroll_y + y
        width = self.scrollable_content_region.width
        if self.wrapped is None or line >= len(self.wrapped):
            return Strip.blank(width, self.rich_style)
        key = self.wrapped.starts[line]
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_visual_line(line, width)
            self._cache[key] = strip
        return strip

    def _styles(self) -> LineStyles:
        """The line styles, read again only on a style or focus change (reading is costly)."""
        if self._style_cache is None or self._style_cache[0] != self.has_focus:
            component = self.get_component_rich_style
            cursor = "document-view--cursor" + ("" if self.has_focus else "-blurred")
            self._style_cache = (self.has_focus, LineStyles(
                self.rich_style, component("document-view--gutter"),
                component("document-view--match"), component("document-view--selection"),
                component(cursor), MarkdownLook.kind_styles(component),
                self.app.console.color_system))  # fmt: skip
        return self._style_cache[1]

    def _render_visual_line(self, line: int, width: int) -> Strip:
        assert self.wrapped is not None
        styles, start, end = self._styles(), self.wrapped.starts[line], self.wrapped.ends[line]
        marked = self.markdown.styled(start, end, styles.markdown) if self.markdown else None
        at = VisualLine(self.wrapped, self._paragraphs.text, line, width)
        return render_visual_line(
            at, self._highlights_near(line), self.matches, self.selection, self.cursor, styles,
            marked)  # fmt: skip

    def _highlights_near(self, line: int) -> list[HighlightSpan]:
        assert self.wrapped is not None
        return self.marks.near(self.wrapped.starts[line], self.wrapped.ends[line])

    # Keyboard actions

    def action_move(self, motion: str, extend: bool = False) -> None:
        """Move the cursor; with `extend` (shift) or in visual mode, extend the selection."""
        if self.wrapped is None:
            return
        if motion not in VERTICAL:
            self._goal_x = None
        page = max(1, self.scrollable_content_region.height - 2)
        target, self._goal_x = motion_target(self.text, self.cursor, self.wrapped, motion,
                                             self._goal_x, page)  # fmt: skip
        if motion in ("page_up", "page_down"):
            step = page if motion == "page_down" else -page
            self._scroll_to_line(int(self.scroll_y) + step)
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
        span = wider_span(self.text, self.cursor, self.selection)
        if span is not None:
            self._invalidate_lines(*self._cursor_lines())
            self.select(*span)

    def action_jump_highlight(self, direction: int) -> None:
        """Move to the start of the next (1) or previous (-1) highlight."""
        starts = [h.start for h in self.highlights if h.start >= self.body_start]
        target = next_start(starts, self.cursor, direction)
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
        """Mark these find matches (none in hidden front matter); repaint the lines changed."""
        matches = [match for match in matches if match[0] >= self.body_start]
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
        target = next_start(starts, self.cursor, direction)
        if target is None:  # past the last match: wrap around
            target = starts[0] if direction > 0 else starts[-1]
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
        span = click_span(self.text, self.offset_at_point(event.x, event.y), event.chain)
        if span[1] > span[0]:
            self._invalidate_lines(*self._cursor_lines())
            self.select(*span)
