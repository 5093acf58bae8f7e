"""The config's [keys] and [ui] in the app: a remapped key works and help and footer show it
marked, problems are reported, the reading measure and the themes apply."""

from __future__ import annotations

import re

from reader.config.records import Settings, UiSettings
from reader.ui.app import make_app
from reader.ui.keymap import (
    KnownBinding,
    binding_catalogue,
    keymap_problems,
    keys_given_way,
    split_keys,
)
from reader.ui.screens.annotate_dialog import AnnotateDialog
from reader.ui.screens.help_screen import HelpScreen
from reader.ui.screens.main_screen import MainScreen
from reader.ui.widgets.document_lines import GUTTER
from reader.workspace import Workspace
from tests.ui.test_app import DOC, main_of, open_doc, screen_text

KNOWN = {
    "annotate": KnownBinding("annotate", "MainScreen", ("a", "enter"), "Highlight"),
    "mark": KnownBinding("mark", "MainScreen", ("m",), "Mark"),
    "reader.left": KnownBinding("reader.left", "DocumentView", ("left", "h"), "Left"),
    "reader.find": KnownBinding("reader.find", "DocumentView", ("slash",), "Find"),
}


def messages(app) -> str:
    return "\n".join(n.message for n in app._notifications)


# The rules, without a screen


def test_keys_are_read_as_textual_names() -> None:
    assert split_keys("ctrl+h, ?") == ("ctrl+h", "question_mark")
    assert split_keys(" , ") == ()


def test_problems_name_unknown_ids_and_clashes_in_one_scope() -> None:
    problems = keymap_problems({"anotate": "x", "mark": "a", "annotate": ""}, KNOWN)
    assert "[keys] anotate: no binding has this id (did you mean annotate?)" in problems
    assert "[keys] annotate: no key given" in problems
    assert "[keys] a clashes in MainScreen: annotate (Highlight), mark (Mark)" in problems
    # the same key in two scopes is no clash here: the user's key wins on its path (below)
    assert keymap_problems({"annotate": "h"}, KNOWN) == []
    # and defaults that already share a key are not the user's problem
    assert keymap_problems({}, {**KNOWN, "x": KnownBinding("x", "MainScreen", ("m",))}) == []


def test_a_users_key_is_given_way_by_the_defaults_on_its_path() -> None:
    chain = list(KNOWN.values())
    assert keys_given_way({"annotate": "h"}, [chain]) == ({"reader.left": "left"}, [])
    entries, notes = keys_given_way({"annotate": "slash"}, [chain])
    assert entries == {}  # find would have no key left: it keeps it, and the user is told
    assert notes == ["[keys] reader.find has no key left (slash is remapped to another "
                     "binding): give it one"]  # fmt: skip
    assert keys_given_way({"annotate": "h"}, [[KNOWN["reader.left"]]]) == ({}, [])  # elsewhere


def test_every_binding_has_a_unique_id() -> None:
    catalogue = binding_catalogue()
    assert {"annotate", "quit", "help", "reader.left", "favourite3", "stats.attribute.previous",
            "focus_highlights"} <= set(catalogue)  # fmt: skip


# In the app


async def test_a_remapped_key_works_and_help_and_footer_show_it(workspace: Workspace) -> None:
    workspace.settings = Settings(keys={"annotate": "h"})
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=100)
        assert "h* Highlight" in screen_text(app)  # the footer, marked
        await pilot.press("a")
        assert isinstance(app.screen, MainScreen)  # a no longer highlights
        await pilot.press("h")  # not left: the user's key wins over the view's default
        assert isinstance(app.screen, AnnotateDialog)
        await pilot.press("escape")
        await pilot.press("left")
        assert view.cursor == 99  # left keeps its arrow
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.content.plain
        assert "* remapped in your config" in help_text
        assert re.search(r"^  h\* +Highlight +annotate$", help_text, re.M)
        assert re.search(r"^  ←, h +Left +", help_text, re.M) is None
        assert re.search(r"^  ← +Left +reader.left$", help_text, re.M)
        assert not app._notifications  # nothing to report


async def test_clashes_and_unknown_ids_are_reported_at_start(workspace: Workspace) -> None:
    workspace.settings = Settings(keys={"mark": "e", "anotate": "x"})
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        said = messages(app)
        assert "[keys] anotate: no binding has this id (did you mean annotate?)" in said
        assert "[keys] e clashes in MainScreen: edit (Edit), mark (Mark)" in said
        assert "no key left" not in said  # in one scope, the clash says it all


async def test_the_text_column_keeps_the_line_width_and_clicks_hit_their_word(
    workspace: Workspace,
) -> None:
    workspace.settings = Settings(ui=UiSettings(line_width=60, panes=("reader",)))
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace)
        wrapped = view.wrapped
        assert view.measure == 60 and wrapped is not None
        lines = [wrapped.line_text(i).rstrip() for i in range(len(wrapped))]
        assert max(len(line) for line in lines) == 60  # wraps at 60, and uses the 60
        room = view.scrollable_content_region.width
        assert room > 150 and view.left_margin == (room - 60 - GUTTER) // 2  # centred
        word = "Mojsilović"
        line, x = wrapped.cell_x(text.index(word))
        row = line - int(view.scroll_y)
        await pilot.click(view, offset=(view.left_margin + GUTTER + x + 3, row))
        assert view.cursor == text.index(word) + 3
        rendered = view.render_line(row).text
        assert rendered[view.left_margin + GUTTER + x :].startswith(word)


async def test_no_line_width_takes_the_pane(workspace: Workspace) -> None:
    workspace.settings = Settings(ui=UiSettings(line_width=None, panes=("reader",)))
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace)
        assert view.measure == view.scrollable_content_region.width - GUTTER - 1 > 150


async def test_the_reader_theme_applies_and_an_unknown_one_is_reported(
    workspace: Workspace,
) -> None:
    workspace.settings = Settings(ui=UiSettings(theme="solarised-drak"))
    app = make_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert "[ui] theme 'solarised-drak' is not a theme" in messages(app)
    workspace.settings = Settings(ui=UiSettings(theme="reader"))
    app = make_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.theme == "reader"
        assert app.current_theme.background == "#1e1f22"
        assert not app._notifications


async def test_panes_and_widths_from_the_config(workspace: Workspace) -> None:
    workspace.settings = Settings(
        ui=UiSettings(panes=("library", "reader"), library_width=30, highlights_width=50)
    )
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        panes = main_of(app).panes
        assert panes.library.outer_size.width == 30
        assert not panes.highlights.display  # wide enough, but the config leaves it out
        await pilot.press("A")
        assert panes.highlights.display and panes.highlights.outer_size.width == 50


def test_keys_are_written_as_textual_names_and_anything_else_is_reported() -> None:
    from reader.ui.keymap import binding_catalogue, keymap_problems, normalized_keymap

    assert normalized_keymap({"annotate": "Ctrl+H, F5"}) == {"annotate": "ctrl+h,f5"}
    problems = keymap_problems({"annotate": "C-h", "mark": "ctrl+g"}, binding_catalogue())
    assert len(problems) == 1
    assert problems[0].startswith("[keys] annotate: 'c-h' is no key")
