"""The `x` dialog gets the CLI's refusals (#15): said in the dialog, never a crash; a file
reader did not write is replaced only by a second ctrl+s on the same path."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from textual.widgets import Input, Static

from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.conftest import settle

DOC = "001_4310720f2bcf0b55"


def hint(app) -> str:
    return str(app.screen.query_one("#export-hint", Static).render())


async def open_dialog(pilot, workspace: Workspace, path: str) -> None:
    pilot.app.screen.open_document(workspace.document(DOC), 0)
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    pilot.app.screen.query_one("#export-path", Input).value = path
    await settle(pilot)


async def test_a_file_reader_did_not_write_needs_a_second_ctrl_s(workspace: Workspace) -> None:
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["arms"])
    mine = workspace.root / "mine.md"
    mine.write_text("my notes\n", encoding="utf-8")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_dialog(pilot, workspace, "mine.md")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportDialog"
        assert "exists and reader did not write it" in hint(app)
        assert "ctrl+s again to replace it" in hint(app)
        assert mine.read_text(encoding="utf-8") == "my notes\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ != "ExportDialog"
        assert mine.read_text(encoding="utf-8").startswith("---\ntitle: ")


async def test_another_path_needs_its_own_agreement(workspace: Workspace) -> None:
    for name in ("a.md", "b.md"):
        (workspace.root / name).write_text("mine\n", encoding="utf-8")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_dialog(pilot, workspace, "a.md")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = "b.md"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExportDialog"
        assert (workspace.root / "b.md").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
async def test_a_fifo_is_refused_in_the_dialog_even_twice(workspace: Workspace) -> None:
    os.mkfifo(workspace.root / "pipe")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_dialog(pilot, workspace, "pipe")
        for _ in range(2):
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.is_running and type(app.screen).__name__ == "ExportDialog"
            assert "not a file" in hint(app)
        assert stat.S_ISFIFO(os.lstat(workspace.root / "pipe").st_mode)


async def test_the_codebook_dialog_replaces_a_foreign_file_only_on_a_second_enter(
    workspace: Workspace,
) -> None:
    workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["arms"])
    mine = workspace.root / "codes.csv"
    mine.write_text("my codes\n", encoding="utf-8")
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert type(app.screen).__name__ == "CodebookFileDialog"
        app.screen.query_one("#codebook-path", Input).value = "codes.csv"
        await pilot.press("enter")
        await settle(pilot)
        said = str(app.screen.query_one("#codebook-hint", Static).render())
        assert "exists and reader did not write it" in said and "enter again" in said
        assert mine.read_text(encoding="utf-8") == "my codes\n"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ != "CodebookFileDialog"
        assert mine.read_text(encoding="utf-8").startswith("path,description,color\n")
