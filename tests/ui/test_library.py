"""The library pane: rows, sorting, fuzzy filter, opening, hostile titles, mouse, 10,000 rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Input

from reader.models import Document
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.library_pane import LibraryPane
from reader.ui.widgets.library_rows import layout_row

SIZE = (100, 24)
HOSTILE = "[@click=app.quit]x[/] [TODO] \x1b]52;c;aGk=\x07 [/]"
HOSTILE_SHOWN = "[@click=app.quit]x[/] [TODO] ␛]52;c;aGk=␇ [/]"


def make_document(doc_id: int, title: str, **fields: Any) -> Document:
    values: dict[str, Any] = {
        "id": doc_id,
        "path": f"{doc_id:03d}.txt",
        "status": "ok",
        "title": title,
        "author": None,
        "date": None,
        "source": None,
        "words": 500,
        "reading_minutes": 3,
        "annotations": 0,
        "warning": None,
        "content_hash": None,
    }
    values.update(fields)
    return Document(**values)


SERBIA_BEGINS = make_document(
    1, "Serbia begins distancing itself from Russia", date="2025-01-12", annotations=1
)
RUSSIAN_ALLY = make_document(
    2,
    "Russian Ally Withdraws Support, Suspends Arms Contracts",
    author="Kathrine Frich",
    date="2025-01-08",
    annotations=4,
)
WILL_SERBIA = make_document(3, "Will Serbia now go from being an ally to an opponent of Putin?")
BOUND_TO_RUSSIA = make_document(
    4, "Bound to Russia: Serbia’s disruptive neutrality", author="Dana Author", annotations=2
)
TIME_FOR_SERBIA = make_document(
    5, "Time for Serbia to Scale Back Military Ties with Russia", date="2022-03-04"
)
SAMPLE = [SERBIA_BEGINS, RUSSIAN_ALLY, WILL_SERBIA, BOUND_TO_RUSSIA, TIME_FOR_SERBIA]


class LibraryApp(App[None]):
    """The pane alone, recording every document it asks to open."""

    CSS = "LibraryPane { width: 90; }"

    def __init__(self, documents: Iterable[Document]) -> None:
        super().__init__()
        self.documents = list(documents)
        self.chosen: list[Document] = []
        self.highlighted: list[Document | None] = []

    def compose(self) -> ComposeResult:
        yield LibraryPane(self.documents, id="library")

    def on_mount(self) -> None:
        self.query_one(LibraryPane).focus()

    def on_library_pane_document_chosen(self, message: LibraryPane.DocumentChosen) -> None:
        assert message.control is self.query_one(LibraryPane)
        self.chosen.append(message.document)

    def on_library_pane_document_highlighted(
        self, message: LibraryPane.DocumentHighlighted
    ) -> None:
        self.highlighted.append(message.document)


def pane(app: App[Any]) -> LibraryPane:
    return app.query_one(LibraryPane)


def listing(app: App[Any]) -> DocumentList:
    return app.query_one(DocumentList)


def shown_lines(app: App[Any]) -> list[str]:
    """The text of every row on screen, as rendered (not as stored)."""
    widget = listing(app)
    lines = [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]
    return [line for line in lines if line.strip()]


def shown_titles(app: App[Any]) -> list[str]:
    return [document.title for document in listing(app).rows]


async def test_every_title_is_rendered_with_its_details() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = shown_lines(app)
        assert len(lines) == 5
        for document in SAMPLE:
            assert any(document.title in line for line in lines), document.title
        russian_ally = next(line for line in lines if "Russian Ally" in line)
        assert russian_ally.rstrip().endswith("2025-01-08 ✎4")
        bound = next(line for line in lines if "Bound to Russia" in line)
        assert bound.rstrip().endswith("Dana Author ✎2")  # author when there is no date
        will = next(line for line in lines if "Will Serbia" in line)
        assert "✎" not in will  # nothing when there are no highlights
        assert pane(app).border_title == "Library · 5 · by title"
        assert app.focused is listing(app)
        assert pane(app).highlighted_document == BOUND_TO_RUSSIA  # first by title


async def test_o_cycles_title_date_most_annotated() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        by_title = sorted(SAMPLE, key=lambda d: d.title.casefold())
        assert listing(app).rows == by_title
        assert shown_lines(app)[0].strip().startswith("Bound to Russia")

        await pilot.press("o")
        await pilot.pause()
        # newest first, then the undated ones (by title)
        assert listing(app).rows == [
            SERBIA_BEGINS,
            RUSSIAN_ALLY,
            TIME_FOR_SERBIA,
            BOUND_TO_RUSSIA,
            WILL_SERBIA,
        ]
        assert shown_lines(app)[0].strip().startswith("Serbia begins")
        assert pane(app).border_title == "Library · 5 · by date"

        await pilot.press("o")
        await pilot.pause()
        assert [d.annotations for d in listing(app).rows] == [4, 2, 1, 0, 0]
        assert pane(app).border_title == "Library · 5 · most annotated"

        await pilot.press("o")
        await pilot.pause()
        assert listing(app).rows == by_title
        assert pane(app).border_title == "Library · 5 · by title"


async def test_sorting_keeps_the_highlighted_document() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j", "j")
        highlighted = pane(app).highlighted_document
        await pilot.press("o")
        await pilot.pause()
        assert pane(app).highlighted_document == highlighted


async def test_filter_narrows_as_you_type_even_with_a_typo() -> None:
    app = LibraryApp([*SAMPLE, make_document(6, "The price of eggs in a series of markets")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is app.query_one("#library-filter", Input)
        counts = []
        for character in "serbai":  # a typo for Serbia
            await pilot.press(character)
            await pilot.pause()
            counts.append(listing(app).row_count)
        assert counts == sorted(counts, reverse=True)  # never widens while typing here
        titles = shown_titles(app)
        assert sorted(titles) == sorted(d.title for d in SAMPLE if "Serbia" in d.title)
        assert "The price of eggs in a series of markets" not in titles  # "series" is not close
        assert pane(app).border_title == "Library · 4 of 6 · by match"
        assert all("Serbia" in line for line in shown_lines(app))

        await pilot.press("escape")  # clears
        await pilot.pause()
        assert listing(app).row_count == 6
        assert pane(app).border_title == "Library · 6 · by title"


async def test_filter_matches_author_and_path_and_orders_by_score() -> None:
    documents = [*SAMPLE, make_document(7, "Putting things right", path="notes/putin-speech.txt")]
    app = LibraryApp(documents)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        filter_input = app.query_one("#library-filter", Input)
        filter_input.focus()
        await pilot.press(*"kathrin frich")
        await pilot.pause()
        assert listing(app).rows == [RUSSIAN_ALLY]

        filter_input.value = "putin"
        await pilot.pause()
        assert {d.id for d in listing(app).rows} == {WILL_SERBIA.id, 7}

        filter_input.value = "serbia putin"  # every word must match
        await pilot.pause()
        assert listing(app).rows == [WILL_SERBIA]

        filter_input.value = "Serbia’s neutrality"  # exact words score best
        await pilot.pause()
        assert listing(app).rows[0] == BOUND_TO_RUSSIA

        filter_input.value = "zqxjv"
        await pilot.pause()
        assert listing(app).row_count == 0
        assert pane(app).highlighted_document is None
        await pilot.press("enter")  # to the (empty) list
        await pilot.press("enter")  # nothing to open
        await pilot.pause()
        assert app.chosen == []


async def test_down_and_enter_in_the_filter_move_to_the_list() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f", *"putn")
        await pilot.pause()
        await pilot.press("down")
        assert app.focused is listing(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == [WILL_SERBIA]

        await pilot.press("f")
        await pilot.press("enter")
        assert app.focused is listing(app)
        assert app.query_one("#library-filter", Input).value == "putn"


async def test_enter_posts_document_chosen_with_the_highlighted_document() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        expected = sorted(SAMPLE, key=lambda d: d.title.casefold())[2]
        assert app.chosen == [expected]


async def test_navigation_keys() -> None:
    documents = [make_document(i, f"Article {i:03d}") for i in range(1, 101)]
    app = LibraryApp(documents)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = listing(app)
        await pilot.press("j", "j", "down")
        assert widget.cursor == 3
        await pilot.press("k", "up")
        assert widget.cursor == 1
        await pilot.press("G")
        assert widget.cursor == 99
        assert any("Article 100" in line for line in shown_lines(app))  # scrolled to it
        await pilot.press("g")
        assert widget.cursor == 0
        await pilot.press("pagedown")
        page = widget.scrollable_content_region.height
        assert widget.cursor == page
        await pilot.press("pageup")
        assert widget.cursor == 0
        await pilot.press("end", "down")
        assert widget.cursor == 99
        await pilot.press("home", "up")
        assert widget.cursor == 0
        await pilot.pause()
        moves = [1, 2, 3, 4, 3, 2, 100, 1, 1 + page, 1, 100, 1]  # none at either end's bump
        assert [d and d.id for d in app.highlighted] == moves


async def test_skipped_document_does_not_open_and_says_why() -> None:
    skipped = make_document(
        9, "photo.jpg", status="skipped", warning="binary file [b]x[/b] \x1b[31m"
    )
    missing = make_document(8, "Gone but annotated", status="missing", annotations=2)
    app = LibraryApp([skipped, missing])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = shown_lines(app)
        assert lines[0].startswith(" ✗ Gone but annotated")
        assert lines[1].startswith(" ⊘ photo.jpg")
        await pilot.press("down")
        assert pane(app).highlighted_document == skipped
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == []
        [notification] = list(app._notifications)
        assert notification.markup is False
        assert "binary file [b]x[/b] ␛[31m" in notification.message
        assert "\x1b" not in notification.message

        await pilot.press("up", "enter")  # a missing document still opens (its notes remain)
        await pilot.pause()
        assert app.chosen == [missing]


async def test_unavailable_rows_are_dimmed_and_their_mark_stands_out() -> None:
    missing = make_document(2, "Gone", status="missing")
    app = LibraryApp([make_document(1, "Apples"), missing, make_document(3, "Cherries")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = listing(app)

        def style_of(text: str) -> Any:
            segments = [segment for y in range(3) for segment in widget.render_line(y)]
            return next(segment.style for segment in segments if segment.text == text)

        assert [d.title for d in widget.rows] == ["Apples", "Cherries", "Gone"]
        assert style_of("Gone").color != style_of("Cherries").color
        assert style_of("✗").bold
        assert style_of("✗").color not in (style_of("Gone").color, style_of("Cherries").color)


async def test_cursor_row_uses_a_dimmer_style_when_the_list_is_not_focused() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        widget = listing(app)
        focused = widget.render_line(0)
        plain = widget.render_line(1)
        app.query_one("#library-filter", Input).focus()
        await pilot.pause()
        blurred = widget.render_line(0)
        backgrounds = {list(strip)[-1].style.bgcolor for strip in (focused, plain, blurred)}
        assert len(backgrounds) == 3

        app.theme = "textual-light"  # rows are cached: a new theme must still recolour them
        await pilot.pause()
        assert list(widget.render_line(1))[-1].style.bgcolor != list(plain)[-1].style.bgcolor


async def test_hostile_titles_render_literally_and_do_not_crash() -> None:
    documents = [
        make_document(1, HOSTILE, author="[red]x[/red]"),
        make_document(2, "[TODO] tidy", path="[b]bold[/b].txt"),
        make_document(3, "", path="[@click=app.quit]q[/].txt", author="\x1b]52;c;aGk=\x07"),
        make_document(4, "\u202eevil\u202c right-to-left", date="2024-05-01\x07"),
    ]
    app = LibraryApp(documents)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        text = "\n".join(shown_lines(app))
        assert HOSTILE_SHOWN in text
        assert "[red]x[/red]" in text
        assert "[TODO] tidy" in text
        assert "[@click=app.quit]q[/].txt" in text  # no title: the path stands in
        assert "␛]52;c;aGk=␇" in text
        assert "\ufffdevil\ufffd right-to-left" in text
        assert "2024-05-01␇" in text
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "\x07" not in screenshot
        for y in range(4):  # clicking a title's fake link does nothing but highlight
            await pilot.click(DocumentList, offset=(6, y))
        assert app.is_running
        await pilot.press("f", *"todo")
        await pilot.pause()
        assert {d.id for d in listing(app).rows} == {1, 2}


async def test_click_highlights_and_click_on_highlighted_row_opens() -> None:
    app = LibraryApp(SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = listing(app).rows
        await pilot.click(DocumentList, offset=(10, 2))
        assert pane(app).highlighted_document == rows[2]
        assert app.chosen == []
        await pilot.click(DocumentList, offset=(10, 2))
        assert app.chosen == [rows[2]]

        await pilot.double_click(DocumentList, offset=(10, 4))
        assert app.chosen == [rows[2], rows[4]]  # once, not twice

        await pilot.click(DocumentList, offset=(10, 20))  # below the last row
        assert pane(app).highlighted_document == rows[4]


async def test_set_documents_keeps_the_highlight_and_select_document_scrolls() -> None:
    documents = [make_document(i, f"Article {i:04d}") for i in range(1, 501)]
    app = LibraryApp(documents)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        library = pane(app)
        assert library.select_document(321)
        await pilot.pause()
        assert library.highlighted_document == documents[320]
        assert any("Article 0321" in line for line in shown_lines(app))

        renamed = [replace(d, title=f"Piece {d.id:04d}") for d in documents[200:]]
        library.set_documents(renamed)
        await pilot.pause()
        assert library.highlighted_document == renamed[120]
        assert library.border_title == "Library · 300 · by title"

        app.query_one("#library-filter", Input).value = "Piece 0250"
        await pilot.pause()
        assert library.select_document(400)  # hidden by the filter: the filter is cleared
        await pilot.pause()
        assert app.query_one("#library-filter", Input).value == ""
        assert library.highlighted_document is not None
        assert library.highlighted_document.id == 400
        assert not library.select_document(7)  # gone


async def test_wide_characters_never_overflow_the_row() -> None:
    documents = [
        make_document(1, "漢字のタイトル" * 8, date="2024-01-01", annotations=3),
        make_document(2, "😀 emoji " * 10, author="作者の名前" * 5),
        make_document(3, "x", author="y" * 200, annotations=12345),
    ]
    app = LibraryApp(documents)
    async with app.run_test(size=SIZE) as pilot:
        for width in (90, 31, 12, 5, 3):
            app.query_one(LibraryPane).styles.width = width
            await pilot.pause()
            widget = listing(app)
            room = widget.scrollable_content_region.width
            for y in range(3):
                strip = widget.render_line(y)
                assert strip.cell_length == room
                assert cell_len(strip.text) == room


async def test_ten_thousand_documents_mount() -> None:
    documents = [
        make_document(i, f"Document number {i:05d}", date=f"20{i % 25:02d}-01-01")
        for i in range(1, 10_001)
    ]
    app = LibraryApp(documents)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert listing(app).row_count == 10_000
        assert pane(app).border_title == "Library · 10000 · by title"
        await pilot.press("end")
        assert any("Document number 10000" in line for line in shown_lines(app))
        await pilot.press("f", *"number 09999")
        await pilot.pause()
        assert listing(app).rows[0].id == 9999


@given(
    mark=st.sampled_from([" ", "✗", "⊘"]),
    title=st.text(st.characters(blacklist_categories=["Cc", "Cs"])),
    detail=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=40),
    count=st.sampled_from(["", "✎1", "✎123"]),
    width=st.integers(min_value=0, max_value=120),
)
def test_layout_row_always_fills_exactly_the_width(
    mark: str, title: str, detail: str, count: str, width: int
) -> None:
    pieces = layout_row(mark, title, detail, count, width)
    assert sum(cell_len(text) for text, _ in pieces) == width


AWKWARD = st.sampled_from(["a", " ", "\u00ad", "\u093f", "\u0915", "漢", "\u0301", "é", "😀"])


@given(st.text(AWKWARD, max_size=80), st.integers(min_value=4, max_value=60))
@example("aaaaaa\u00ad", 10)  # a soft hyphen: no cell in Unicode's tables, one as Rich draws it
@example("\u0915\u093f" * 20, 30)  # Devanagari vowel signs: the other way round
def test_a_row_is_exactly_as_wide_as_asked_whatever_the_title(title: str, width: int) -> None:
    """Soft hyphens, Devanagari marks, CJK: the row's pieces add up to the width Rich draws."""
    pieces = layout_row("✗", title, "2025-01-08", "✎3 ⚠1", width)
    assert sum(cell_len(text) for text, _ in pieces) == width


def test_skipped_files_sort_after_readable_ones_in_every_order() -> None:
    from reader.ui.widgets.library_rows import SORT_KEYS, sorted_indices

    broken = make_document(
        6, "AAA first by title", status="skipped", warning="scanned PDF without a text layer",
        date="2030-01-01", annotations=9,
    )  # fmt: skip
    documents = [broken, *SAMPLE]
    for order in SORT_KEYS:
        indices = sorted_indices(documents, order)
        assert indices[-1] == 0, order
        assert sorted(indices) == list(range(len(documents)))
