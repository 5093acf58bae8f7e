"""What a reviewer found by probing the redesign, each kept from coming back: a typed tag is
never swapped for a look-alike, a refusal keeps what was typed, undo never brings back a tag
renamed in the tags view, a click never overtakes the keys typed before it."""

from __future__ import annotations

from reader.ui.app import make_app
from reader.ui.widgets.key_legend import KeyLegend
from reader.workspace import Workspace
from tests.conftest import settle, wait_until
from tests.ui.keys_helpers import burst, burst_click

DOC = "001_4310720f2bcf0b55"
QUOTE = "practically impossible"


def screen_name(app) -> str:
    return type(app.screen).__name__


async def _open_at_quote(pilot, workspace: Workspace) -> None:
    text = workspace.text(workspace.document(DOC))
    pilot.app.screen.open_document(workspace.document(DOC), text.index(QUOTE))
    await settle(pilot)


async def test_a_tag_typed_in_full_is_never_swapped_for_a_look_alike(workspace: Workspace) -> None:
    workspace.create_tag("actor/russia")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        burst(app, ["a", *"actor/serbia", "tab", *"my note", "ctrl+s"])
        await settle(pilot)
        [made] = workspace.annotations()
        assert (made.tags, made.note) == (["actor/serbia"], "my note")


async def test_tab_completes_what_is_typed_and_down_picks_the_top_suggestion(
    workspace: Workspace,
) -> None:
    workspace.create_tag("actor/russia")
    workspace.create_tag("frame/energy")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        burst(app, ["a", *"act", "tab", *"frame/enrgy", "down", "enter", "ctrl+s"])
        await settle(pilot)
        [made] = workspace.annotations()
        assert made.tags == ["actor/russia", "frame/energy"]


async def test_a_refused_tag_keeps_the_dialog_and_the_note(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        burst(app, ["a", *"energy, #", "tab", *"keep me", "ctrl+s"])
        await settle(pilot)
        assert screen_name(app) == "AnnotateDialog"
        assert app.screen.note.text == "keep me"
        assert workspace.annotations() == []
        assert any("visible character" in n.message for n in app._notifications)


async def test_an_unwritable_export_path_keeps_the_dialog_open(workspace: Workspace) -> None:
    (workspace.root / "afile").write_text("x", encoding="utf-8")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        await pilot.press("x")
        await settle(pilot)
        path_field = app.screen.query_one("#export-path")
        path_field.value = "afile/out.md"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and screen_name(app) == "ExportDialog"
        assert any("cannot write" in n.message for n in app._notifications)


async def test_undo_never_brings_back_a_tag_renamed_in_the_tags_view(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        burst(app, ["a", *"energy", "ctrl+s"])
        await settle(pilot)
        [made] = workspace.annotations()
        workspace_tags = [n.path for n in workspace.codebook()]
        assert workspace_tags == ["energy"]
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("r", "ctrl+u", *"frame/energy", "enter", "escape")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert workspace.annotation(made.id).tags == ["frame/energy"]
        assert [n.path for n in workspace.codebook() if n.exists] == ["frame/energy"]


async def test_a_click_never_overtakes_the_keys_typed_before_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        row = app.screen.query_one("#library-list").region
        burst(app, ["w", "m"])
        burst_click(app, row.x + 5, row.y + 3)  # on a library row, right after the keys
        await settle(pilot)
        assert len(workspace.annotations()) == 1  # `m` reached the reader before the click


async def test_the_legend_shows_tag_colours_from_the_start(
    workspace: Workspace, monkeypatch
) -> None:
    workspace.create_tag("frame/eu", color="#ff0000")
    workspace.set_favourite("frame/eu", 1)
    shown: list[dict[str, str]] = []
    original = KeyLegend.show

    def show(legend: KeyLegend, keys: dict[int, str], colors: dict[str, str]) -> None:
        shown.append(colors)
        original(legend, keys, colors)

    monkeypatch.setattr(KeyLegend, "show", show)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert shown and shown[0].get("frame/eu") == "#ff0000"


async def test_control_characters_in_a_title_never_reach_the_dialog_border(
    workspace: Workspace,
) -> None:
    path = workspace.corpus_dir / "evil.md"
    path.write_text("# Evil \x1b]0;pwned\x07 title\n\nSome text here.\n", encoding="utf-8")
    workspace.sync()
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        app.screen.open_document(workspace.document("evil.md"), 0)
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert screen_name(app) == "AnnotateDialog"
        title = str(app.screen.query_one("#dialog").border_title)
        assert "\x1b" not in title and "Evil" in title


async def test_shrinking_the_terminal_while_reading_keeps_the_keyboard_somewhere(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open_at_quote(pilot, workspace)
        await pilot.resize_terminal(80, 24)

        def narrow_and_focused_on_a_pane_on_show() -> bool:
            focused = app.focused
            visible = focused is not None and all(n.display for n in focused.ancestors_with_self)
            return not app.screen.reader.display and visible  # narrow: the library's turn

        await wait_until(pilot, narrow_and_focused_on_a_pane_on_show, what="focus on show")
        cursor = app.screen.query_one("#library-list").cursor
        await pilot.press("j")  # the library has the keys
        await settle(pilot)
        assert app.screen.query_one("#library-list").cursor == cursor + 1, app.focused
