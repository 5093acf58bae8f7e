"""The `x` dialog starts from the config's `[export]` format and folder."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from reader.config.records import ExportSettings, Settings
from reader.ui.app import make_app
from reader.ui.screens.export_dialog import ExportDialog
from reader.workspace import Workspace
from tests.ui.test_app import open_doc


async def test_the_export_dialog_takes_format_and_folder_from_the_config(
    workspace: Workspace, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    workspace.settings = Settings(export=ExportSettings(format="csv", folder=str(vault)))
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-format", Select).value == "csv"
        path = dialog.query_one("#export-path", Input).value
        assert path.startswith(str(vault)) and path.endswith(".csv")
        await pilot.press("ctrl+s")
        assert [p.suffix for p in vault.iterdir()] == [".csv"]
