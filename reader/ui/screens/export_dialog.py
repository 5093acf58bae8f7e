"""The `x` dialog: export this document's or all highlights, and say where the file went."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv"}


@dataclass(frozen=True)
class ExportRequest:
    """What the user chose: scope ("document" or "all"), format, grouping and target path."""

    scope: str
    fmt: str
    group_by: str
    path: str


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Scope, format, grouping and a path; Enter or ctrl+s exports, Escape cancels."""

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
    }
    ExportDialog > #export {
        width: 70;
        max-width: 95%;
        height: auto;
        border: thick $primary 60%;
        background: $panel;
        padding: 0 1;
    }
    ExportDialog Select {
        margin-bottom: 1;
    }
    ExportDialog #export-hint {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export.save"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, document_stem: str | None, workspace_stem: str) -> None:
        super().__init__()
        self.document_stem = document_stem
        self.workspace_stem = workspace_stem

    def compose(self) -> ComposeResult:
        scopes = [("All highlights in the workspace", "all")]
        if self.document_stem is not None:
            scopes.insert(0, ("This document's highlights", "document"))
        with Vertical(id="export") as box:
            box.border_title = Content("Export highlights")
            yield Select(scopes, value=scopes[0][1], allow_blank=False, id="export-scope")
            yield Select(
                [("Markdown", "markdown"), ("W3C JSON", "json"), ("CSV", "csv")],
                value="markdown",
                allow_blank=False,
                id="export-format",
            )
            yield Select(
                [("Grouped by document", "doc"), ("Codebook: grouped by tag", "tag")],
                value="doc",
                allow_blank=False,
                id="export-group",
            )
            yield Input(self._default_path(), id="export-path")
            yield Static(Content("enter or ctrl+s export · esc cancel"), id="export-hint")

    def _default_path(self) -> str:
        scope = self.query_one("#export-scope", Select).value if self.is_mounted else None
        fmt = self.query_one("#export-format", Select).value if self.is_mounted else "markdown"
        stem = self.document_stem if (scope or "document") == "document" else None
        return f"exports/{stem or self.workspace_stem}{SUFFIXES[str(fmt)]}"

    def on_mount(self) -> None:
        self.query_one("#export-scope", Select).focus()

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        self.query_one("#export-path", Input).value = self._default_path()

    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("Give a file name", severity="warning", markup=False)
            return
        self.dismiss(
            ExportRequest(
                scope=str(self.query_one("#export-scope", Select).value),
                fmt=str(self.query_one("#export-format", Select).value),
                group_by=str(self.query_one("#export-group", Select).value),
                path=path,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
