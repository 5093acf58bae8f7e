"""The small dialog that tags and notes a highlight (or a whole document)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from reader.codebook.tag_names import clean_tag_name
from reader.errors import ReaderError
from reader.text.sanitize import display_safe, display_safe_line
from reader.text.shorten import shorten
from reader.ui.widgets.tag_field import KnownTags, TagField

QUOTE_PREVIEW_CHARS = 280


@dataclass(frozen=True)
class AnnotationEdit:
    """What the dialog returns: the tags and note to save."""

    tags: list[str]
    note: str


class AnnotateDialog(ModalScreen[AnnotationEdit | None]):
    """Tags with fuzzy autocompletion and a multi-line note; ctrl+s saves, Escape cancels
    (for a new highlight, cancelling leaves nothing behind: it is made only on save)."""

    HELP_TITLE = "Highlight dialog"

    DEFAULT_CSS = """
    AnnotateDialog {
        align: center middle;
    }
    AnnotateDialog > #dialog {
        width: 76;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        border: thick $primary 60%;
        background: $panel;
        padding: 0 1;
    }
    AnnotateDialog #quote {
        color: $text-muted;
        max-height: 6;
        margin-bottom: 1;
    }
    AnnotateDialog #note {
        height: 7;
    }
    AnnotateDialog #hint {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="dialog.save"),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(
        self, heading: str, quote: str, tags: list[str], note: str, known_tags: KnownTags
    ) -> None:
        super().__init__()
        self.heading = heading
        self.quote = quote
        self.initial_tags = tags
        self.initial_note = note
        initial = ", ".join(tags) + (", " if tags else "")
        self.tag_field = TagField(initial, known_tags, id="tag-field",
                                  placeholder="Tags, comma-separated (Tab completes)")  # fmt: skip
        # Control characters would reach the terminal raw: edit a visible stand-in instead.
        self.note = TextArea(display_safe(note), id="note", soft_wrap=True, tab_behavior="focus")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(display_safe_line(self.heading))
            preview = shorten(display_safe(self.quote), QUOTE_PREVIEW_CHARS, one_line=False)
            yield Static(Content(preview), id="quote")
            yield self.tag_field
            yield self.note
            yield Static(
                Content("ctrl+s save · esc cancel · tab complete tag / next field"), id="hint"
            )

    def on_mount(self) -> None:
        self.note.border_title = Content("Note (Markdown)")
        self.tag_field.input.focus()

    @on(Input.Submitted, "#tags")
    def _tags_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.tag_field
        if field.typed_token() and not field.token_is_known() and field.accept_suggestion():
            return  # Enter took the closest existing tag; Enter again saves
        self.action_save()

    def action_save(self) -> None:
        """Save, unless a tag would be refused: then say why and keep everything typed."""
        for tag in self.tag_field.tags:
            try:
                clean_tag_name(tag)
            except ReaderError as exc:
                self.notify(f"{exc}: “{display_safe_line(tag)}”", title="Not saved yet",
                            severity="warning", markup=False)  # fmt: skip
                self.tag_field.input.focus()
                return
        note = self.note.text
        if note == display_safe(self.initial_note):
            note = self.initial_note  # untouched: keep the note exactly as it was written
        self.dismiss(AnnotationEdit(self.tag_field.tags, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
