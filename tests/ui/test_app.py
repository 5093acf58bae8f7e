"""The reading app end to end with Pilot: open, select, highlight, edit, delete, undo, restart."""

from __future__ import annotations

from pathlib import Path

from textual.actions import parse

from reader.ui.app import make_app
from reader.ui.palette import screen_commands
from reader.ui.screens.annotate_dialog import AnnotateDialog
from reader.ui.screens.help_screen import HelpScreen
from reader.ui.screens.main_screen import MainScreen
from reader.ui.widgets.document_view import DocumentView
from reader.workspace import Workspace
from tests.conftest import settle

DOC = "001_4310720f2bcf0b55"
SAMPLE_TITLES = [
    "Serbia begins distancing itself from Russia",
    "Russian Ally Withdraws Support, Suspends Arms Contracts",
    "Will Serbia now go from being an ally to an opponent of Putin?",
    "Bound to Russia: Serbia’s disruptive neutrality",
    "Time for Serbia to Scale Back Military Ties with Russia",
]


def screen_text(app) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def view_of(app) -> DocumentView:
    return app.screen.query_one(DocumentView)


def main_of(app) -> MainScreen:
    screen = app.get_screen_by_type(MainScreen)
    assert screen is not None
    return screen


async def open_doc(pilot, workspace: Workspace, handle: str = DOC, at: int = 0) -> DocumentView:
    main_of(pilot.app).open_document(workspace.document(handle), at)
    await pilot.pause()
    return view_of(pilot.app)


async def test_library_shows_the_five_titles_and_enter_opens_one(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        shot = screen_text(app)
        for title in SAMPLE_TITLES:
            assert title[:18] in shot
        await pilot.press("f", *"russian ally", "enter")
        await pilot.press("enter")
        await pilot.pause()
        assert main_of(app).document is not None
        assert main_of(app).document.path == f"{DOC}.txt"
        assert app.focused is view_of(app)
        assert "Kathrine Frich · 2025-01-08 · 317 words" in screen_text(app)


async def test_keyboard_selection_word_sentence_and_visual_mode(workspace: Workspace) -> None:
    text = workspace.text(workspace.document(DOC))
    at = text.index("General Milan Mojsilović")
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=at)
        await pilot.press("v", "w", "w")
        assert text[slice(*view.selection)] == "General Milan "
        await pilot.press("v")
        assert view.selection is None
        await pilot.press("b", "b", "plus")
        assert text[slice(*view.selection)] == "General"
        await pilot.press("plus")
        assert text[slice(*view.selection)].startswith("General Milan Mojsilović, Chief")
        assert text[slice(*view.selection)].endswith("“practically impossible.”")
        await pilot.press("escape")
        assert view.selection is None
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert len(view.text[slice(*view.selection)]) == 3


async def test_mouse_drag_selects_exact_offsets(workspace: Workspace) -> None:
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace)
        y = 0  # first line: the title, "Russian Ally Withdraws Support, ..."
        x0 = view.left_margin + 2  # the gutter takes two cells
        await pilot.mouse_down(view, offset=(x0 + 13, y))
        await pilot.hover(view, offset=(x0 + 18, y))
        await pilot.mouse_up(view, offset=(x0 + 22, y))
        assert view.text[slice(*view.selection)] == "Withdraws"


