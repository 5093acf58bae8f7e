"""Highlights whose words are gone from their file: look at them, open, re-attach or delete."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Annotation
from reader.text.sanitize import display_safe_line

CONTEXT_PREVIEW = 40


@dataclass(frozen=True)
class OrphanChoice:
    """What to do with which orphan: "open", "delete" or "attach"."""

    action: str
    annotation: Annotation


def orphan_prompt(annotation: Annotation, title: str | None) -> Content:
    """The old quote in its old surroundings (dimmed), and where it came from."""
    before = " ".join(annotation.prefix.split())[-CONTEXT_PREVIEW:]
    after = " ".join(annotation.suffix.split())[:CONTEXT_PREVIEW]
    quote = " ".join(annotation.quote.split())
    parts: list[Content | str | tuple[str, str]] = []
    if title:
        parts += [(display_safe_line(title), "bold"), "\n"]
    parts += [
        (f"…{display_safe_line(before)}", "$text-muted"),
        (display_safe_line(quote), "bold $warning"),
        (f"{display_safe_line(after)}…", "$text-muted"),
    ]
    if annotation.tags:
        parts += ["\n", " ".join(f"#{display_safe_line(t)}" for t in annotation.tags)]
    if annotation.note.strip():
        parts += ["\n", (f"✎ {display_safe_line(annotation.note.strip()[:80])}", "italic")]
    return Content.assemble(*parts)


class OrphansScreen(ModalScreen[OrphanChoice | None]):
    """A list of orphans; keys depend on why it opened (`attach` picks one for the selection)."""

    HELP_TITLE = "Orphans"

    DEFAULT_CSS = """
    OrphansScreen {
        align: center middle;
    }
    OrphansScreen > Vertical {
        width: 100;
        max-width: 96%;
        height: 80%;
        border: thick $warning 60%;
        background: $panel;
    }
    OrphansScreen OptionList {
        height: 1fr;
        border: none;
    }
    OrphansScreen OptionList > .option-list--option {
        padding: 0 0 1 0;
    }
    OrphansScreen #orphans-hint {
        color: $text-muted;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Close", id="orphans.close"),
        Binding("d", "choose('delete')", "Delete", id="orphans.delete"),
    ]

    def __init__(
        self, orphans: list[Annotation], titles: dict[int, str], attach: bool = False
    ) -> None:
        super().__init__()
        self.orphans = orphans
        self.titles = titles
        self.attach = attach

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(
                "Attach which orphan to the selection?"
                if self.attach
                else f"Orphans · {len(self.orphans)}"
            )
            options = OptionList(id="orphans")
            for annotation in self.orphans:
                title = None if self.attach else self.titles.get(annotation.document_id)
                options.add_option(Option(orphan_prompt(annotation, title), id=str(annotation.id)))
            if not self.orphans:
                options.add_option(
                    Option(Content("No orphans: every highlight has its text."), disabled=True)
                )
            yield options
            hint = (
                "enter attach to the selection · esc cancel"
                if self.attach
                else "enter open its document, select new text, press R · d delete · esc close"
            )
            yield Static(Content(hint), id="orphans-hint")

    def on_mount(self) -> None:
        options = self.query_one("#orphans", OptionList)
        if self.orphans:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#orphans")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose("attach" if self.attach else "open")

    def action_choose(self, action: str) -> None:
        options = self.query_one("#orphans", OptionList)
        if options.highlighted is None or not self.orphans:
            return
        self.dismiss(OrphanChoice(action, self.orphans[options.highlighted]))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
