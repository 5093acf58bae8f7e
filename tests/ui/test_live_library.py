"""The live library: files written into corpus/ while the app runs show up without a key, the
open document reloads in place, and a long sync shows its progress."""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import make_app
from reader.ui.screens.main_screen import MainScreen
from reader.workspace import Workspace
from tests.conftest import wait_until

ARTICLE = "001_4310720f2bcf0b55.txt"


def _paths(screen: MainScreen) -> set[str]:
    return {document.path for document in screen.library.document_list.documents}


async def _watching(pilot, screen: MainScreen) -> None:
    watcher = screen.panes.watcher
    await wait_until(
        pilot, lambda: watcher.watch_ready and not watcher.syncing, "the watcher to be ready"
    )


async def test_a_file_written_into_corpus_appears_in_the_library(workspace: Workspace) -> None:
    app = make_app(workspace, live_library=True)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _watching(pilot, screen)
        (workspace.corpus_dir / "new-article.txt").write_text(
            "A Brand New Article\n\nWords about gas.\n", "utf-8"
        )
        await wait_until(pilot, lambda: "new-article.txt" in _paths(screen), "the new file")
        (workspace.corpus_dir / "new-article.txt").unlink()
        await wait_until(
            pilot,
            lambda: any(d.status == "missing" for d in screen.library.document_list.documents),
            "the removed file to show as missing",
        )


async def test_the_open_document_reloads_in_place_when_its_file_changes(
    workspace: Workspace,
) -> None:
    document = workspace.document(ARTICLE)
    text = workspace.text(document)
    start = text.index("Serbia")
    workspace.annotate(document, start, start + len("Serbia"), ["actor"])
    app = make_app(workspace, open_at=(document, start), live_library=True)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _watching(pilot, screen)
        path = workspace.corpus_dir / ARTICLE
        lead = "An editor's note added on top of the article.\n\n"
        path.write_text(lead + path.read_text("utf-8"), "utf-8")
        await wait_until(pilot, lambda: screen.view.text.startswith(lead), "the reload")
        assert screen.view.cursor == start + len(lead)
        spans = screen.view.marks.spans
        assert [(s.start, s.end) for s in spans] == [(start + len(lead), start + len(lead) + 6)]
        assert screen.focused is screen.view


async def test_a_long_sync_shows_its_progress(empty_root: Path) -> None:
    corpus = empty_root / "corpus"
    for n in range(60):
        (corpus / f"article-{n:03}.txt").write_text(f"Article {n}\n\nSome words.\n", "utf-8")
    with Workspace.open(empty_root, sync=False) as workspace:
        app = make_app(workspace, live_library=True)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await wait_until(pilot, lambda: len(_paths(screen)) == 60, "all 60 articles")
            assert screen.panes.watcher.progress_shown == (60, 60)
            assert not screen.panes.watcher.has_class("-busy")


async def test_a_text_synced_by_another_process_is_reloaded_before_it_is_highlighted(
    workspace: Workspace,
) -> None:
    """Another command synced the changed file first, so this app's sync finds nothing new:
    the open document must still show the stored text, or offsets would land on other words."""
    document = workspace.document(ARTICLE)
    start = workspace.text(document).index("Serbia")
    app = make_app(workspace, open_at=(document, start))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        path = workspace.corpus_dir / ARTICLE
        lead = "An editor's note added on top of the article.\n\n"
        path.write_text(lead + path.read_text("utf-8"), "utf-8")
        Workspace.open(workspace.root).close()  # `reader list` in another terminal, say
        await pilot.press("S")
        await wait_until(pilot, lambda: screen.view.text.startswith(lead), "the reload")
        assert screen.view.cursor == start + len(lead)
        await pilot.press("m")  # the sentence under the cursor
        fresh = workspace.document(ARTICLE)
        [highlight] = workspace.annotations(fresh)
        assert highlight.start <= start + len(lead) < highlight.end
        assert "Serbia" in highlight.quote
        assert highlight.content_hash == fresh.content_hash


async def test_an_open_search_finds_documents_a_sync_brings_in(workspace: Workspace) -> None:
    """Searched for while a sync runs, what arrives afterwards is found without a key, and the
    result the user is on stays the one highlighted."""
    from textual.widgets import OptionList

    from reader.ui.screens.search_screen import RESULT_LIMIT, SearchScreen

    app = make_app(workspace, live_library=True)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _watching(pilot, screen)
        await pilot.press("slash", *"vucic")
        search = app.screen
        assert isinstance(search, SearchScreen)
        await wait_until(pilot, lambda: len(search.results) >= 3, "the first results")
        await pilot.press("down", "down")
        options = search.query_one("#search-results", OptionList)
        assert options.highlighted == 2
        chosen = search.results[2]
        before = len(search.results)
        # Ranked above every result there was: a title, and the name three times.
        (workspace.corpus_dir / "000-arrived.txt").write_text(
            "Vucic Vucic Vucic\n\nVucic met Vucic, said Vucic.\n", "utf-8"
        )
        await wait_until(
            pilot,
            lambda: any(r.doc == "000-arrived.txt" for r in search.results),
            "the new document among the results",
        )
        assert len(search.results) > before
        places = [(r.kind, r.doc, r.start, r.end, r.annotation) for r in search.results]
        place = (chosen.kind, chosen.doc, chosen.start, chosen.end, chosen.annotation)
        assert options.highlighted == places.index(place) != 2  # it moved, the highlight too
        await pilot.press("end", *" said")  # typed on: the highlight goes to the best match
        expected = workspace.search("vucic said", RESULT_LIMIT)
        await wait_until(pilot, lambda: search.results == expected, "the query typed on")
        assert options.highlighted == 0 and expected
