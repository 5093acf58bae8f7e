"""The reading pane over a 1,000,000-word document: it wraps only around what it shows, keeps
its top line when re-wrapped, and scrolling into guessed heights shows every line in order."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.ui.widgets.document_lines import HighlightSpan
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.layout import Layout


def million_words() -> str:
    """20,000 paragraphs of varied length (so guessed heights are often wrong), 1M words."""
    paragraphs, words = [], 0
    for index in range(20_000):
        size = 10 + (index * 37) % 81
        paragraphs.append(" ".join(f"w{index}-{i}" for i in range(size)))
        words += size
    return "\n\n".join(paragraphs)


class Reading(App[None]):
    def __init__(self, text: str, cursor: int = 0) -> None:
        super().__init__()
        self.text, self.cursor = text, cursor

    def compose(self) -> ComposeResult:
        yield DocumentView(id="view")

    def on_mount(self) -> None:
        view = self.query_one(DocumentView)
        highlight = HighlightSpan(1, len(self.text) - 30, len(self.text) - 5, "#e5c07b")
        view.load(self.text, [highlight], cursor=self.cursor)
        view.focus()


def shown(view: DocumentView) -> list[tuple[int, int]]:
    """The [start, end) offsets of the lines on screen."""
    assert view.wrapped is not None
    top, height = int(view.scroll_y), view.scrollable_content_region.height
    return [view.wrapped.line_span(line) for line in range(top, top + height)]


def consecutive(text: str, width: int, lines: list[tuple[int, int]]) -> bool:
    """Whether `lines` are consecutive lines of the whole text wrapped eagerly."""
    start = text.rfind("\n", 0, lines[0][0]) + 1
    end = text.find("\n", lines[-1][1])
    eager = Layout(text[start : len(text) if end < 0 else end], width)
    spans = [(start + a, start + b) for a, b in zip(eager.starts, eager.ends, strict=True)]
    first = spans.index(lines[0])
    return spans[first : first + len(lines)] == lines


async def test_end_of_a_million_words_wraps_only_near_the_view() -> None:
    text = million_words()
    app = Reading(text)
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(DocumentView)
        await pilot.press("G")
        await pilot.pause()
        assert view.wrapped is not None
        assert view.cursor == len(text)
        assert view.wrapped.wrapped_paragraphs < 100  # of 39,999
        assert shown(view)[-1][1] == len(text) or any(b == len(text) for _, b in shown(view))
        assert consecutive(text, view.wrapped.width, [s for s in shown(view) if s[1] <= len(text)])


async def test_scrolling_up_into_guessed_heights_shows_every_line() -> None:
    text = million_words()
    app = Reading(text, cursor=len(text) // 2)
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(DocumentView)
        assert view.wrapped is not None
        previous = shown(view)
        for _ in range(12):
            await pilot.press("up")  # the cursor leaves the top: one line at a time
        for _ in range(6):
            await pilot.press("pageup")
            await pilot.pause()
            now = shown(view)
            assert consecutive(text, view.wrapped.width, now)
            assert now[-2:] == previous[:2]  # a page keeps two lines of the one before
            previous = now


async def test_resize_keeps_the_offset_at_the_top_of_the_view() -> None:
    text = million_words()
    app = Reading(text, cursor=len(text) * 3 // 4)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(DocumentView)
        assert view.wrapped is not None
        top_offset = shown(view)[0][0]
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert view.wrapped.width < 80
        assert view.wrapped.line_of(top_offset) == int(view.scroll_y)
        assert shown(view)[0][0] <= view.cursor <= shown(view)[-1][1]  # the cursor still shows
        assert view.wrapped.wrapped_paragraphs < 100
