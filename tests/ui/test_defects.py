"""One test per defect of issue #10, each failing on the code before the redesign.

They drive the app only through keys and the workspace, and name screens by class name, so that
the same file ran against the old code to show it failing.
"""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.conftest import settle
from tests.ui.keys_helpers import burst

DOC = "001_4310720f2bcf0b55"
QUOTE = "practically impossible"


def screen_name(app) -> str:
    return type(app.screen).__name__


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _open(pilot, workspace: Workspace, at: int) -> None:
    main = pilot.app.screen
    main.open_document(workspace.document(DOC), at)
    await settle(pilot)


async def test_tab_tab_then_typing_never_replaces_the_tags(workspace: Workspace) -> None:
    """Defect 1: e, Tab, Tab, then typing replaced every tag of the highlight."""
    made = workspace.annotate_quote(workspace.document(DOC), QUOTE,
                                    tags=["actor/russia", "frame/arms"])  # fmt: skip
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, made.start)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab", "tab", *"x, y", "ctrl+s")
        await settle(pilot)
        tags = workspace.annotation(made.id).tags
        assert tags[:2] == ["actor/russia", "frame/arms"], tags


async def test_the_palette_never_acts_on_a_hidden_screen(workspace: Workspace) -> None:
    """Defect 2: with the tags view open, ctrl+p "Delete" deleted the hidden highlight."""
    made = workspace.annotate_quote(workspace.document(DOC), QUOTE, tags=["actor/russia"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, made.start)
        await pilot.press("t")
        await settle(pilot)
        assert screen_name(app) == "TagsScreen"
        await pilot.press("ctrl+p", *"delete")
        offered = ""
        for _ in range(2_000):  # the palette searches its providers in tasks of its own
            await pilot.pause()
            lists = app.screen.query("CommandList")
            if lists and lists.first().option_count:
                offered = str(lists.first().get_option_at_index(0).prompt)
                break
        assert "Delete" in offered  # the tags view's own Delete
        await pilot.press("enter")
        await settle(pilot)
        assert screen_name(app) == "ConfirmDialog"  # deleting a tag asks first
        assert workspace.annotation(made.id).tags == ["actor/russia"]  # the highlight is there
        await pilot.press("escape")
        await settle(pilot)
        assert "actor/russia" in [n.path for n in workspace.codebook()]


async def test_escape_after_a_leaves_nothing(workspace: Workspace) -> None:
    """Defect 5: `a` made the highlight before the dialog; Escape kept it, untagged."""
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, text.index(QUOTE))
        await pilot.press("a")
        await settle(pilot)
        assert screen_name(app) == "AnnotateDialog"
        await pilot.press("escape")
        await settle(pilot)
        assert workspace.annotations() == []


async def test_bulk_tagging_asks_before_a_new_tag_and_undo_takes_it_out(
    workspace: Workspace,
) -> None:
    """Defect 6: T took a typo silently; u left the empty tag in the codebook."""
    document = workspace.document(DOC)
    workspace.annotate_quote(document, QUOTE, tags=["frame/energy"])
    workspace.annotate_quote(document, "General Milan Mojsilović", tags=["frame/energy"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, 0)
        await pilot.press("T", *"frame/enrgy", "enter")
        await settle(pilot)
        assert screen_name(app) == "ConfirmDialog"
        assert "frame/energy" in screen_text(app)  # the closest existing tag is named
        await pilot.press("y")
        await settle(pilot)
        assert len(workspace.annotations(tag="frame/enrgy")) == 2
        await pilot.press("u")
        await settle(pilot)
        assert workspace.annotations(tag="frame/enrgy") == []
        assert "frame/enrgy" not in [n.path for n in workspace.codebook()]
        assert "frame/enrgy" not in [name for name, _, _ in workspace.tag_usage()]


async def test_L_goes_to_the_library_and_j_enter_open_from_there(workspace: Workspace) -> None:
    """Defect 7: at 160 columns `L j Enter` hid the library, then acted on the reader."""
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, 0)
        first = app.screen.document.id
        burst(app, ["L", "j", "enter"])
        await settle(pilot)
        assert app.screen.document.id != first  # the next document opened
        assert workspace.annotations() == []  # Enter did not highlight in the reader


async def test_the_library_filter_ignores_accents(empty_root: Path) -> None:
    """Defect 7: `vucic` found nothing in the library filter."""
    (empty_root / "corpus" / "a.md").write_text("# Vučić in Moscow\n\nText.\n", encoding="utf-8")
    (empty_root / "corpus" / "b.md").write_text("# Other news\n\nText.\n", encoding="utf-8")
    with Workspace.open(empty_root) as workspace:
        app = make_app(workspace)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("f", *"vucic")
            await settle(pilot)
            rows = app.screen.query_one("#library-list").rows
            assert [d.title for d in rows] == ["Vučić in Moscow"]


async def test_ctrl_f_searches_everything_from_the_reader(workspace: Workspace) -> None:
    """Defect 7: from the reader no key reached the global search."""
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, 0)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert screen_name(app) == "SearchScreen"


async def test_help_in_the_tags_view_lists_its_keys(workspace: Workspace) -> None:
    """Defect 7: `?` in the tags view listed only library and reader keys."""
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = screen_text(app)
        assert "Rename" in help_text and "Merge" in help_text
        assert "Extend selection by word" not in help_text  # the reader's keys: not here


async def test_the_number_keys_are_shown_while_coding(workspace: Workspace) -> None:
    """Defect 7: nothing showed which tag sits on which number key."""
    workspace.create_tag("frame/eu")
    workspace.create_tag("actor/russia")
    workspace.set_favourite("frame/eu", 1)
    workspace.set_favourite("actor/russia", 2)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, 0)
        assert "1 frame/eu  ·  2 actor/russia" in screen_text(app)


async def test_redo_brings_back_what_undo_took(workspace: Workspace) -> None:
    """Defect 7: there was no redo."""
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, text.index(QUOTE))
        await pilot.press("m")
        await settle(pilot)
        [made] = workspace.annotations()
        await pilot.press("u")
        await settle(pilot)
        assert workspace.annotations() == []
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [a.uid for a in workspace.annotations()] == [made.uid]


async def test_an_edit_redraws_one_library_row_not_the_library(
    workspace: Workspace, monkeypatch
) -> None:
    """The redesign: an edit no longer re-reads every document to redraw the library."""
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _open(pilot, workspace, text.index(QUOTE))
        reads: list[int] = []
        everything = workspace.documents
        monkeypatch.setattr(workspace, "documents", lambda: reads.append(1) or everything())
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert reads == []
        row = next(d for d in app.screen.query_one("#library-list").rows if d.path == f"{DOC}.txt")
        assert row.annotations == 0  # the one row was redrawn with the count after the undo
        await pilot.press("ctrl+r")
        await settle(pilot)
        row = next(d for d in app.screen.query_one("#library-list").rows if d.path == f"{DOC}.txt")
        assert row.annotations == 1 and reads == []