async def test_highlight_with_tags_and_note_then_edit_delete_undo(workspace: Workspace) -> None:
    text = workspace.text(workspace.document(DOC))
    at = text.index("practically impossible")
    workspace.annotate_quote(
        workspace.document("000_1d5d00d34374701d"), "Mojsilović", tags=["army"]
    )
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=at)
        await pilot.press("v", *["l"] * 22, "a")
        assert isinstance(app_screen := pilot.app.screen, AnnotateDialog)
        await pilot.press(*"ar")  # fuzzy-suggests the existing "army"
        await pilot.press("tab", *"quote", "tab")
        assert app_screen.query_one("#tags").value == "army, quote"
        await pilot.press(*"The chief of staff's words", "ctrl+s")
        await pilot.pause()
        [made] = workspace.annotations(workspace.document(DOC))
        assert (made.quote, made.tags, made.note) == (
            "practically impossible", ["army", "quote"], "The chief of staff's words",
        )  # fmt: skip
        assert view.current_highlight().annotation_id == made.id

        await pilot.press("e")
        assert isinstance(pilot.app.screen, AnnotateDialog)
        await pilot.press("end")
        await pilot.press(*"policy", "tab", "ctrl+s")
        await pilot.pause()
        assert workspace.annotation(made.id).tags == ["army", "policy", "quote"]

        await pilot.press("d")
        await pilot.pause()
        assert workspace.annotations(workspace.document(DOC)) == []
        await pilot.press("u")
        await pilot.pause()
        assert workspace.annotation(made.id).tags == ["army", "policy", "quote"]
        await pilot.press("u")  # undoes the edit
        await pilot.pause()
        assert workspace.annotation(made.id).tags == ["army", "quote"]


async def test_mark_without_selection_highlights_the_sentence(workspace: Workspace) -> None:
    text = workspace.text(workspace.document(DOC))
    at = text.index("He emphasized")
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, at=at + 5)
        await pilot.press("m")
        await pilot.pause()
        [made] = workspace.annotations()
        assert made.quote == (
            "He emphasized that Serbia is actively seeking ways to manage its military needs "
            "amid the disruptions."
        )


async def test_jump_between_highlights_and_cycle_overlaps(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    first = workspace.annotate_quote(doc, "close ties rooted in shared history")
    overlap = workspace.annotate_quote(doc, "shared history, cultural connections")
    last = workspace.annotate_quote(doc, "practically impossible")
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=0)
        await pilot.press("]")
        assert view.cursor == first.start
        await pilot.press("]")
        assert view.cursor == overlap.start
        assert {h.annotation_id for h in view.highlights_at(view.cursor)} == {first.id, overlap.id}
        current = view.current_highlight().annotation_id
        await pilot.press("c")
        assert view.current_highlight().annotation_id != current
        await pilot.press("]", "[")
        assert view.cursor == overlap.start
        await pilot.press("]")
        assert view.cursor == last.start


