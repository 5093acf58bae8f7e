"""SVG snapshots of the main screens (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.conftest import settle

DOC = "001_4310720f2bcf0b55"


def _app_with_highlights(workspace: Workspace):
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible", tags=["arms"], note="army chief")
    workspace.annotate_quote(doc, "close ties rooted in shared history", tags=["history"])
    workspace.annotate_quote(doc, "shared history, cultural connections", tags=["culture"])
    workspace.set_document_annotation(doc, ["outlet/tabloid"], "Short wire-style piece.")
    return make_app(workspace)


async def _steady(pilot) -> None:
    """No blinking cursors: the same frame every run."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False
    await settle(pilot)  # every key handled, every message and worker done, the screen painted


def test_library_at_80x24(snap_compare, workspace: Workspace) -> None:
    assert snap_compare(make_app(workspace), terminal_size=(80, 24), run_before=_steady)


def test_reading_with_highlights_at_160x48(snap_compare, workspace: Workspace) -> None:
    async def open_and_select(pilot) -> None:
        await pilot.press("j", "enter", "}", "}", "}", "v", "w", "w", "w")
        await _steady(pilot)

    app = _app_with_highlights(workspace)
    assert snap_compare(app, terminal_size=(160, 48), run_before=open_and_select)


def test_annotate_dialog(snap_compare, workspace: Workspace) -> None:
    async def open_dialog(pilot) -> None:
        await pilot.press("j", "enter", "}", "}", "}", "plus", "a", "h", "i")
        await _steady(pilot)

    assert snap_compare(
        _app_with_highlights(workspace), terminal_size=(120, 36), run_before=open_dialog
    )


def test_help_screen(snap_compare, workspace: Workspace) -> None:
    async def open_help(pilot) -> None:
        await pilot.press("question_mark")
        await _steady(pilot)

    assert snap_compare(make_app(workspace), terminal_size=(100, 40), run_before=open_help)


def _app_with_a_codebook(workspace: Workspace):
    doc, other = workspace.document(DOC), workspace.document("000_1d5d00d34374701d")
    workspace.annotate_quote(doc, "practically impossible", tags=["actor/serbia/army"],
                             note="army chief")  # fmt: skip
    workspace.annotate_quote(doc, "close ties rooted in shared history", tags=["frame/history"])
    workspace.annotate_quote(other, "Belgrade’s decisions", tags=["actor/serbia", "frame/eu"])
    workspace.describe_tag("frame", "How the article frames Serbia–Russia relations")
    workspace.set_favourite("frame/eu", 1)
    return make_app(workspace)


def test_tags_view(snap_compare, workspace: Workspace) -> None:
    async def open_tags(pilot) -> None:
        await pilot.press("t", "j")
        await _steady(pilot)

    app = _app_with_a_codebook(workspace)
    assert snap_compare(app, terminal_size=(120, 30), run_before=open_tags)


def test_statistics(snap_compare, workspace: Workspace) -> None:
    async def open_stats(pilot) -> None:
        await pilot.press("L", "s")  # s works from the library as from the reader
        await _steady(pilot)

    app = _app_with_a_codebook(workspace)
    assert snap_compare(app, terminal_size=(120, 30), run_before=open_stats)
