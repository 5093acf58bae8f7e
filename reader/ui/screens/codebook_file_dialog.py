"""Share the codebook as CSV (`path,description,color`): write it to a file, or add the tags of
one. The dialog asks for the path, does the work through `Workspace` and stays open on a
refusal so the path can be fixed; it closes with one line saying what was done."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.text.sanitize import display_safe_line
from reader.text.typed_path import expand_home
from reader.ui.refusals import run_safely
from reader.ui.screens.prompt_dialogs import DIALOG_CSS
from reader.workspace import Workspace

Direction = Literal["export", "import"]
HEADINGS = {"export": "Export the codebook as CSV to",
            "import": "Import a codebook CSV (path,description,color) from"}  # fmt: skip
HINTS = {"export": "Every tag of its own, with its description and colour.",
         "import": "Adds and updates tags; never removes one."}  # fmt: skip


class CodebookFileDialog(ModalScreen[str | None]):
    """A path; Enter exports or imports, Escape cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="CodebookFileDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="codebook-file.cancel")]

    def __init__(self, workspace: Workspace, direction: Direction) -> None:
        super().__init__()
        self.workspace = workspace
        self.direction = direction
        default = workspace.root / "exports" / "codebook.csv"
        self.path_input = Input(str(default) if direction == "export" else "", id="codebook-path")

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(HEADINGS[self.direction])
            yield self.path_input
            yield Static(Content(HINTS[self.direction]), classes="dialog-hint")
            yield Static(Content("enter ok · esc cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.path_input.focus()

    def _path(self, typed: str) -> Path:
        path = expand_home(typed.strip())
        return path if path.is_absolute() else self.workspace.root / path

    @on(Input.Submitted, "#codebook-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            return
        path = self._path(event.value)
        outcome = self._export(path) if self.direction == "export" else self._import(path)
        if outcome is not None:
            self.dismiss(outcome)

    def _export(self, target: Path) -> str | None:
        if run_safely(self, lambda: self.workspace.export_codebook_csv(target)) is None:
            return None
        return f"Wrote {target.resolve()}"

    def _import(self, source: Path) -> str | None:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.notify(f"Cannot read {display_safe_line(str(source))}: {exc}",
                        severity="error", markup=False)  # fmt: skip
            return None
        report = run_safely(self, lambda: self.workspace.import_codebook_csv(text))
        if report is None:
            return None
        for warning in report.warnings[:5]:
            self.app.notify(display_safe_line(warning), severity="warning", markup=False)
        return (f"Codebook: {len(report.created)} created, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged")  # fmt: skip

    def action_cancel(self) -> None:
        self.dismiss(None)
