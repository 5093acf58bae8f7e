"""The `x` dialog (#12): it remembers the last path, format, scope and grouping across opens and
runs, and exporting into a Markdown file reader wrote before merges, keeping the user's lines."""

from __future__ import annotations

from textual.widgets import Input, Select

from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.conftest import settle

DOC = "001_4310720f2bcf0b55"


async def _export(
    app, pilot, workspace: Workspace, path: str | None = None, fmt: str | None = None
):
    pilot.app.screen.open_document(workspace.document(DOC), 0)
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    dialog = app.screen
    if fmt is not None:
        dialog.query_one("#export-format", Select).value = fmt
        await settle(pilot)
    if path is not None:
        dialog.query_one("#export-path", Input).value = path
        await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return dialog


async def test_the_dialog_remembers_and_merges(workspace: Workspace) -> None:
    first = workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["a"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _export(app, pilot, workspace, "vault/notes.md", "markdown")
        assert type(app.screen).__name__ != "ExportDialog"
    notes = workspace.root / "vault" / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\nMy own line.\n", encoding="utf-8")
    workspace.delete(first.id)
    workspace.annotate_quote(workspace.document(DOC), "close alliance", tags=["b"])

    app = make_app(workspace)  # a new run of the app: the choices come back
    async with app.run_test(size=(160, 48)) as pilot:
        pilot.app.screen.open_document(workspace.document(DOC), 0)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#export-path", Input).value == "vault/notes.md"
        assert dialog.query_one("#export-format", Select).value == "markdown"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ != "ExportDialog"
    merged = notes.read_text(encoding="utf-8")
    assert "My own line." in merged and "close alliance" in merged
    assert "Deleted in reader" in merged and "practically impossible" in merged
    assert workspace.ui_state()["export.format"] == "markdown"


async def test_the_saved_path_is_reused_only_for_the_same_document(workspace: Workspace) -> None:
    other = "000_1d5d00d34374701d"
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["a"])
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await _export(app, pilot, workspace, "vault/mine.md", "markdown")
        assert type(app.screen).__name__ != "ExportDialog"
        for name, expected in ((other, "vault/" + workspace.export_stem(workspace.document(other))
                                + ".md"), (DOC, "vault/mine.md")):  # fmt: skip
            pilot.app.screen.open_document(workspace.document(name), 0)
            await settle(pilot)
            await pilot.press("x")
            await settle(pilot)
            assert app.screen.query_one("#export-path", Input).value == expected
            await pilot.press("escape")
            await settle(pilot)
