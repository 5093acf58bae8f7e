"""Orphans, highlights whose words are gone from their file: list, open, delete, re-attach.

Split from `main_screen` so each group of cross-pane actions can be read and changed on its own.
"""

from __future__ import annotations

from reader.ui.screen_state import ScreenState
from reader.ui.screens.orphans_screen import OrphanChoice, OrphansScreen


class OrphanActions(ScreenState):
    """The orphans list (O) and re-attaching an orphan to the selection (R)."""

    def action_orphans(self) -> None:
        orphans = self.workspace.annotations(status="orphaned")
        titles = {d.id: d.title for d in self.workspace.documents()}

        def chosen(choice: OrphanChoice | None) -> None:
            if choice is None:
                return
            orphan = choice.annotation
            if choice.action == "delete":
                deleted = self._safely(lambda: self.workspace.delete(orphan.id))
                if deleted is not None:
                    self._push_undo(
                        "deletion of an orphan", lambda: self.workspace.restore(deleted)
                    )
                    self.refresh_annotations()
                    self.call_after_refresh(self._refresh_library)
                    self.notify("Orphan deleted · u undoes", markup=False)
            elif choice.action == "open":
                self.open_document(self.workspace.document(str(orphan.document_id)))
                self.pane.highlight_annotation(orphan.id)
                self.notify("Select its new text and press R to re-attach it", markup=False)

        self.app.push_screen(OrphansScreen(orphans, titles), chosen)

    def action_reattach(self) -> None:
        """Attach one of this document's orphans to the selected text."""
        if self.document is None:
            return
        selection = self._selection_or_sentence(self.view) if self.view.selection else None
        if selection is None:
            self.notify("Select the text to attach an orphan to, then press R", markup=False)
            return
        orphans = self.workspace.annotations(self.document, status="orphaned")
        if not orphans:
            self.notify("This document has no orphaned highlights", markup=False)
            return

        def chosen(choice: OrphanChoice | None) -> None:
            if choice is None:
                return
            before = choice.annotation
            attached = self._safely(lambda: self.workspace.reattach(before.id, *selection))
            if attached is not None:
                self._push_undo("re-attachment", lambda: self.workspace.restore(before))
                self.view.action_clear_selection()
                self.refresh_annotations(attached.id)
                self.notify(f"Re-attached to “{self._short(attached.quote)}”", markup=False)

        self.app.push_screen(OrphansScreen(orphans, {}, attach=True), chosen)