async def test_everything_survives_a_restart(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        text = ws.text(ws.document(DOC))
        at = text.index("Mojsilović stated")
        async with make_app(ws).run_test(size=(160, 48)) as pilot:
            await open_doc(pilot, ws, at=at)
            await pilot.press("plus", "m", "j", "j")
            await pilot.pause()
            position = view_of(pilot.app).cursor
            await pilot.press("q")
    with Workspace.open(workspace_root) as ws:
        assert [a.quote for a in ws.annotations()] == ["Mojsilović"]
        app = make_app(ws)
        async with app.run_test(size=(160, 48)) as pilot:
            main_of(app).open_document(ws.document(DOC))
            await pilot.pause()
            assert view_of(app).cursor == position
            assert len(view_of(app).highlights) == 1


async def test_hostile_text_is_shown_literally_everywhere(empty_root: Path) -> None:
    hostile = (
        "[@click=app.quit]Click[/] [TODO] \x1b]52;c;aGk=\x07 [/]\n\nBody [bold]x[/] \u202eevil\n"
    )
    (empty_root / "corpus" / "[red]evil[x].txt").write_text(hostile, "utf-8")
    with Workspace.open(empty_root) as ws:
        doc = ws.document("[red]evil[x]")
        ws.annotate_quote(
            doc, "Body [bold]x[/]", tags=["[b]t[/b]"], note="[@click=app.quit]n[/] \x1b[2J"
        )
        app = make_app(ws)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            shot = screen_text(app)
            assert "[@click=app.quit]Click[/] [TODO] ␛]52;c;aGk=␇ [/]" in shot
            assert "Body [bold]x[/]" in shot and "#[b]t[/b]" in shot
            assert "✎ [@click=app.quit]n[/] ␛[2J" in shot  # the note, in the highlights pane
            assert "\x1b" not in "".join(view_of(app).render_line(y).text for y in range(5))
            await pilot.click(view_of(app), offset=(5, 0))
            await pilot.press("e")
            await pilot.press("escape")
            assert app.is_running


async def test_help_palette_and_narrow_terminal(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.content.plain
        for described in ("Extend selection by word", "Next sentence", "Highlight", "Undo", "Sort"):
            assert described in help_text
        assert "Keys · escape closes" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        main = main_of(app)
        assert main.document is not None
        assert not main.library.display  # narrow: the reader takes the whole width
        await pilot.press("L")
        await pilot.pause()
        assert main.library.display
        await pilot.press("L")  # from the library, L goes back to the text
        await pilot.pause()
        assert app.focused is view_of(app)
        commands = [c.title for c in screen_commands(app.screen)]
        for binding in MainScreen.BINDINGS:  # every action that can run is in the palette
            _, name, parameters = parse(binding.action)
            can_run = bool(main.check_action(name, parameters))
            assert binding.tooltip and (binding.description in commands) == can_run, binding


async def test_enter_on_a_highlight_edits_it_instead_of_duplicating(workspace: Workspace) -> None:
    made = workspace.annotate_quote(workspace.document(DOC), "practically impossible")
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, at=made.start + 3)
        await pilot.press("m")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, AnnotateDialog)
        await pilot.press("escape")
    assert len(workspace.annotations()) == 1


async def test_open_at_an_offset_and_cjk_mouse_selection(empty_root: Path) -> None:
    text = "标题 Title\n\n北京欢迎你 👍 e\u0301t café\tend\n"
    (empty_root / "corpus" / "wide.txt").write_text(text, "utf-8")
    with Workspace.open(empty_root) as ws:
        doc = ws.document("wide")
        at = ws.text(doc).index("欢")
        app = make_app(ws, (doc, at))
        async with app.run_test(size=(120, 30)) as pilot:
            view = view_of(app)
            assert view.cursor == at
            x0 = view.left_margin + 2
            line = 2  # "北京欢迎你 👍 ..." is the third visual line
            # 北 at cells 0-1, 京 2-3, 欢 4-5, 迎 6-7, 你 8-9: drag from the 2nd cell of 京 to 迎
            await pilot.mouse_down(view, offset=(x0 + 3, line))
            await pilot.hover(view, offset=(x0 + 6, line))
            await pilot.mouse_up(view, offset=(x0 + 6, line))
            assert view.text[slice(*view.selection)] == "京欢"
            await pilot.press("m")
            await pilot.pause()
            [made] = ws.annotations()
            assert (made.quote, made.start) == ("京欢", text.index("京"))


async def test_a_failed_write_is_a_notification_not_a_crash(
    workspace: Workspace, monkeypatch
) -> None:
    from reader.errors import StoreError

    def locked(*args, **kwargs):
        raise StoreError("cannot write annotations.db: database is locked")

    monkeypatch.setattr(workspace, "annotate", locked)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, at=100)
        await pilot.press("m")
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("database is locked" in m for m in messages)


async def test_copy_a_highlight_and_all_highlights(workspace: Workspace, monkeypatch) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    made = workspace.annotate_quote(workspace.document(DOC), "practically impossible", note="n")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, at=made.start)
        await pilot.press("y")
        await settle(pilot)  # the copy or search thread finished, its result shown
        assert app.clipboard.startswith("> practically impossible\n>\n> — Kathrine Frich")
        assert any("OSC 52" in n.message for n in app._notifications)
        await pilot.press("Y")
        await settle(pilot)  # the copy or search thread finished, its result shown
        assert app.clipboard.startswith("---\ntitle: ")
        assert "> practically impossible" in app.clipboard


