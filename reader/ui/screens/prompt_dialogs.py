"""Two small modal questions the codebook screens ask: a line of text, and yes or no."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from reader.text.sanitize import display_safe, display_safe_line

DIALOG_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 80;
    max-width: 96%;
    height: auto;
    border: thick $accent 60%;
    background: $panel;
    padding: 0 1;
}}
{name} .dialog-hint {{
    color: $text-muted;
}}
"""


class PromptDialog(ModalScreen[str | None]):
    """Asks for one line (a tag path, a colour, a description); Enter answers, Escape cancels.
    Tab completes from `suggestions` (tag paths), as the shell does."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self, title: str, value: str = "", hint: str = "", suggestions: list[str] | None = None
    ) -> None:
        super().__init__()
        self.heading = title
        self.value = value
        self.hint = hint
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(display_safe_line(self.heading))
            suggester = (
                SuggestFromList(self.suggestions, case_sensitive=False)
                if self.suggestions
                else None
            )
            yield Input(self.value, id="prompt-input", suggester=suggester)
            if self.hint:
                yield Static(Content(self.hint), classes="dialog-hint")
            yield Static(Content("enter ok · esc cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes-or-no question for changes that cannot be undone: only `y` says yes, and Enter,
    the key a hurried hand presses, says no."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape,enter", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.heading = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(display_safe_line(self.heading))
            yield Static(Content(display_safe(self.message)), id="confirm-message")
            yield Static(Content("y yes · n, enter or esc no"), classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
