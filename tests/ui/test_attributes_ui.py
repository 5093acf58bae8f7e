"""Documents as cases in the TUI: attributes set in the `I` dialog (names and values
completed), shown in the header, filtered (`outlet:ECFR`) and grouped (`b`) in the library."""

from __future__ import annotations

from reader.ui.app import make_app
from reader.ui.screens.metadata_dialog import MetadataDialog
from reader.ui.screens.prompt_dialogs import PromptDialog
from reader.workspace import Workspace
from tests.ui.test_app import DOC, main_of, open_doc, screen_text

OTHER = "003_ab75fb7eb88f90bb"


async def test_attributes_are_set_in_the_dialog_with_completion_and_shown(
    workspace: Workspace,
) -> None:
    workspace.set_attributes(workspace.document(OTHER), {"outlet": "ECFR", "country": "DE"})
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("I")
        dialog = app.screen
        assert isinstance(dialog, MetadataDialog)
        dialog.attributes.focus()
        await pilot.press(*"out")  # completes the name, then →
        await pilot.press("right", *"EC", "right")  # completes the value
        assert dialog.attributes.value == "outlet=ECFR"
        await pilot.press(*"; wave=2", "enter")
        assert not isinstance(app.screen, MetadataDialog)
        attributes = workspace.attributes(workspace.document(DOC))
        assert (attributes["outlet"], attributes["wave"]) == ("ECFR", "2")
        assert "outlet=ECFR · wave=2" in screen_text(app)
        # Taking one out of the line unsets it.
        await pilot.press("I")
        app.screen.attributes.value = "wave=3"
        await pilot.press("ctrl+s")
        attributes = workspace.attributes(workspace.document(DOC))
        assert "outlet" not in attributes and attributes["wave"] == "3"


async def test_a_bad_attribute_name_is_refused_and_the_dialog_keeps_the_line(
    workspace: Workspace,
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("I")
        app.screen.attributes.value = "2nd wave=yes"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MetadataDialog)
        assert app.screen.attributes.value == "2nd wave=yes"
        assert "2nd wave" not in workspace.attributes(workspace.document(DOC))


async def test_the_library_filters_and_groups_by_attribute(workspace: Workspace) -> None:
    for handle, outlet in ((DOC, "N1"), (OTHER, "ECFR"), ("000_1d5d00d34374701d", "Balkan")):
        workspace.set_attributes(workspace.document(handle), {"outlet": outlet})
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        library = main_of(app).library
        await pilot.press("f", *"outlet:ecfr", "enter")
        assert [d.path for d in library.document_list.rows] == [f"{OTHER}.txt"]
        await pilot.press("f", "ctrl+u", *"-outlet:ECFR year:2025", "enter")
        assert {d.path for d in library.document_list.rows} == {
            f"{DOC}.txt", "000_1d5d00d34374701d.txt"
        }  # fmt: skip
        await pilot.press("f", "ctrl+u", "escape")  # empty filter: back to the list
        await pilot.press("b")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"outlet", "enter")
        rows = library.document_list.rows
        assert [d.path for d in rows[:3]] == [
            "000_1d5d00d34374701d.txt", f"{OTHER}.txt", f"{DOC}.txt"
        ]  # fmt: skip  Balkan, ECFR, N1; the two without an outlet after them
        assert "by outlet" in str(library.border_title)
        assert "ECFR" in screen_text(app)
        await pilot.press("o")  # a sort order ends the grouping
        assert library.document_list.group_by is None


def test_the_attribute_line_reads_pairs_apart_by_semicolons_or_spaces() -> None:
    from reader.ui.widgets.attribute_input import parse_attributes_text

    assert parse_attributes_text("stance=critical country=DE") == {
        "stance": "critical", "country": "DE"
    }  # fmt: skip
    assert parse_attributes_text("outlet=Foreign Policy; wave=2") == {
        "outlet": "Foreign Policy", "wave": "2"
    }  # fmt: skip
    assert parse_attributes_text("2nd wave=yes") == {"2nd wave": "yes"}  # refused: no name
    assert parse_attributes_text("Outlet=BIRN") == {"outlet": "BIRN"}  # stored lower case


async def test_names_and_values_are_completed_where_they_are_typed() -> None:
    from reader.ui.widgets.attribute_input import AttributeSuggester

    suggester = AttributeSuggester(
        {1: {"outlet": "ECFR", "country": "DE", "year": "2025"}, 2: {"outlet": "Foreign Policy"}}
    )
    assert await suggester.get_suggestion("stance=critical cou") == "stance=critical country="
    assert await suggester.get_suggestion("outlet=Foreign Po") == "outlet=Foreign Policy"
    assert await suggester.get_suggestion("x=1; outlet=ec") == "x=1; outlet=ECFR"
    assert await suggester.get_suggestion("ye") is None  # year comes from the date


async def test_a_refused_edit_in_the_dialog_changes_nothing_and_case_never_unsets(
    workspace: Workspace,
) -> None:
    document = workspace.document(DOC)
    workspace.set_attributes(document, {"outlet": "BIRN", "wave": "10"})
    title = document.title
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("I")
        dialog = app.screen
        dialog.inputs["title"].value = "NEW TITLE"
        dialog.attributes.value = "outlet=ecfr; year=2020"  # year follows the date: refused
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MetadataDialog)
        await pilot.press("escape")
        kept = workspace.document(DOC)
        assert kept.title == title and kept.corrected == ()
        assert workspace.attributes(kept)["outlet"] == "BIRN"
        await pilot.press("I")
        app.screen.attributes.value = "Outlet=BIRN2; Wave=10; country=DE"
        await pilot.press("ctrl+s")
        attributes = workspace.attributes(workspace.document(DOC))
        assert (attributes["outlet"], attributes["wave"], attributes["country"]) == (
            "BIRN2", "10", "DE"
        )  # fmt: skip
