"""The small dialog that tags and notes a highlight (or a whole document)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from reader.sanitize import display_safe, display_safe_line
from reader.tag_suggestions import (
    Suggestion,
    current_token,
    replace_current_token,
    split_tags,
    suggest_tags,
)

QUOTE_PREVIEW_CHARS = 280


@dataclass(frozen=True)
class AnnotationEdit:
    """What the dialog returns: the tags and note to save."""

    tags: list[str]
    note: str


class TagInput(Input):
    """Comma-separated tags; Tab or Enter accepts the highlighted suggestion."""

    BINDINGS = [
        Binding("tab", "complete", "Complete tag", show=False, id="dialog.complete"),
        Binding("down", "suggestion(1)", "Next suggestion", show=False, id="dialog.next"),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False, id="dialog.previous"),
    ]

    def action_complete(self) -> None:
        dialog = self.screen
        if isinstance(dialog, AnnotateDialog) and dialog.accept_suggestion():
            return
        self.screen.focus_next()

    def action_suggestion(self, step: int) -> None:
        suggestions = self.screen.query_one("#tag-suggestions", OptionList)
        if suggestions.option_count:
            current = suggestions.highlighted or 0
            suggestions.highlighted = (current + step) % suggestions.option_count


class SuggestionList(OptionList, can_focus=False):
    """Suggestions follow the tag field's keys; focus never leaves the field for them."""


class AnnotateDialog(ModalScreen[AnnotationEdit | None]):
    """Tags with fuzzy autocompletion and a multi-line note; ctrl+s saves, Escape cancels."""

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
    AnnotateDialog #tag-suggestions {
        height: auto;
        max-height: 6;
        border: none;
        background: $panel;
    }
    AnnotateDialog #tag-suggestions.-empty {
        display: none;
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
        self,
        heading: str,
        quote: str,
        tags: list[str],
        note: str,
        known_tags: list[tuple[str, int, str]],
    ) -> None:
        super().__init__()
        self.heading = heading
        self.quote = quote
        self.initial_tags = tags
        self.initial_note = note
        self.known_tags = known_tags
        self.suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.heading)
            preview = self.quote
            if len(preview) > QUOTE_PREVIEW_CHARS:
                preview = preview[: QUOTE_PREVIEW_CHARS - 1] + "…"
            yield Static(Content(display_safe(preview)), id="quote")
            initial = ", ".join(self.initial_tags) + (", " if self.initial_tags else "")
            yield TagInput(initial, placeholder="Tags, comma-separated (Tab completes)", id="tags")
            yield SuggestionList(id="tag-suggestions")
            # Control characters would reach the terminal raw: edit a visible stand-in instead.
            yield TextArea(display_safe(self.initial_note), id="note", soft_wrap=True,
                           tab_behavior="focus")  # fmt: skip
            yield Static(
                Content("ctrl+s save · esc cancel · tab complete tag / next field"), id="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).border_title = Content("Note (Markdown)")
        self._refresh_suggestions()
        self.query_one("#tags", TagInput).focus()

    @on(Input.Changed, "#tags")
    def _tags_changed(self) -> None:
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        value = self.query_one("#tags", TagInput).value
        token = current_token(value)
        chosen = split_tags(value.rsplit(",", 1)[0]) if "," in value else []
        self.suggestions = suggest_tags(token, self.known_tags, chosen)
        options = self.query_one("#tag-suggestions", OptionList)
        options.clear_options()
        for suggestion in self.suggestions:
            name = display_safe_line(suggestion.name)
            if suggestion.is_new:
                prompt = Content.assemble(("+ new tag ", "italic"), (name, "bold"))
            else:
                prompt = Content.assemble(
                    ("● ", suggestion.color or ""),
                    name,
                    (f" · used {suggestion.uses}×", "$text-muted"),
                )
            options.add_option(Option(prompt))
        options.set_class(not self.suggestions, "-empty")
        if self.suggestions:
            options.highlighted = 0

    def accept_suggestion(self) -> bool:
        """Put the highlighted suggestion in place of the tag being typed; False if none."""
        tags = self.query_one("#tags", TagInput)
        options = self.query_one("#tag-suggestions", OptionList)
        if not current_token(tags.value) or options.highlighted is None or not self.suggestions:
            return False
        chosen = self.suggestions[options.highlighted]
        if chosen.name.casefold() == current_token(tags.value).casefold():
            return False  # already complete: Tab moves on to the note
        tags.value = replace_current_token(tags.value, chosen.name)
        tags.cursor_position = len(tags.value)
        return True

    @on(Input.Submitted, "#tags")
    def _tags_submitted(self) -> None:
        token = current_token(self.query_one("#tags", TagInput).value)
        exact = any(
            s.name.casefold() == token.casefold() and not s.is_new for s in self.suggestions
        )
        if token and not exact and self.accept_suggestion():
            return
        self.action_save()

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_clicked(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#tag-suggestions", OptionList).highlighted = event.option_index
        self.accept_suggestion()
        self.query_one("#tags", TagInput).focus()

    def action_save(self) -> None:
        tags = split_tags(self.query_one("#tags", TagInput).value)
        note = self.query_one("#note", TextArea).text
        if note == display_safe(self.initial_note):
            note = self.initial_note  # untouched: keep the note exactly as it was written
        self.dismiss(AnnotationEdit(tags, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
