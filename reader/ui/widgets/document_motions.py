"""Where each cursor motion of the reading view lands, as code-point offsets, and the keys.

Pure over the text and its wrap map, so the view only moves its cursor and scrolls.
"""

from __future__ import annotations

from textual.binding import Binding

from reader.text import textnav
from reader.ui.widgets.cells import char_cells
from reader.ui.widgets.lazy_layout import LazyLayout

VERTICAL = ("up", "down", "page_up", "page_down")  # these keep the column the cursor came from
_NAVIGATION = {
    "word": textnav.next_word_start,
    "back_word": textnav.prev_word_start,
    "sentence": textnav.next_sentence_start,
    "back_sentence": textnav.prev_sentence_start,
    "paragraph": textnav.next_paragraph_start,
    "back_paragraph": textnav.prev_paragraph_start,
}


def _move(keys: str, motion: str, description: str, extend: bool = False) -> Binding:
    """A cursor-motion binding; `extend` makes the shifted variant that grows the selection."""
    action = f"move({motion!r}, True)" if extend else f"move({motion!r})"
    binding_id = f"reader.{'select_' if extend else ''}{motion}"
    return Binding(keys, action, description, show=False, id=binding_id)


MOTION_BINDINGS = [
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
]


def attaches_to_previous(ch: str) -> bool:
    """Combining marks and other zero-width characters: the cursor never stops before one."""
    return ch not in "\n\t" and char_cells(ch) == 0


def motion_target(
    text: str, cursor: int, wrapped: LazyLayout, motion: str, goal_x: int | None, page: int
) -> tuple[int, int | None]:
    """The offset `motion` moves the cursor to, and the column vertical motions aim for."""
    if motion == "left":
        target = max(0, cursor - 1)
        while 0 < target < len(text) and attaches_to_previous(text[target]):
            target -= 1
        return target, goal_x
    if motion == "right":
        target = min(len(text), cursor + 1)
        while target < len(text) and attaches_to_previous(text[target]):
            target += 1
        return target, goal_x
    if motion in VERTICAL:
        line, x = wrapped.cell_x(cursor)
        goal = x if goal_x is None else goal_x
        step = {"up": -1, "down": 1, "page_up": -page, "page_down": page}[motion]
        target_line = min(max(0, line + step), len(wrapped) - 1)
        return wrapped.offset_at(target_line, goal), goal
    if motion == "line_start":
        return wrapped.starts[wrapped.line_of(cursor)], goal_x
    if motion == "line_end":
        line = wrapped.line_of(cursor)
        return wrapped.starts[line] + len(wrapped.line_text(line).rstrip()), goal_x
    if motion == "top":
        return 0, goal_x
    if motion == "bottom":
        return len(text), goal_x
    return _NAVIGATION[motion](text, cursor), goal_x


def next_start(starts: list[int], cursor: int, direction: int) -> int | None:
    """The first of `starts` after `cursor` (direction 1) or the last before it (-1)."""
    if direction > 0:
        return min((s for s in starts if s > cursor), default=None)
    return max((s for s in starts if s < cursor), default=None)


def scroll_target(line: int, top: int, height: int, center: bool) -> int | None:
    """The top line that brings `line` into a view `height` lines high now showing `top`
    first, a margin away from its edges (a third from the top with `center`); None if it
    is in view already."""
    margin = min(2, max(0, height // 4))
    if center:
        return max(0, line - height // 3)
    if line < top + margin:
        return max(0, line - margin)
    if line >= top + height - margin:
        return line - height + 1 + margin
    return None


def click_span(text: str, at: int, clicks: int) -> tuple[int, int]:
    """What a double click (the word, else the paragraph) or a triple click selects."""
    span = textnav.word_at(text, at) if clicks == 2 else None
    return textnav.paragraph_bounds(text, at) if clicks >= 3 or span is None else span


def wider_span(text: str, cursor: int, current: tuple[int, int] | None) -> tuple[int, int] | None:
    """The word at the cursor, else the sentence, else the paragraph: the first that holds
    more than the `current` selection."""
    at = min(current[0], len(text) - 1) if current else cursor
    for span in (textnav.word_at(text, at), textnav.sentence_bounds(text, at),
                 textnav.paragraph_bounds(text, at)):  # fmt: skip
        if span is None or span[0] == span[1]:
            continue
        if current is None or (span[0] <= current[0] and span[1] >= current[1] and span != current):
            return span
    return None
