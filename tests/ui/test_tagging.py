"""Coding with the keyboard through Pilot: number keys, `.`, bulk tagging, the tags view (tree,
highlights, jump, rename/merge/delete/pin) and the statistics screen opened with `s`."""

from __future__ import annotations

from reader.codebook.csv_io import import_codebook_csv
from reader.ui.app import make_app
from reader.ui.screens.bulk_tag_dialog import BulkTagDialog
from reader.ui.screens.codebook_file_dialog import CodebookFileDialog
from reader.ui.screens.prompt_dialogs import ConfirmDialog, PromptDialog
from reader.ui.screens.stats_screen import StatsScreen
from reader.ui.screens.tags_screen import TagsScreen
from reader.workspace import Workspace
from tests.conftest import wait_until
from tests.ui.test_app import DOC, main_of, open_doc, screen_text

OTHER = "000_1d5d00d34374701d"
HOSTILE_TAG = "evil/[bold]x[/] \x1b[31m\u202e"


def _coded(workspace: Workspace) -> None:
    """Three highlights in two documents under `actor/...` and `frame/...`."""
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible", tags=["actor/russia"], note="n1")
    workspace.annotate_quote(doc, "General Milan Mojsilović", tags=["actor/serbia"])
    workspace.annotate_quote(
        workspace.document(OTHER), "Belgrade’s decisions", tags=["actor/serbia", "frame/eu"]
    )


async def test_number_keys_apply_favourite_tags_and_dot_repeats(workspace: Workspace) -> None:
    import_codebook_csv(workspace.store, "path\nframe/energy\nactor/russia\n")  # codes, no uses
    workspace.set_favourite("frame/energy", 1)
    workspace.set_favourite("actor/russia", 2)
    text = workspace.text(workspace.document(DOC))
    at = text.index("General Milan Mojsilović")
    async with make_app(workspace).run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=at)
        await pilot.press("v", "w", "w", "1")  # a selection and key 1: one highlight, one tag
        await pilot.pause()
        made = workspace.annotations(workspace.document(DOC))
        assert [(a.quote, a.tags) for a in made] == [("General Milan", ["frame/energy"])]
        assert view.selection is None
        await pilot.press("2")  # on that highlight now: key 2 adds its tag
        assert workspace.annotation(made[0].id).tags == ["actor/russia", "frame/energy"]
        await pilot.press("2")  # again: takes it off
        assert workspace.annotation(made[0].id).tags == ["frame/energy"]
        await pilot.press("u")  # undo puts it back
        assert workspace.annotation(made[0].id).tags == ["actor/russia", "frame/energy"]
        view.set_cursor(text.index("However"))
        await pilot.press("v", "w", "full_stop")  # `.` repeats the last tags applied
        await pilot.pause()
        repeated = [a for a in workspace.annotations(workspace.document(DOC)) if a.id != made[0].id]
        assert [(a.quote, a.tags) for a in repeated] == [("However,", ["actor/russia"])]
        await pilot.press("3")
        await pilot.pause()
        assert any("Key 3 has no tag yet" in n.message for n in pilot.app._notifications)


async def test_tags_view_shows_the_tree_and_jumps_to_a_highlight(workspace: Workspace) -> None:
    _coded(workspace)
    workspace.describe_tag("actor", "Who acts or speaks")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, OTHER)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)
        shot = " ".join(screen_text(app).split())
        assert "actor 3 · 2 docs" in shot  # the parent counts its sub-tags' highlights
        assert "russia 1 · 1 doc" in shot and "serbia 2 · 2 docs" in shot
        assert "Who acts or speaks" in shot
        assert "actor · 3 highlight(s) in 2 document(s)" in shot
        await pilot.press("j")  # actor/russia
        await pilot.pause()
        assert "actor/russia · 1 highlight(s) in 1 document(s)" in screen_text(app)
        assert "practically impossible" in screen_text(app)
        assert "Russian Ally Withdraws Support" in screen_text(app)  # its document's heading
        await pilot.press("enter", "enter")  # into the list, then open the highlight
        await pilot.pause()
        main = main_of(app)
        assert app.screen is main and main.document.path == f"{DOC}.txt"
        text = workspace.text(main.document)
        assert main.view.cursor == text.index("practically impossible")
        assert main.view.current_highlight() is not None


