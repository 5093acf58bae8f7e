"""Export highlights to a file and copy them as cited Markdown, to the clipboard or the terminal.

Split from `main_screen` so each group of cross-pane actions can be read and changed on its own.
Copying tries the system clipboard in a thread worker and falls back to OSC 52, saying which.
"""

from __future__ import annotations

from pathlib import Path

from textual import work

from reader.clipboard import copy_to_system_clipboard, osc52_sequence
from reader.export.citation import annotation_with_citation, quote_with_citation
from reader.export.collect import collect
from reader.export.filenames import safe_stem
from reader.export.markdown import markdown_by_document
from reader.export.writer import export as export_highlights
from reader.sanitize import display_safe_line
from reader.ui.screen_state import ScreenState
from reader.ui.screens.export_dialog import ExportDialog, ExportRequest


class ExportActions(ScreenState):
    """Export (x), copy the selection or highlight (y), copy the document's highlights (Y)."""

    def action_export(self) -> None:
        stem = safe_stem(self.document.title) if self.document is not None else None
        workspace_stem = safe_stem(self.workspace.root.resolve().name, "highlights")

        def run(request: ExportRequest | None) -> None:
            if request is None:
                return
            target = Path(request.path).expanduser()
            if not target.is_absolute():
                target = self.workspace.root / target
            document = self.document if request.scope == "document" else None
            written = self._safely(
                lambda: export_highlights(
                    self.workspace, request.fmt, document, None, request.group_by, target, False
                )
            )
            if written:
                self.notify(
                    f"Wrote {display_safe_line(str(written[0].resolve()))}",
                    title="Exported",
                    markup=False,
                )

        self.app.push_screen(ExportDialog(stem, workspace_stem), run)

    def action_copy(self) -> None:
        """Copy the selection, else the highlight under the cursor, as a cited Markdown quote."""
        if self.document is None:
            return
        view = self.view
        if view.selection is not None:
            quote = view.text[slice(*view.selection)].strip()
            self._copy(quote_with_citation(quote, self.document), "the selection")
            return
        current = view.current_highlight()
        if current is None:
            self.notify("Select text or move onto a highlight to copy", markup=False)
            return
        annotation = self._safely(lambda: self.workspace.annotation(current.annotation_id))
        if annotation is not None:
            self._copy(annotation_with_citation(annotation, self.document), "the highlight")

    def action_copy_document(self) -> None:
        """Copy every highlight of the open document as Markdown."""
        if self.document is None:
            return
        exports = collect(self.workspace, self.document)
        if not exports:
            self.notify("This document has no highlights yet", markup=False)
            return
        count = len(exports[0].annotations)
        self._copy(markdown_by_document(exports), f"{count} highlight(s)")

    @work(thread=True, exclusive=True, group="clipboard")
    def _copy(self, text: str, what: str) -> None:
        """Try the system clipboard off the UI thread; fall back to the terminal (OSC 52)."""
        if copy_to_system_clipboard(text):
            self.app.call_from_thread(
                self.notify, f"Copied {what} to the system clipboard", markup=False
            )
        else:
            self.app.call_from_thread(self._copy_through_terminal, text, what)

    def _copy_through_terminal(self, text: str, what: str) -> None:
        driver = self.app._driver
        self.app.copy_to_clipboard(text)  # keeps app.clipboard and writes plain OSC 52
        if driver is not None and osc52_sequence(text) != osc52_sequence(text, inside_tmux=False):
            driver.write(osc52_sequence(text))  # inside tmux: the wrapped form passes through
        self.notify(
            f"Copied {what} through the terminal (OSC 52): no system clipboard here",
            markup=False,
        )
