"""The main screen's orphan actions (O, R): the list of highlights whose words are gone from
their file, and attaching one to new text. Apart from the screen so that the orphans screen
loads only when it is first opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui.screens.orphans_screen import OrphanChoice, OrphansScreen

if TYPE_CHECKING:
    from reader.ui.screens.main_screen import MainScreen


def show_orphans(screen: MainScreen) -> None:
    """List every orphan; the user opens one (to re-attach it) or deletes it."""
    orphans = screen.workspace.annotations(status="orphaned")

    def chosen(choice: OrphanChoice | None) -> None:
        if choice is None:
            return
        orphan = choice.annotation
        if choice.action == "delete":
            screen.edited(screen.safely(lambda: screen.session.delete(orphan.id)))
        elif choice.action == "open":
            screen.go_to(orphan.document_id, 0, orphan.id)
            screen.notify("Select its new text and press R to re-attach it", markup=False)

    titles = screen.workspace.document_titles()
    screen.app.push_screen(OrphansScreen(orphans, titles), chosen)


def reattach_orphan(screen: MainScreen) -> None:
    """Attach one of the open document's orphans to the selected text."""
    document = screen.document
    span = screen.reader.selection_or_sentence() if screen.view.selection else None
    if document is None or span is None:
        screen.notify("Select the text to attach an orphan to, then press R", markup=False)
        return
    orphans = screen.workspace.annotations(document, status="orphaned")
    if not orphans:
        screen.notify("This document has no orphaned highlights", markup=False)
        return

    def chosen(choice: OrphanChoice | None) -> None:
        if choice is not None:
            ann_id = choice.annotation.id
            screen.view.action_clear_selection()
            screen.edited(screen.safely(lambda: screen.session.reattach(ann_id, *span)))

    screen.app.push_screen(OrphansScreen(orphans, {}, attach=True), chosen)
