"""The library pane at 100,000 rows (issue #16): rows come as columns and stay lazy while the
list is drawn, scrolled and filtered; the filter's strings are prepared in a thread when the
rows arrive; words are scored in a thread, the newest query wins and a reload meanwhile is
not shown stale."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.models import Document
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.library_filtering import BACKGROUND_FILTER_ROWS
from reader.ui.widgets.library_model import LibraryModel
from reader.ui.widgets.library_pane import LibraryPane
from tests.conftest import settle, wait_until
from tests.ui.test_library import make_document
from tests.ui.test_library_model import big_columns

ROWS = 100_000


class BigLibraryApp(App[None]):
    CSS = "LibraryPane { width: 60; }"

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[int] = []

    def compose(self) -> ComposeResult:
        yield LibraryPane(id="library")

    def load(self, doc_id: int) -> Document:
        self.loaded.append(doc_id)
        return make_document(doc_id, f"record {doc_id}")


def expected_rows(query: str, order: str = "title") -> list[int]:
    """What a model filtering on the spot shows for `query`."""
    model = LibraryModel()
    model.set_rows(big_columns(ROWS))
    model.set_sort_by(order)  # type: ignore[arg-type]
    model.set_filter_text(query)
    return model.rows


async def test_a_100k_library_draws_and_scrolls_without_building_documents() -> None:
    app = BigLibraryApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(LibraryPane)
        pane.set_rows(big_columns(ROWS), app.load)
        pane.focus()
        await settle(pilot)
        listing = app.query_one(DocumentList)
        assert listing.row_count == ROWS
        await wait_until(pilot, lambda: listing.model.index.is_prepared, "strings prepared")
        await pilot.press("pagedown", "pagedown", "G")
        assert listing.cursor == ROWS - 1
        built = listing.model.documents.built_count
        assert built <= 4 and len(app.loaded) == built  # the rows highlighted, no more
        assert "Library · 100000 · by title" in str(pane.border_title)


async def test_words_are_scored_in_the_background_and_the_newest_query_wins() -> None:
    app = BigLibraryApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(LibraryPane)
        pane.set_rows(big_columns(ROWS), app.load)
        await settle(pilot)
        listing = pane.document_list
        assert len(listing.model.columns) >= BACKGROUND_FILTER_ROWS
        for typed in ("s", "se", "ser", "serb", "serbia"):  # faster than the scoring
            listing.set_filter_text(typed)
        assert listing.pending_filter == "serbia"
        await settle(pilot)
        assert listing.pending_filter is None
        assert listing.model.rows == expected_rows("serbia")
        assert listing.cursor == 0 and listing.filter_text == "serbia"
        listing.set_filter_text("")  # clearing is immediate, whatever the size
        assert listing.pending_filter is None and listing.row_count == ROWS


async def test_a_reload_while_scoring_scores_again_over_the_new_rows() -> None:
    app = BigLibraryApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(LibraryPane)
        pane.set_rows(big_columns(ROWS), app.load)
        await settle(pilot)
        listing = pane.document_list
        listing.set_filter_text("dusan")
        listing.set_sort_by("date")  # the order changes before the result arrives
        await settle(pilot)
        assert listing.model.rows == expected_rows("dusan", "date")
        pane.filter_input.value = "kathrine"  # typed into the box: the pane filters and titles
        await settle(pilot)
        rows = expected_rows("kathrine", "date")
        assert listing.model.rows == rows
        assert f"Library · {len(rows)} of {ROWS} · by match" in str(pane.border_title)


async def test_a_reload_with_a_filter_keeps_the_matches_shown_until_scored_again() -> None:
    """During a sync the library reloads a few times a second: with words in the filter, the
    reload does not score on the UI thread; the matches stay shown until the new ones come."""
    app = BigLibraryApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(LibraryPane)
        pane.set_rows(big_columns(ROWS), app.load)
        await settle(pilot)
        listing = pane.document_list
        listing.set_filter_text("petrovic")
        await settle(pilot)
        before = [listing.model.columns.ids[i] for i in listing.model.rows]
        grown = big_columns(ROWS + 10)  # ten more documents arrived
        pane.set_rows(grown, app.load)
        assert listing.pending_filter == "petrovic"
        assert [listing.model.columns.ids[i] for i in listing.model.rows] == before
        await settle(pilot)
        model = LibraryModel()
        model.set_rows(big_columns(ROWS + 10))
        model.set_filter_text("petrovic")
        assert listing.model.rows == model.rows and listing.filter_text == "petrovic"


async def test_the_filter_strings_are_built_once_the_frame_is_shown_or_the_filter_focused() -> None:
    """Building them holds the GIL for ~0.1 s at 100k rows: not while the first frame
    settles (a timer starts it), at once when the filter is focused."""
    app = BigLibraryApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(LibraryPane)
        pane.set_rows(big_columns(ROWS), app.load)
        listing = pane.document_list
        assert not listing.model.index.is_prepared  # nothing started with the rows:
        assert listing._prepare_soon is not None  # a timer will, after the frame settles
        assert not [w for w in app.workers if w.group == "library-index"]
        pane.focus_filter()
        await wait_until(pilot, lambda: listing.model.index.is_prepared, "strings prepared")
        assert listing._prepare_soon is None


async def test_a_large_library_is_set_aside_from_the_collector_until_the_list_goes() -> None:
    """Once the filter's index is built over 100k rows, what the app holds is out of the
    cyclic collector's full passes (each held the GIL ~50 ms in the middle of a keystroke),
    and it is given back when the list goes; a library below `BACKGROUND_FILTER_ROWS` is
    left alone."""
    import gc

    for rows, set_aside in ((BACKGROUND_FILTER_ROWS - 1, False), (ROWS, True)):
        assert gc.get_freeze_count() == 0
        app = BigLibraryApp()
        async with app.run_test(size=(80, 30)) as pilot:
            pane = app.query_one(LibraryPane)
            pane.set_rows(big_columns(rows), app.load)
            pane.focus_filter()
            index = pane.document_list.model.index
            await wait_until(pilot, lambda: index.is_prepared, "index")  # noqa: B023
            await app.workers.wait_for_complete()
            assert (gc.get_freeze_count() > 0) is set_aside
        assert gc.get_freeze_count() == 0
