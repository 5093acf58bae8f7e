"""The right pane: the open document's highlights in text order, with tags and notes."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Annotation
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

QUOTE_PREVIEW_CHARS = 90
NOTE_PREVIEW_CHARS = 70
STATUS_MARKS = {"anchored": "", "moved": " ↷moved", "fuzzy": " ≈fuzzy", "orphaned": " ⚠orphaned"}


def annotation_prompt(annotation: Annotation, colors: dict[str, str]) -> Content:
    """One entry: the quote, then tags and the first line of the note. Literal text only."""
    color = next((colors[t.casefold()] for t in annotation.tags if t.casefold() in colors), "")
    parts: list[Content | str | tuple[str, str]] = [
        ("▌", color or "$accent"),
        (f"“{shorten(display_safe_line(annotation.quote), QUOTE_PREVIEW_CHARS)}”", ""),
    ]
    if annotation.status != "anchored":
        parts.append((STATUS_MARKS[annotation.status], "$warning"))
    if annotation.tags:
        parts.append("\n ")
        for tag in annotation.tags:
            parts += [(f"#{display_safe_line(tag)}", colors.get(tag.casefold(), "")), " "]
    if annotation.note.strip():
        parts += [
            "\n ",
            (
                f"✎ {shorten(display_safe_line(annotation.note), NOTE_PREVIEW_CHARS)}",
                "italic $text-muted",
            ),
        ]
    return Content.assemble(*parts)


class AnnotationsPane(OptionList):
    """Highlights of the open document; moving scrolls the reader, Enter jumps into it."""

    HELP_TITLE = "Highlights pane"

    DEFAULT_CSS = """
    AnnotationsPane {
        width: 40;
        height: 1fr;
        border-left: solid $panel;
        background: $surface;
    }
    AnnotationsPane > .option-list--option {
        padding: 0 0 1 0;
    }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="annotations.down"),
        Binding("k", "cursor_up", "Up", show=False, id="annotations.up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.annotations: list[Annotation] = []

    def show(
        self, annotations: list[Annotation], colors: dict[str, str], keep_id: int | None = None
    ) -> None:
        """Replace the list, keeping the highlighted entry on `keep_id` where it still exists."""
        self.annotations = annotations
        self.clear_options()
        self.add_options(Option(annotation_prompt(a, colors), id=str(a.id)) for a in annotations)
        if not annotations:
            hint = Content.assemble(
                ("No highlights yet.", "italic"), "\nSelect text and press ", ("a", "bold"),
                " (with a note) or ", ("m", "bold"), ".",
            )  # fmt: skip
            self.add_option(Option(hint, disabled=True))
        self.border_title = Content(f"Highlights · {len(annotations)}")
        if keep_id is not None:
            self.highlight_annotation(keep_id)

    def highlight_annotation(self, annotation_id: int) -> None:
        for index, annotation in enumerate(self.annotations):
            if annotation.id == annotation_id:
                self.highlighted = index
                return