async def test_tags_view_renames_merges_deletes_and_pins(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        await pilot.press("j", "j")  # actor/serbia
        assert screen.current.path == "actor/serbia"
        await pilot.press("r")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("ctrl+u", *"actor/srbija", "enter")
        await pilot.pause()
        assert "actor/srbija" in [n.path for n in workspace.codebook()]
        assert screen.current.path == "actor/srbija"
        await pilot.press("r", "ctrl+u", *"actor/russia", "enter")  # an existing tag: asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        tree = {n.path: n.highlights for n in workspace.codebook()}
        assert tree["actor/russia"] == 3 and "actor/srbija" not in tree
        assert len(workspace.annotations()) == 3
        await pilot.press("5")  # pin actor/russia on key 5
        await pilot.pause()
        assert workspace.favourite_tags() == {5: "actor/russia"}
        assert "[5]" in screen_text(app)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "3 highlight(s) in 2 document(s)" in screen_text(app)
        await pilot.press("n")  # no: nothing deleted
        assert "actor/russia" in [n.path for n in workspace.codebook()]
        await pilot.press("d", "y")
        await pilot.pause()
        assert "actor/russia" not in [n.path for n in workspace.codebook()]
        assert len(workspace.annotations()) == 3  # the highlights stay
        await pilot.press("escape")
        assert app.screen is main_of(app)


async def test_tags_view_merges_marked_tags(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("j", "space", "space")  # mark actor/russia and actor/serbia
        assert app.screen.marked == {"actor/russia", "actor/serbia"}
        await pilot.pause()
        marks = [line for line in screen_text(app).splitlines() if "✓" in line]
        assert len(marks) == 2 and "russia" in marks[0] and "serbia" in marks[1]
        await pilot.press("M", *"actor/state", "enter")
        await pilot.pause()
        tree = {n.path: n.highlights for n in workspace.codebook()}
        assert tree["actor/state"] == 3 and "actor/russia" not in tree


async def test_bulk_tag_the_document_and_a_search(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("T")
        assert isinstance(app.screen, BulkTagDialog)
        await pilot.press(*"source/balkan", "enter", "y")  # y: yes, a new tag
        await pilot.pause()
        tagged = workspace.annotations(tag="source/balkan")
        assert sorted(a.quote for a in tagged) == ["General Milan Mojsilović",
                                                   "practically impossible"]  # fmt: skip
        await pilot.press("T", *"-source/balkan", "enter")
        await pilot.pause()
        assert workspace.annotations(tag="source/balkan") == []
        await pilot.press("u")  # undo the removal
        assert len(workspace.annotations(tag="source/balkan")) == 2
        main_of(app).action_search()  # in the reader, / finds in the document
        await pilot.pause()
        await pilot.press(*"tag:frame")
        await wait_until(
            pilot, lambda: getattr(app.screen, "results", None), "the results of tag:frame"
        )
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, BulkTagDialog)
        await pilot.press(*"checked", "enter")
        assert isinstance(app.screen, ConfirmDialog)  # a new tag: asked before it is made
        await pilot.press("y")
        await pilot.pause()
        assert [a.quote for a in workspace.annotations(tag="checked")] == ["Belgrade’s decisions"]


async def test_s_opens_the_statistics(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        rows = [" ".join(line.split()) for line in screen_text(app).splitlines()]
        assert "Tag D1 D2 D3 D4 D5 All Docs" in rows
        assert "actor 1 2 · · · 3 2" in rows  # the parent counts its sub-tags' highlights
        assert "serbia 1 1 · · · 2 2" in rows
        await pilot.press("2")  # co-occurrence: serbia and eu on one highlight
        await pilot.pause()
        shot = screen_text(app)
        assert "actor/serbia" in shot and "frame/eu" in shot
        await pilot.press("escape")
        assert app.screen is main_of(app)


async def test_hostile_tag_names_show_literally_in_the_tags_view(workspace: Workspace) -> None:
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=[HOSTILE_TAG])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        shot = screen_text(app)
        assert "[bold]x[/]" in shot
        assert "\x1b" not in shot and "\u202e" not in shot


async def test_a_big_tag_lists_a_page_of_highlights_and_enter_shows_more(
    workspace: Workspace,
) -> None:
    from reader.ui.widgets.tag_tree import HIGHLIGHTS_PAGE, MORE

    doc = workspace.document(DOC)
    for i in range(HIGHLIGHTS_PAGE + 5):
        workspace.annotate(doc, 10 * i, 10 * i + 5, tags=["big"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        listing = screen.highlight_list
        assert sum(h is not None for h in screen.highlight_list.highlights) == HIGHLIGHTS_PAGE
        assert listing.get_option_at_index(listing.option_count - 1).id == MORE
        assert "… 5 more" in str(listing.get_option_at_index(listing.option_count - 1).prompt)
        await pilot.press("enter")  # into the list
        listing.highlighted = listing.option_count - 1
        await pilot.press("enter")  # on the "more" row
        await pilot.pause()
        assert sum(h is not None for h in screen.highlight_list.highlights) == HIGHLIGHTS_PAGE + 5
        assert app.screen is screen


async def test_help_lists_the_tag_keys_once(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.content.plain
        assert "1…9" in text and "Apply the tag on key 1…9" in text
        assert "Apply the tag on key 2" not in text
        for key, name, binding_id in (("t", "Tags", "tags"), ("s", "Stats", "stats"),
                                      ("T", "Tag all", "bulk_tag"),
                                      (".", "Repeat tags", "repeat_tags")):  # fmt: skip
            row = [key, *name.split(), binding_id]  # the id is what [keys] remaps it by
            assert any(line.split() == row for line in text.splitlines())


async def test_tags_view_exports_and_imports_the_codebook(workspace: Workspace) -> None:
    _coded(workspace)
    workspace.describe_tag("frame/eu", "EU accession as the frame")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("x")
        assert isinstance(app.screen, CodebookFileDialog)
        await pilot.press("enter")  # the default: exports/codebook.csv in the workspace
        await pilot.pause()
        target = workspace.root / "exports" / "codebook.csv"
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "path,description,color"
        assert any(line.startswith("frame/eu,EU accession as the frame,#") for line in lines)
        await pilot.press("j", "j", "j", "j", "d", "y")  # delete frame/eu in the view
        await pilot.pause()
        assert "frame/eu" not in [n.path for n in app.screen.nodes]
        await pilot.press("i", *"exports/codebook.csv", "enter")
        await pilot.pause()
        restored = {n.path: n.description for n in workspace.codebook()}
        assert restored["frame/eu"] == "EU accession as the frame"
        assert "frame/eu" in [n.path for n in app.screen.nodes]  # the tree shows it again


async def test_an_undo_that_can_no_longer_be_done_is_dropped(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("T", *"bulk", "enter", "y")  # y: yes, create the new tag
        await pilot.pause()
        workspace.rename_tag("bulk", "renamed")  # say, in another window
        main = main_of(app)
        await pilot.press("u")
        assert not main.session.can_undo
        assert any("Cannot undo" in n.message for n in app._notifications)
        assert len(workspace.annotations(tag="renamed")) == 2  # nothing else was touched


async def test_enter_in_a_confirmation_means_no(workspace: Workspace) -> None:
    _coded(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("j", "d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert "actor/russia" in [n.path for n in workspace.codebook()]


async def test_dot_does_not_bring_back_a_tag_renamed_in_the_tags_view(
    workspace: Workspace,
) -> None:
    _coded(workspace)
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=text.index("However"))
        main_of(app).session.last_tags = ["actor/russia"]
        await pilot.press("t", "j", "r", "ctrl+u", *"actor/moscow", "enter", "escape")
        await pilot.pause()
        assert main_of(app).session.last_tags == []
        await pilot.press("v", "w", "full_stop")
        await pilot.pause()
        assert "actor/russia" not in [n.path for n in workspace.codebook()]
        assert view.selection is not None  # nothing was highlighted


async def test_new_tag_then_pin_then_tag_with_its_key(workspace: Workspace) -> None:
    """From an empty codebook to one-keystroke coding without leaving the keyboard."""
    text = workspace.text(workspace.document(DOC))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        view = await open_doc(pilot, workspace, at=text.index("However"))
        await pilot.press("t")
        await pilot.pause()
        assert "n adds one" in screen_text(app)
        await pilot.press("n", *"frame/energy", "enter")
        await pilot.pause()
        assert app.screen.current.path == "frame/energy"
        await pilot.press("4", "escape")
        await pilot.pause()
        await pilot.press("v", "w", "4")
        await pilot.pause()
        [made] = workspace.annotations()
        assert (made.quote, made.tags) == ("However,", ["frame/energy"])
        assert view.selection is None


async def test_filter_narrows_the_tree_and_keeps_parents(workspace: Workspace) -> None:
    _coded(workspace)
    workspace.describe_tag("frame/eu", "Accession talks with Brussels")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        await pilot.press("slash", *"brussels")
        await pilot.pause()
        assert [n.path for n in screen.nodes] == ["frame", "frame/eu"]  # found by description
        assert "Tags · 1 of 3" in screen_text(app)
        await pilot.press("enter", "j")  # back in the tree, on the match
        assert screen.current.path == "frame/eu"
        await pilot.press("slash", "ctrl+u", *"RUSSIA")
        await pilot.pause()
        assert [n.path for n in screen.nodes] == ["actor", "actor/russia"]
        await pilot.press("escape")  # clears the filter, not the view
        await pilot.pause()
        assert app.screen is screen and len(screen.nodes) == 5
