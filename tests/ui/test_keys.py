"""No key is lost, reordered or run as a command when typed faster than the app handles it.

Each test queues a whole key sequence before the app handles the first key (`burst`), which is
what a busy machine or a fast typist does to a terminal app.
"""

from __future__ import annotations

from reader.ui.app import make_app
from reader.ui.screens.annotate_dialog import AnnotateDialog
from reader.ui.screens.main_screen import MainScreen
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.tag_field import TagInput
from reader.workspace import Workspace
from tests.conftest import settle
from tests.ui.keys_helpers import burst

DOC = "001_4310720f2bcf0b55"


async def _reading(pilot, workspace: Workspace, at: int = 200) -> DocumentView:
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    main.open_document(workspace.document(DOC), at)
    await settle(pilot)
    view = main.query_one(DocumentView)
    assert pilot.app.focused is view
    return view


async def test_keys_typed_after_slash_land_in_the_find_field(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await _reading(pilot, workspace)
        burst(app, ["/", "g", "a", "s"])
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.reader.find_bar.value == "gas"
        assert app.focused is main.reader.find_bar
        assert workspace.annotations() == []  # `a` made no highlight
        assert view.cursor != 0 or "gas" in view.text[:3].casefold()  # `g` did not jump


async def test_slash_then_zq_does_not_quit(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _reading(pilot, workspace)
        burst(app, ["/", "z", "q"])
        await settle(pilot)
        assert app.is_running
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.reader.find_bar.value == "zq"


async def test_slash_then_kosovo_neither_moves_nor_enters_visual_mode(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await _reading(pilot, workspace)
        burst(app, ["/", *"Kosovo"])
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.reader.find_bar.value == "Kosovo"
        assert not view.visual
        assert view.selection is None


async def test_backspaces_in_the_find_field_stay_in_order(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _reading(pilot, workspace)
        burst(app, ["/", "a", "b", "c", "d", "backspace", "backspace", "X", "Y"])
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.reader.find_bar.value == "abXY"


async def test_keys_typed_after_a_land_in_the_tag_field_in_order(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _reading(pilot, workspace)
        burst(app, ["a", "a", "b", "c", "d", "backspace", "backspace", "X", "Y"])
        await settle(pilot)
        assert isinstance(app.screen, AnnotateDialog)
        assert app.screen.query_one(TagInput).value == "abXY"
