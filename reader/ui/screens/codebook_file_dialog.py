"""Share the codebook as CSV (`path,description,color`): write it to a file, or add the tags of
one. The dialog asks for the path, does the work through `Workspace` and stays open on a
refusal so the path can be fixed; it closes with one line saying what was done. A file reader
did not write is replaced only when Enter is pressed again on the same path, as in the export
dialog."""

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

from reader.errors import WouldReplace
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

    DEFAULT_CSS = DIALOG_CSS.format(name="CodebookFileDialog") + """
    CodebookFileDialog #codebook-hint.-refused { color: $text-warning; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="codebook-file.cancel")]

    def __init__(self, workspace: Workspace, direction: Direction) -> None:
        super().__init__()
        self.workspace = workspace
        self.direction = direction
        default = workspace.root / "exports" / "codebook.csv"
        self.path_input = Input(str(default) if direction == "export" else "", id="codebook-path")
        self._replace_asked: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(HEADINGS[self.direction])
            yield self.path_input
            yield Static(Content(HINTS[self.direction]), classes="dialog-hint", id="codebook-hint")
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

    @on(Input.Changed, "#codebook-path")
    def _path_changed(self) -> None:
        """Another path: a replacement agreed to for the old one does not carry over."""
        if self._replace_asked is not None:
            self._say(HINTS[self.direction], refused=False)
            self._replace_asked = None

    def _say(self, text: str, refused: bool) -> None:
        hint = self.query_one("#codebook-hint", Static)
        hint.update(Content(text))
        hint.set_class(refused, "-refused")

    def _export(self, target: Path) -> str | None:
        force = self._replace_asked == target

        def export() -> Path | None:
            try:
                return self.workspace.export_codebook_csv(target, force)
            except WouldReplace as refused:
                self._replace_asked = target
                self._say(f"{refused.shown} {refused.reason}: enter again to {refused.forced}, "
                          "esc to cancel", refused=True)  # fmt: skip
                return None

        if run_safely(self, export) is None:
            return None
        return f"Wrote {display_safe_line(str(target.resolve()))}"

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
