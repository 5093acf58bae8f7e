"""The find-in-document field under the text (Toolong's find dialog is the model)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Its value is the query; the reader pane marks the matches. Escape asks to close it."""

    HELP_TITLE = "Find in document"

    DEFAULT_CSS = """
    FindBar {
        display: none;
        dock: bottom;
    }
    FindBar.-open {
        display: block;
    }
    """
    BINDINGS = [Binding("escape", "close", "Close find", id="find.close")]

    class Closed(Message):
        """The user closed the find bar (Escape)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Find in document (enter: back to text, n/N next, esc closes)", id=id
        )

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def action_close(self) -> None:
        self.post_message(self.Closed())
