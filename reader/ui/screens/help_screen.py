"""The `?` screen: the keys of the screen on show, grouped by the part of it they work in, read
from the bindings so they never drift; a key remapped in the user's config shows as the app
applies it (`ReaderApp.keymap`), marked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

HelpGroup = tuple[str, Iterable[Binding]]
EVERYWHERE = [Binding("tab", "", "Next field or pane"), Binding("ctrl+p", "", "Command palette")]


def help_groups(screen: Screen) -> list[HelpGroup]:
    """The keys of `screen` and of each part of it that names itself with `HELP_TITLE`, in
    screen order, then the app's keys."""
    groups: dict[str, list[Binding]] = {}
    for node in [*screen.walk_children(with_self=False), screen]:
        title = getattr(node, "HELP_TITLE", None)
        if title and title not in groups:
            groups[title] = [b for b in type(node).BINDINGS if isinstance(b, Binding)]
    app_bindings = [b for b in type(screen.app).BINDINGS if isinstance(b, Binding)]
    return [*groups.items(), ("Everywhere", [*app_bindings, *EVERYWHERE])]


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
        if getattr(self.app, "user_keymap", None):
            parts += [("* remapped in your config ([keys])", "italic"), "\n\n"]
        for title, bindings in self.groups:
            parts += [(title, "bold $accent"), "\n"]
            for keys, description, binding_id in self._rows(list(bindings)):
                parts += [(f"  {keys:<22}", "bold"), f"{description:<34}",
                          (binding_id, "$text-muted"), "\n"]  # the id [keys] remaps it by
            parts.append("\n")
        return Content.assemble(*parts)

    def _rows(self, bindings: list[Binding]) -> list[tuple[str, str, str]]:
        """One row a description, with the binding's id; numbered bindings (ids `favourite1`…
        `favourite9`) make one row `1…9` rather than nine."""
        rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        for binding in bindings:
            description = binding.description
            stem = None if binding.id in keymap else _numbered_stem(binding)
            if stem is not None:
                if stem in seen:
                    continue
                seen.add(stem)
                numbered = [b for b in bindings
                            if b.id not in keymap and _numbered_stem(b) == stem]  # fmt: skip
                first, last = numbered[0].key, numbered[-1].key
                rows.append((f"{first}…{last}", re.sub(r"\d+$", f"{first}…{last}", description),
                             f"{stem}{first}…{last}"))  # fmt: skip
                continue
            if description in seen or not description:
                continue
            seen.add(description)
            keys = ", ".join(
                self.app.get_key_display(Binding(k, "", id=binding.id))
                for k in keymap.get(binding.id or "", binding.key).split(",")
            )
            rows.append((keys, description, binding.id or ""))
        return rows


def _numbered_stem(binding: Binding) -> str | None:
    """`favourite` for a binding with id `favourite3` and a digit for its key, else None."""
    if binding.id and binding.key.isdigit() and binding.id.endswith(binding.key):
        return binding.id[: -len(binding.key)]
    return None