async def test_export_dialog_writes_and_says_where(workspace: Workspace) -> None:
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["arms"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("x")
        assert type(app.screen).__name__ == "ExportDialog"
        await pilot.press("ctrl+s")
        await pilot.pause()
        target = (
            workspace.root
            / "exports"
            / "Russian Ally Withdraws Support, Suspends Arms Contracts.md"
        )
        assert target.read_text("utf-8").startswith("---\ntitle: ")
        assert any(str(target.resolve()) in n.message for n in app._notifications)


async def test_orphans_are_listed_opened_and_reattached(workspace_root: Path) -> None:
    path = workspace_root / "corpus" / f"{DOC}.txt"
    with Workspace.open(workspace_root) as ws:
        made = ws.annotate_quote(ws.document(DOC), "practically impossible", tags=["arms"])
    path.write_text(path.read_text("utf-8").replace("practically impossible", "very hard"), "utf-8")
    with Workspace.open(workspace_root) as ws:
        assert ws.annotation(made.id).status == "orphaned"
        assert ws.document(DOC).orphans == 1
        app = make_app(ws)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("O")
            assert type(app.screen).__name__ == "OrphansScreen"
            assert "practically impossible" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen) and main_of(app).document.path == f"{DOC}.txt"
            view = main_of(app).view
            at = ws.text(ws.document(DOC)).index("very hard")
            view.select(at, at + len("very hard"))
            await pilot.press("R")
            await pilot.press("enter")
            await pilot.pause()
            attached = ws.annotation(made.id)
            assert (attached.status, attached.quote, attached.tags) == (
                "anchored",
                "very hard",
                ["arms"],
            )
            await pilot.press("u")
            await pilot.pause()
            assert ws.annotation(made.id).status == "orphaned"
            assert ws.annotation(made.id).quote == "practically impossible"


async def test_search_with_a_typo_lands_on_the_span_and_highlights_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash")
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press(*"practicaly imposible")
        await settle(pilot)  # the copy or search thread finished, its result shown
        assert "practically impossible" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        main = main_of(app)
        assert isinstance(app.screen, MainScreen) and main.document.path == f"{DOC}.txt"
        assert main.view.text[slice(*main.view.selection)] == "practically impossible"
        await pilot.press("m")
        await pilot.pause()
        [made] = workspace.annotations()
        assert made.quote == "practically impossible"


async def test_find_in_document_marks_matches_and_n_moves(workspace: Workspace) -> None:
    text = workspace.text(workspace.document("000_1d5d00d34374701d"))
    expected = [i for i in range(len(text)) if text[i : i + 5].lower() in ("vučić", "vucic")]
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, "000_1d5d00d34374701d", at=0)
        await pilot.press("slash", *"vucic", "enter")
        await pilot.pause()
        assert [start for start, _ in view.matches] == expected and len(expected) >= 3
        assert pilot.app.focused is view and view.cursor == expected[0]
        await pilot.press("n")
        assert view.cursor == expected[1]
        await pilot.press("N", "N")
        assert view.cursor == expected[-1]
        await pilot.press("slash", "escape")
        assert view.matches == [] and pilot.app.focused is view


async def test_export_and_copy_from_a_search(workspace: Workspace, monkeypatch) -> None:
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", lambda text: (_ for _ in ()).throw(OSError("none")))
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", note="army chief")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("slash", *"army chief")
        await settle(pilot)  # the copy or search thread finished, its result shown
        await pilot.press("ctrl+y")
        await settle(pilot)  # the copy or search thread finished, its result shown
        assert app.clipboard.startswith("> practically impossible")
        await pilot.press("ctrl+s")
        await pilot.pause()
        target = workspace.root / "exports" / "search army chief.md"
        assert "> practically impossible" in target.read_text("utf-8")
