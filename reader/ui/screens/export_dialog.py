"""The `x` dialog: export this document's or all highlights, and say where the file went."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from reader.errors import ReaderError, WouldReplace
from reader.models import Document
from reader.text.sanitize import display_safe_line
from reader.text.typed_path import expand_home
from reader.ui.refusals import run_safely
from reader.workspace import Workspace

SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv"}
HINT = "enter or ctrl+s export · esc cancel"
GROUPS = ("doc", "tag")


class ExportDialog(ModalScreen[Path | None]):
    """Scope, format, grouping and a path (each as the last export left them, kept in the
    workspace's ui_state across runs); Enter or ctrl+s exports and closes with the file
    written, Escape cancels. Markdown into a file reader exported to before is merged, and what
    was kept of the user's edits is said in a notification. A refused export keeps the dialog
    open to fix the path, and says why in the dialog; a file reader did not write (or a
    symbolic link) is replaced by a second Enter or ctrl+s on the same path."""

    HELP_TITLE = "Export"

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
    }
    ExportDialog > #export {
        width: 70;
        max-width: 95%;
        height: auto;
        border: thick $primary 60%;
        background: $panel;
        padding: 0 1;
    }
    ExportDialog Select {
        margin-bottom: 1;
    }
    ExportDialog #export-hint {
        color: $text-muted;
    }
    ExportDialog #export-hint.-refused {
        color: $text-warning;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export.save"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, workspace: Workspace, document: Document | None) -> None:
        super().__init__()
        self.workspace = workspace
        self.document = document
        self.document_stem = workspace.export_stem(document) if document is not None else None
        self.workspace_stem = workspace.export_stem()
        saved = workspace.ui_state()  # the last export's choices, kept across runs
        self.saved_path = saved.get("export.path", "")
        self.default_format = saved.get("export.format", "")
        if self.default_format not in SUFFIXES:
            self.default_format = workspace.settings.export.format  # [export] format
        self.saved_group = (
            saved.get("export.group") if saved.get("export.group") in GROUPS else "doc"
        )
        self.saved_scope = saved.get("export.scope", "")
        self.saved_document = saved.get("export.document", "")  # whose file the path holds
        self._replace_asked: Path | None = None  # the target a second export may replace
        self._last_choices: tuple[object, ...] = ()  # scope, format, group the path was for

    def compose(self) -> ComposeResult:
        scopes = [("All highlights in the workspace", "all")]
        if self.document_stem is not None:
            scopes.insert(0, ("This document's highlights", "document"))
        with Vertical(id="export") as box:
            box.border_title = Content("Export highlights")
            scope = self.saved_scope if self.saved_scope in {v for _, v in scopes} else scopes[0][1]
            yield Select(scopes, value=scope, allow_blank=False, id="export-scope")
            yield Select(
                [("Markdown", "markdown"), ("W3C JSON", "json"), ("CSV", "csv")],
                value=self.default_format,
                allow_blank=False,
                id="export-format",
            )
            yield Select(
                [("Grouped by document", "doc"), ("Codebook: grouped by tag", "tag")],
                value=self.saved_group,
                allow_blank=False,
                id="export-group",
            )
            yield Input(self._initial_path(str(scope)), id="export-path")
            yield Static(Content(HINT), id="export-hint")

    def _initial_path(self, scope: str) -> str:
        """The last export's path when it was for this same scope (all highlights, or this
        document), so an export never lands in another document's file; else this one's
        default name in the last export's folder."""
        if not self.saved_path:
            return self._default_path(scope)
        same = self.saved_scope == scope and (
            scope == "all"
            or (self.document is not None and self.saved_document == str(self.document.id))
        )
        if same:
            return self.saved_path
        return str(Path(self.saved_path).parent / Path(self._default_path(scope)).name)

    def _default_path(self, scope: str | None = None) -> str:
        """In the exports folder (`[export] folder`, else exports/ in the workspace)."""
        if scope is None and self.is_mounted:
            scope = str(self.query_one("#export-scope", Select).value)
        fmt = self.query_one("#export-format", Select).value if self.is_mounted else None
        stem = self.document_stem if (scope or "document") == "document" else None
        name = f"{stem or self.workspace_stem}{SUFFIXES[str(fmt or self.default_format)]}"
        folder = self.workspace.exports_dir
        try:
            return str(folder.relative_to(self.workspace.root) / name)
        except ValueError:
            return str(folder / name)

    def on_mount(self) -> None:
        self.query_one("#export-scope", Select).focus()
        self._last_choices = self._choices()

    def _choices(self) -> tuple[object, ...]:
        return tuple(
            self.query_one(f"#export-{n}", Select).value for n in ("scope", "format", "group")
        )

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        """Another scope, format or grouping: the path follows (not for the remembered
        choices being set as the dialog opens)."""
        choices = self._choices()
        if choices != self._last_choices:
            self._last_choices = choices
            self.query_one("#export-path", Input).value = self._default_path()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        """Another path: a replacement agreed to for the old one does not carry over."""
        self._say(HINT, refused=False)
        self._replace_asked = None

    def _say(self, text: str, refused: bool) -> None:
        hint = self.query_one("#export-hint", Static)
        hint.update(Content(text))
        hint.set_class(refused, "-refused")

    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("Give a file name", severity="warning", markup=False)
            return
        target = expand_home(path)
        if not target.is_absolute():
            target = self.workspace.root / target
        scope = self.query_one("#export-scope", Select).value
        document = self.document if scope == "document" else None
        fmt = str(self.query_one("#export-format", Select).value)
        group_by = str(self.query_one("#export-group", Select).value)
        force = self._replace_asked == target

        notes: list[str] = []

        def export() -> list[Path]:
            try:
                return self.workspace.export(fmt, document, None, group_by, target, force=force,
                                             on_note=notes.append)  # fmt: skip
            except WouldReplace as refused:
                self._replace_asked = target
                self._say(f"{refused.shown} {refused.reason}: enter or ctrl+s again to "
                          f"{refused.forced}, esc to cancel", refused=True)  # fmt: skip
                return []
            except ReaderError as exc:
                self._say(str(exc), refused=True)
                raise

        written = run_safely(self, export)
        if written:
            choices = {"path": path, "format": fmt, "group": group_by, "scope": str(scope),
                       "document": str(document.id) if document is not None else ""}  # fmt: skip
            self.workspace.save_ui_state({f"export.{k}": v for k, v in choices.items()})
            for note in notes:
                self.app.notify(display_safe_line(note), title="Kept your edits",
                                severity="warning", markup=False)  # fmt: skip
            self.app.notify(f"Wrote {display_safe_line(str(written[0].resolve()))}",
                            title="Exported", markup=False)  # fmt: skip
            self.dismiss(written[0])

    def action_cancel(self) -> None:
        self.dismiss(None)
