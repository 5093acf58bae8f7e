"""Getting articles in from the TUI: ctrl+o adds a web page from a local server (or a file),
and I corrects the title of a document; both show in the library and the header at once."""

from __future__ import annotations

from reader.ui.app import make_app
from reader.ui.screens.add_dialog import AddDialog
from reader.ui.screens.metadata_dialog import MetadataDialog
from reader.workspace import Workspace
from tests.conftest import wait_until
from tests.ui.test_app import DOC, main_of, open_doc, screen_text


async def test_ctrl_o_adds_a_web_page_and_opens_it(workspace: Workspace, site: str) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, AddDialog)
        await pilot.press(*f"{site}/missing.html", "enter")
        await wait_until(pilot, lambda: not app.screen.busy, "the refusal")
        assert isinstance(app.screen, AddDialog)  # stays open to fix the address
        assert "404" in screen_text(app)
        app.screen.source_input.value = ""
        await pilot.press(*f"{site}/news_article.html", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, AddDialog), "the page")
        main = main_of(app)
        assert main.document is not None
        assert main.document.title == "City council approves new tram line to the northern suburbs"
        assert main.document.site == "The Riverside Gazette"
        assert main.view.text.startswith("The city council")
        paths = {d.path for d in main.library.document_list.documents}
        assert len(paths) == 6


async def test_escape_closes_the_add_dialog_without_adding(workspace: Workspace) -> None:
    async with make_app(workspace).run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+o", *"https://example", "escape")
        assert not isinstance(pilot.app.screen, AddDialog)
        assert len(workspace.documents()) == 5


async def test_I_corrects_the_title_everywhere(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("I")
        dialog = app.screen
        assert isinstance(dialog, MetadataDialog)
        dialog.inputs["title"].value = ""
        await pilot.press(*"Arms deals suspended", "tab", "tab", "tab", "tab")
        assert app.focused is dialog.inputs["site"]
        await pilot.press(*"Example Outlet", "enter")
        assert not isinstance(app.screen, MetadataDialog)
        document = workspace.document(DOC)
        assert (document.title, document.site) == ("Arms deals suspended", "Example Outlet")
        assert set(document.corrected) == {"title", "site"}
        shot = screen_text(app)
        assert shot.count("Arms deals suspended") >= 2  # the header and the library row


async def test_a_bad_date_is_refused_and_the_dialog_stays(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("I", "tab", "tab")
        app.screen.inputs["date"].value = ""
        await pilot.press(*"31/12/2024", "enter")
        assert isinstance(app.screen, MetadataDialog)
        assert workspace.document(DOC).corrected == ()


async def test_the_palette_offers_add_sync_and_metadata(workspace: Workspace) -> None:
    from reader.ui.palette import screen_commands

    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        titles = {command.title for command in screen_commands(app.screen)}
        assert {"Add article", "Sync corpus", "Title, author…"} <= titles
        await open_doc(pilot, workspace)
        titles = {command.title for command in screen_commands(app.screen)}
        assert {"Add article", "Sync corpus", "Title, author…"} <= titles
