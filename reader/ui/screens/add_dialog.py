"""Add an article from the TUI: a web address or a file path. The fetch runs in a thread with
its own connection to the store, so the app keeps answering; a refusal (404, not a web page, no
such file) is shown in the dialog, which stays open so the source can be fixed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, LoadingIndicator, Static

from reader.errors import ReaderError
from reader.text.sanitize import display_safe_line
from reader.text.typed_path import expand_home
from reader.ui.screens.prompt_dialogs import DIALOG_CSS
from reader.workspace import Workspace

HINT = "A web address (https://…) or the path of an HTML, PDF, EPUB, DOCX, text or Markdown file."


@dataclass(frozen=True)
class Added:
    """The document the source became (new, or already in the library) and what to say."""

    document_id: int
    message: str


class AddDialog(ModalScreen[Added | None]):
    """Enter fetches or copies the source in; Escape closes (a fetch under way still lands)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AddDialog") + """
    AddDialog #add-status { color: $text-muted; }
    AddDialog #add-status.-error { color: $error; }
    AddDialog LoadingIndicator { height: 1; display: none; }
    AddDialog.-busy LoadingIndicator { display: block; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="add.cancel")]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.source_input = Input(placeholder="https://… or ~/Downloads/report.pdf",
                                  id="add-source")  # fmt: skip
        self.status = Static(Content(HINT), id="add-status")
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Add an article")
            yield self.source_input
            yield LoadingIndicator()
            yield self.status
            yield Static(Content("enter add · esc close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.source_input.focus()

    @on(Input.Submitted, "#add-source")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        source = event.value.strip()
        if not source or self.busy:
            return
        if not source.startswith(("http://", "https://")) and "://" not in source:
            path = expand_home(source)
            source = str(path if path.is_absolute() else self.root / path)
        self.busy = True
        self.add_class("-busy")
        self._say(f"Fetching {display_safe_line(source)} …")
        self._add(source)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _add(self, source: str) -> None:
        try:
            with Workspace.open(self.root, sync=False) as workspace:
                result = workspace.add([source])[0]
                document = workspace.document_at(result.path) if result.path else None
        except ReaderError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        if result.outcome == "failed" or document is None:
            self.app.call_from_thread(self._refused, result.message)
            return
        if document.status != "ok":
            message = f"Added {document.path}, but it cannot be read: {document.warning}"
        elif result.outcome == "already":
            message = f"Already in the library: {document.title}"
        else:
            message = f"Added: {document.title}"
        self.app.call_from_thread(self.dismiss, Added(document.id, message))

    def _refused(self, reason: str) -> None:
        self.busy = False
        self.remove_class("-busy")
        self._say(display_safe_line(reason), error=True)
        self.source_input.focus()

    def _say(self, text: str, error: bool = False) -> None:
        self.status.update(Content(text))
        self.status.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)
