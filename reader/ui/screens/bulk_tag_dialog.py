"""Tag (or untag) many highlights at once: one tag, with the same suggestions as the dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.text.sanitize import display_safe_line
from reader.ui.screens.prompt_dialogs import DIALOG_CSS, ConfirmDialog
from reader.ui.widgets.tag_field import KnownTags, TagField

BULK_HINT = "A tag adds it to each; -tag takes it off each. Sub-tags with a slash: actor/russia."


@dataclass(frozen=True)
class BulkTagging:
    """The tag to add to (or, with `remove`, take off) every highlight asked about."""

    tag: str
    remove: bool


class BulkTagDialog(ModalScreen[BulkTagging | None]):
    """Enter applies the tag typed (or the suggestion moved to); a tag not in the codebook
    needs a yes, with the closest existing one named, so a typo never lands on every
    highlight."""

    HELP_TITLE = "Tagging many"

    DEFAULT_CSS = DIALOG_CSS.format(name="BulkTagDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="bulk.cancel")]

    def __init__(self, what: str, known_tags: KnownTags, is_new: Callable[[str], bool]) -> None:
        super().__init__()
        self.what = what
        self.heading = f"Tag {what}"
        self.is_new = is_new
        self.tag_field = TagField("", known_tags, multiple=False, id="tag-field",
                                  placeholder="tag, or -tag to take it off")  # fmt: skip

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(display_safe_line(self.heading))
            yield self.tag_field
            yield Static(Content(BULK_HINT), classes="dialog-hint")
            yield Static(Content("enter ok · tab complete · esc cancel"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.tag_field.input.focus()

    @on(Input.Submitted, "#tags")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.tag_field
        if not field.tags:
            return
        if field.accept_suggestion():
            return  # Enter took the suggestion moved to (or completed); Enter again applies it
        request = BulkTagging(field.tags[0], field.removes)
        if request.remove or not self.is_new(request.tag):
            self.dismiss(request)
            return
        closest = field.closest_known()
        question = (f"#{request.tag} is not in the codebook yet. "
                    f"Create it and add it to {self.what}?")  # fmt: skip
        if closest:
            question += f"\n\nDid you mean #{closest}? (n, then ↓ and Enter pick it)"

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(request)

        self.app.push_screen(ConfirmDialog("New tag", question), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)
