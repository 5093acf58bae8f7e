"""The `?` screen: every key, grouped, generated from the bindings so it never drifts."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpGroup = tuple[str, Iterable[Binding]]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of each pane; any of escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 84;
        max-width: 96%;
        height: 90%;
        border: thick $primary 60%;
        background: $panel;
        padding: 0 2;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[HelpGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = Content("Keys · escape closes")
            self.content = self._content()
            yield Static(self.content, id="help-text")

    def _content(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for title, bindings in self.groups:
            parts += [(title, "bold $accent"), "\n"]
            seen: set[str] = set()
            for binding in bindings:
                if binding.description in seen or not binding.description:
                    continue
                seen.add(binding.description)
                keys = ", ".join(
                    self.app.get_key_display(Binding(k, "")) for k in binding.key.split(",")
                )
                parts += [(f"  {keys:<22}", "bold"), binding.description, "\n"]
            parts.append("\n")
        return Content.assemble(*parts)
