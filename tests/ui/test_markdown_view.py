"""A Markdown article in the reading view: its front matter hidden, its Markdown styled, and
offsets still counting into the whole canonical text."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment

from reader.ui.app import make_app
from reader.ui.widgets.document_view import DocumentView
from reader.workspace import Workspace
from tests.ui.test_app import main_of, view_of

ARTICLE = """---
title: Secretword Study
author: A. Writer
date: 2024-05-01
---
# The *Heading* line

Body with **bold words** and a [link](https://example.org) here.

Second paragraph holds the secretword. It ends here.
"""


def rendered_lines(view: DocumentView) -> list[str]:
    """The view's visible lines as text, without the margin and gutter."""
    return [view.render_line(y).text.strip() for y in range(view.size.height)]


def segments_of(view: DocumentView, y: int, text: str) -> list[Segment]:
    """The segments of visible line `y` that draw a part of `text`."""
    line = list(view.render_line(y))
    joined = "".join(segment.text for segment in line)
    start = joined.index(text)
    found, at = [], 0
    for segment in line:
        if at < start + len(text) and at + len(segment.text) > start:
            found.append(segment)
        at += len(segment.text)
    return found


def _workspace_with_article(root: Path, name: str = "article.md") -> Workspace:
    (root / "corpus" / name).write_text(ARTICLE, "utf-8")
    return Workspace.open(root)


async def test_front_matter_is_hidden_and_the_cursor_starts_on_the_body(empty_root: Path) -> None:
    with _workspace_with_article(empty_root) as ws:
        doc = ws.document("article")
        text = ws.text(doc)
        body = text.index("# The")
        async with make_app(ws).run_test(size=(120, 30)) as pilot:
            main_of(pilot.app).open_document(doc)  # no reading position yet: offset 0
            await pilot.pause()
            view = view_of(pilot.app)
            assert view.text == text and view.cursor == body
            lines = rendered_lines(view)
            assert lines[0] == "# The *Heading* line"
            assert not any("author" in line or line == "---" for line in lines)
            for keys in (("g",), ("up",), ("b",), ("(",), ("{",), ("left",), ("shift+up",)):
                await pilot.press(*keys)
                assert view.cursor == body, keys
            await pilot.press("escape", "slash", *"secretword", "enter")  # also in the title
            assert view.matches == [(text.index("secretword"), text.index("secretword") + 10)]
            assert view.cursor == text.index("secretword")
            await pilot.press("slash", "escape", "g", "plus", "plus", "plus")  # grow to paragraph
            assert view.selection is not None and view.selection[0] == body


async def test_headings_emphasis_and_markers_are_styled(empty_root: Path) -> None:
    with _workspace_with_article(empty_root) as ws:
        doc = ws.document("article")
        text = ws.text(doc)
        async with make_app(ws, (doc, text.index("Second"))).run_test(size=(120, 30)) as pilot:
            view = view_of(pilot.app)
            assert rendered_lines(view)[0] == "# The *Heading* line"
            [the] = segments_of(view, 0, "The ")
            assert the.style.bold and not the.style.italic
            assert all(s.style.bold and s.style.italic for s in segments_of(view, 0, "Heading"))
            [star] = segments_of(view, 0, "*")
            [plain] = segments_of(view, 2, "Body with ")
            assert star.style.color not in (the.style.color, plain.style.color)  # dimmed
            assert not plain.style.bold and not plain.style.italic
            assert all(s.style.bold for s in segments_of(view, 2, "bold words"))
            assert all(s.style.underline for s in segments_of(view, 2, "link"))


async def test_a_highlight_in_the_body_counts_into_the_whole_text(empty_root: Path) -> None:
    with _workspace_with_article(empty_root) as ws:
        doc = ws.document("article")
        text = ws.text(doc)
        at = text.index("bold words")
        async with make_app(ws, (doc, at)).run_test(size=(120, 30)) as pilot:
            view = view_of(pilot.app)
            await pilot.press("plus", "m")
            await pilot.pause()
            [made] = ws.annotations(doc)
            assert (made.start, made.end) == (at, at + len("bold"))
            assert made.quote == text[made.start : made.end] == "bold"
            await pilot.press("escape", "G")  # the cursor away: the highlight alone on its word
            [bold] = segments_of(view, 2, "bold")
            [words] = segments_of(view, 2, " words")
            assert bold.style.bgcolor is not None and bold.style.bgcolor != words.style.bgcolor
            assert bold.style.bold and words.style.bold  # the tint over the Markdown strong


async def test_a_text_file_with_dashes_is_shown_as_it_is(empty_root: Path) -> None:
    with _workspace_with_article(empty_root, "plain.txt") as ws:
        doc = ws.document("plain")
        async with make_app(ws, (doc, 0)).run_test(size=(120, 30)) as pilot:
            view = view_of(pilot.app)
            assert view.cursor == 0
            assert rendered_lines(view)[:2] == ["---", "title: Secretword Study"]
            assert all(not s.style.bold for s in segments_of(view, 5, "The "))
