"""Correct what the file says about a document (title, author, date, source, site) and set its
attributes (`outlet=ECFR; wave=2`). A field left as it is changes nothing; a field emptied
drops the user's correction and the file's own value comes back; an attribute taken out of the
line is unset. All are kept apart from the file, through re-syncs and edits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.models import DERIVED_ATTRIBUTES, Document
from reader.text.sanitize import display_safe_line
from reader.ui.refusals import run_safely
from reader.ui.screens.prompt_dialogs import DIALOG_CSS
from reader.ui.widgets.attribute_input import (
    attribute_input,
    attributes_text,
    parse_attributes_text,
)
from reader.workspace import Workspace

FIELDS = (("title", "Title"), ("author", "Author"), ("date", "Date (YYYY-MM-DD)"),
          ("source", "Source (https://…)"), ("site", "Site (outlet)"))  # fmt: skip


class MetadataDialog(ModalScreen[Document | None]):
    """One input per field; Tab moves, Enter or ctrl+s saves, Escape cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MetadataDialog") + """
    MetadataDialog .meta-field { height: 1; margin-bottom: 1; }
    MetadataDialog .meta-field > Label { width: 20; color: $text-muted; }
    MetadataDialog .meta-field > Input {
        width: 1fr; height: 1; border: none; padding: 0 1; background: $boost;
        &:focus { background: $primary 30%; }
    }
    MetadataDialog .dialog-hint:last-of-type { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="metadata.save"),
        Binding("escape", "cancel", "Cancel", id="metadata.cancel"),
    ]

    def __init__(self, workspace: Workspace, document: Document) -> None:
        super().__init__()
        self.workspace = workspace
        self.document = document
        from_file = workspace.file_metadata(document)
        self.inputs = {
            field: Input(
                getattr(document, field) or "",
                placeholder=f"the file says: {display_safe_line(str(from_file.get(field) or '—'))}",
                id=f"meta-{field}",
            )
            for field, _label in FIELDS
        }
        self.stored = {
            name: value
            for name, value in workspace.attributes(document).items()
            if name not in DERIVED_ATTRIBUTES
        }
        self.attributes = attribute_input(workspace.all_attributes(), attributes_text(self.stored))

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"About {display_safe_line(self.document.path)}")
            for field, label in FIELDS:
                mark = " *" if field in self.document.corrected else ""
                with Horizontal(classes="meta-field"):
                    yield Label(Content(label + mark))
                    yield self.inputs[field]
            with Horizontal(classes="meta-field"):
                yield Label(Content("Attributes"))
                yield self.attributes
            yield Static(Content("* corrected by you · an emptied field takes the file's "
                                 "value again · attributes: name=value; … (→ completes)"),
                         classes="dialog-hint")  # fmt: skip
            yield Static(Content("tab next · enter or ctrl+s save · esc cancel"),
                         classes="dialog-hint")  # fmt: skip

    def on_mount(self) -> None:
        self.inputs["title"].focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        changes: dict[str, str] = {}
        clear: list[str] = []
        for field, field_input in self.inputs.items():
            value = field_input.value.strip()
            if value == (getattr(self.document, field) or ""):
                continue
            if value:
                changes[field] = value
            elif field in self.document.corrected:
                clear.append(field)
        wanted = parse_attributes_text(self.attributes.value)
        if not changes and not clear and wanted == self.stored:
            self.dismiss(None)
            return
        saved = run_safely(self, lambda: self._save(changes, clear, wanted))
        if saved is not None:
            self.dismiss(saved)

    def _save(self, changes: dict[str, str], clear: list[str], wanted: dict[str, str]) -> Document:
        """Metadata, the attributes that changed and those taken out, in one transaction: a
        refusal (a bad name or date) changes nothing and leaves the dialog as typed."""
        changed = {name: value for name, value in wanted.items() if self.stored.get(name) != value}
        taken_out = [name for name in self.stored if name not in wanted]
        return self.workspace.edit_document(self.document, changes, clear, changed, taken_out)

    def action_cancel(self) -> None:
        self.dismiss(None)
