"""Find in the open document: the find bar and the actions that mark and step through matches.

Split from `main_screen` so the screen keeps only what spans panes. Textual registers `@on`
handlers only on its own (message-pump) classes, so `MainScreen` routes the find bar's messages
here.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input

from reader import textnav
from reader.ui.screen_state import ScreenState


class FindBar(Input):
    """The find-in-document field; escape closes it and clears the marks."""

    BINDINGS = [Binding("escape", "close", "Close find", id="find.close")]

    def action_close(self) -> None:
        screen = self.screen
        if isinstance(screen, FindActions):
            screen.close_find()


class FindActions(ScreenState):
    """Open and close the find bar, mark the matches and put the cursor on the next one."""

    def open_find(self) -> None:
        if self.document is None:
            return
        self.find_bar.add_class("-open")
        self.find_bar.focus()
        if self.find_bar.value:
            self._find(self.find_bar.value)

    def close_find(self) -> None:
        self.find_bar.remove_class("-open")
        self.view.set_matches([])
        self.view.focus()

    def _find(self, query: str) -> None:
        if self._folded_text is None:
            self._folded_text = textnav.fold(self.view.text)
        matches = textnav.find_all(self.view.text, query, self._folded_text)
        self.view.set_matches(matches)
        self.find_bar.border_title = Content(f"{len(matches)} match(es)")
        ahead = [start for start, _ in matches if start >= self.view.cursor]
        if matches:
            self.view.set_cursor(ahead[0] if ahead else matches[0][0])

    def back_to_text(self) -> None:
        """Leave the find bar open and return to the text."""
        self.view.focus()  # n / N now move between the marked matches
