"""A tag field with fuzzy suggestions under it, shared by the highlight dialog and bulk tagging.

`TagField` owns both the input and its suggestion list: the input posts what was typed, the
field ranks the codebook's tags against the tag being typed (typos forgiven, most used first)
and offers "+ new tag" after the existing ones. Tab or Enter complete what is typed (`act` →
`actor/russia`) or take the suggestion the user moved to with Up and Down (the first Down
picks the top one); they never swap a tag typed in full for a look-alike.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.codebook.suggestions import (
    Suggestion,
    current_token,
    replace_current_token,
    split_tags,
    suggest_tags,
)
from reader.text.sanitize import display_safe_line

KnownTags = list[tuple[str, int, str]]  # (name, uses, colour), most used first


class TagInput(Input):
    """The text of the field. Coming back to it (Tab from the next field wraps here) never
    selects its text, where the next key would replace every tag: the cursor goes to the end."""

    def __init__(self, value: str, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, id=id, select_on_focus=False)

    def on_focus(self, event: events.Focus) -> None:
        self.cursor_position = len(self.value)


class SuggestionList(OptionList, can_focus=False):
    """Suggestions follow the field's keys; focus never leaves the field for them."""


def _sign(value: str) -> str:
    """The `-` (take off) or `+` a single-tag field may start with."""
    stripped = value.lstrip()
    return stripped[0] if stripped[:1] in ("-", "+") else ""


class TagField(Vertical):
    """One tag (`multiple=False`, which may start with - or +) or comma-separated tags."""

    HELP_TITLE = "Tag field"

    DEFAULT_CSS = """
    TagField {
        height: auto;
    }
    TagField > SuggestionList {
        height: auto;
        max-height: 6;
        border: none;
        background: $panel;
    }
    TagField > SuggestionList.-empty {
        display: none;
    }
    """
    BINDINGS = [
        Binding("tab", "complete", "Complete tag", show=False, id="tags.complete"),
        Binding("down", "suggestion(1)", "Next suggestion", show=False, id="tags.next"),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False, id="tags.previous"),
    ]

    def __init__(
        self, value: str, known_tags: KnownTags, *, multiple: bool = True,
        placeholder: str = "", id: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(id=id)
        self.known_tags = known_tags
        self.multiple = multiple
        self.input = TagInput(value, placeholder=placeholder, id="tags")
        self.suggestion_list = SuggestionList(id="tag-suggestions")
        self.suggestions: list[Suggestion] = []
        self.picked = False  # the user moved through the suggestions since typing

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.suggestion_list

    def on_mount(self) -> None:
        self._refresh_suggestions()

    # What the field holds

    @property
    def value(self) -> str:
        return self.input.value

    @property
    def tags(self) -> list[str]:
        """The tags typed (for a single-tag field, without its sign)."""
        if self.multiple:
            return split_tags(self.value)
        return split_tags(self.value.strip().lstrip("-+"))[:1]

    @property
    def removes(self) -> bool:
        """A single-tag field starting with `-`: take the tag off rather than add it."""
        return not self.multiple and _sign(self.value) == "-"

    def typed_token(self) -> str:
        """The tag being typed: after the last comma, or the whole single tag without its sign."""
        if self.multiple:
            return current_token(self.value)
        return " ".join(self.value.strip().lstrip("-+").split())

    def closest_known(self) -> str | None:
        """The best existing tag for what is typed (for "did you mean")."""
        return next((s.name for s in self.suggestions if not s.is_new), None)

    def token_is_known(self) -> bool:
        """The tag being typed names an existing tag exactly (case aside)."""
        token = self.typed_token().casefold()
        return any(s.name.casefold() == token and not s.is_new for s in self.suggestions)

    # Suggestions

    @on(Input.Changed, "#tags")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.picked = False
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        value = self.value
        chosen = split_tags(value.rsplit(",", 1)[0]) if self.multiple and "," in value else []
        self.suggestions = suggest_tags(self.typed_token(), self.known_tags, chosen)
        options = self.suggestion_list
        options.clear_options()
        for suggestion in self.suggestions:
            name = display_safe_line(suggestion.name)
            if suggestion.is_new:
                prompt = Content.assemble(("+ new tag ", "italic"), (name, "bold"))
            else:
                prompt = Content.assemble(
                    ("● ", suggestion.color or ""), name,
                    (f" · used {suggestion.uses}×", "$text-muted"),
                )  # fmt: skip
            options.add_option(Option(prompt))
        options.set_class(not self.suggestions, "-empty")
        if self.suggestions:
            options.highlighted = 0

    def accept_suggestion(self) -> bool:
        """Put the chosen suggestion in place of the tag being typed: the one moved to, or one
        that completes what is typed. False (nothing changed) otherwise."""
        options = self.suggestion_list
        token = self.typed_token()
        if not token or options.highlighted is None or not self.suggestions:
            return False
        chosen = self.suggestions[options.highlighted]
        if chosen.name.casefold() == token.casefold():
            return False  # already complete
        completes = chosen.name.casefold().startswith(token.casefold()) and not chosen.is_new
        if not (self.picked or completes):
            return False  # a tag typed in full stays as typed, even if it looks like another
        if self.multiple:
            self.input.value = replace_current_token(self.value, chosen.name)
        else:
            self.input.value = _sign(self.value) + chosen.name
        self.input.cursor_position = len(self.input.value)
        return True

    def action_complete(self) -> None:
        if not self.accept_suggestion():
            self.screen.focus_next()

    def action_suggestion(self, step: int) -> None:
        """Move through the suggestions; the first Down (or Up) picks the one shown on top."""
        options = self.suggestion_list
        if not options.option_count:
            return
        if self.picked:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count
        else:
            options.highlighted = options.highlighted or 0
            self.picked = True

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.suggestion_list.highlighted = event.option_index
        self.picked = True
        self.accept_suggestion()
        self.input.focus()
