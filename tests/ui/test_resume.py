"""The session: the app reopens the last document where it was left, unless asked for another
or told not to, and remembers theme, layout and sort per workspace (over the config's [ui])."""

from __future__ import annotations

from click.testing import CliRunner

from reader.cli.commands import cli
from reader.config.records import Settings, UiSettings
from reader.ui import app as app_module
from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.ui.test_app import DOC, main_of, open_doc

OTHER = "000_1d5d00d34374701d"


async def _read_and_quit(workspace: Workspace, at: int) -> int:
    """Open DOC at `at`, move a word on, quit with q; returns where the cursor was."""
    app = make_app(workspace, resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=at)
        await pilot.press("w")  # the position is where the user moved to, not where it opened
        assert view.cursor > at
        at = view.cursor
        await pilot.press("q")
    assert workspace.ui_state()["document"] == str(workspace.document(DOC).id)
    return at


async def test_resume_reopens_the_last_document_at_its_offset(workspace: Workspace) -> None:
    at = await _read_and_quit(workspace, 1017)
    app = make_app(workspace, resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        main = main_of(app)
        assert main.document is not None and main.document.path == f"{DOC}.txt"
        assert main.view.cursor == at
        assert app.focused is main.view


async def test_no_resume_and_a_document_asked_for_do_not_resume(workspace: Workspace) -> None:
    await _read_and_quit(workspace, 1017)
    async with make_app(workspace, resume=False).run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert main_of(pilot.app).document is None  # the library, as before
    other = workspace.document(OTHER)
    app = make_app(workspace, (other, 5), resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert main_of(app).document == other and main_of(app).view.cursor == 5


def test_the_cli_resumes_unless_told_not_to(workspace: Workspace, monkeypatch) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(
        app_module, "run_app", lambda ws, open_at=None, resume=True: calls.append(resume)
    )
    runner = CliRunner()
    root = str(workspace.root)
    assert runner.invoke(cli, ["-w", root]).exit_code == 0
    assert runner.invoke(cli, ["-w", root, "--no-resume"]).exit_code == 0
    assert calls == [True, False]


async def test_theme_sort_and_layout_are_remembered_over_the_config(
    workspace: Workspace,
) -> None:
    workspace.settings = Settings(ui=UiSettings(theme="reader", library_sort="annotations"))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        main = main_of(app)
        assert app.theme == "reader" and main.library.sort_by == "annotations"
        app.theme = "nord"  # as the palette's theme picker does
        await pilot.press("o")  # annotations -> title
        assert main.library.sort_by == "title"
        await open_doc(pilot, workspace)
        assert main.panes.highlights.display  # wide: shown by default
        await pilot.press("A", "A")  # to the highlights pane, then hide it
        assert not main.panes.highlights.display
        saved = workspace.ui_state()  # saved as they changed, before any quit
        assert (saved["theme"], saved["sort"], saved["highlights"]) == ("nord", "title", "hidden")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        main = main_of(app)
        assert app.theme == "nord" and main.library.sort_by == "title"
        assert not main.panes.highlights.display


async def test_a_config_edited_after_a_session_wins_over_what_that_session_saved(
    workspace: Workspace,
) -> None:
    """Quitting saves the state of the day with the config of the day; a later config change
    is the user asking for something new, so it applies."""
    app = make_app(workspace, resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("q")
    assert workspace.ui_state().get("sort") == "title"
    workspace.settings = Settings(ui=UiSettings(library_sort="date", theme="reader"))
    app = make_app(workspace, resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert main_of(app).library.document_list.sort_by == "date"
        assert app.theme == "reader"


async def test_the_document_on_show_is_remembered_before_any_quit(workspace: Workspace) -> None:
    """A closed terminal or a dropped SSH session never quits cleanly."""
    app = make_app(workspace, resume=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        assert workspace.ui_state()["document"] == str(workspace.document(DOC).id)
