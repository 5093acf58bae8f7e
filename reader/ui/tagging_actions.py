"""Coding passages fast: number keys 1-9 apply favourite tags, `.` repeats the last tags, `T`
adds or removes a tag on every highlight of the document (or of a search), and the tags view
(`t`) and statistics (`s`) open from here.

Split from `main_screen` so each group of cross-pane actions can be read and changed on its own.
"""

from __future__ import annotations

from reader.models import Annotation
from reader.sanitize import display_safe_line
from reader.ui.screen_state import ScreenState
from reader.ui.screens.prompt_dialogs import PromptDialog
from reader.ui.screens.search_screen import SearchTagging
from reader.ui.screens.stats_screen import StatsScreen
from reader.ui.screens.tags_screen import TagJump, TagsScreen

BULK_HINT = "A tag adds it to each; -tag takes it off each. Sub-tags with a slash: actor/russia."


class TaggingActions(ScreenState):
    """Favourite-tag keys, repeat, bulk tagging, and the tags and statistics screens."""

    # Tagging the selection in one keystroke

    def action_favourite(self, slot: int) -> None:
        """Apply the tag on number key `slot`; on a highlight that has it, take it off."""
        tag = self.workspace.favourite_tags().get(slot)
        if tag is None:
            self.notify(
                f"Key {slot} has no tag yet: press t, move to a tag and press {slot}",
                markup=False,
            )
            return
        self._apply_tags([tag], toggle=True)

    def action_repeat_tags(self) -> None:
        """Apply the last tags applied (by dialog, number key or `.`) to a new selection."""
        if not self.last_tags:
            self.notify("No tags applied yet: tag a highlight first, then . repeats", markup=False)
            return
        self._apply_tags(self.last_tags)

    def _apply_tags(self, tags: list[str], toggle: bool = False) -> None:
        """On a highlight (nothing selected): add the tags to it. Else highlight the selection,
        or the sentence under the cursor, with the tags."""
        view = self.view
        current = view.current_highlight() if view.selection is None else None
        if current is not None:
            before = self._safely(lambda: self.workspace.annotation(current.annotation_id))
            if before is not None:
                self._retag(before, tags, toggle)
            return
        made = self.highlight_here(tags)
        if made is None:
            return
        self.last_tags = made.tags
        self.notify(f"{self._hashtags(made.tags)} · “{self._short(made.quote)}”", markup=False)

    def _retag(self, before: Annotation, tags: list[str], toggle: bool) -> None:
        have = {t.casefold() for t in before.tags}
        if toggle and len(tags) == 1 and tags[0].casefold() in have:
            wanted = [t for t in before.tags if t.casefold() != tags[0].casefold()]
            message = f"Took {self._hashtags(tags)} off"
        else:
            wanted = before.tags + [t for t in tags if t.casefold() not in have]
            message = f"Added {self._hashtags(tags)} to"
            if len(wanted) == len(before.tags):
                self.notify(f"Already tagged {self._hashtags(tags)}", markup=False)
                return
        updated = self._safely(lambda: self.workspace.update(before.id, wanted, before.note))
        if updated is None:
            return
        self._push_undo(
            f"tags of “{self._short(before.quote)}”",
            lambda: self.workspace.update(before.id, before.tags, before.note),
        )
        self.last_tags = list(tags)
        self.refresh_annotations(before.id)
        self.notify(f"{message} “{self._short(before.quote)}”", markup=False)

    @staticmethod
    def _hashtags(tags: list[str]) -> str:
        return " ".join(f"#{display_safe_line(t)}" for t in tags)

    # Many highlights at once

    def action_bulk_tag(self) -> None:
        """Add or remove a tag on every highlight of the open document."""
        if self.document is None:
            return
        ids = [a.id for a in self.workspace.annotations(self.document)]
        if not ids:
            self.notify("This document has no highlights yet", markup=False)
            return
        self._ask_bulk(ids, f"all {len(ids)} highlight(s) of this document")

    def bulk_tag_search(self, request: SearchTagging) -> None:
        count = len(request.annotation_ids)
        found = f"the {count} highlight(s) found by “{request.query}”"
        self._ask_bulk(list(request.annotation_ids), found)

    def _ask_bulk(self, ids: list[int], what: str) -> None:
        def answered(answer: str | None) -> None:
            if not answer or not answer.strip().lstrip("-+").strip():
                return
            answer = answer.strip()
            remove = answer.startswith("-")
            tag = answer.lstrip("-+").strip()
            if remove:
                changed = self._safely(lambda: self.workspace.untag_highlights(ids, tag))
            else:
                changed = self._safely(lambda: self.workspace.tag_highlights(ids, tag))
            if changed is None:
                return
            if changed:
                undo = (self.workspace.tag_highlights if remove
                        else self.workspace.untag_highlights)  # fmt: skip
                verb = "untagging" if remove else "tagging"
                self._push_undo(f"{verb} of {len(changed)} highlight(s)",
                                lambda: undo(changed, tag))  # fmt: skip
            self.refresh_annotations()
            done = "Took" if remove else "Added"
            where = "off" if remove else "to"
            self.notify(
                f"{done} {self._hashtags([tag])} {where} {len(changed)} of {len(ids)} highlight(s)",
                markup=False,
            )

        paths = [n.path for n in self.workspace.codebook()]
        self.app.push_screen(PromptDialog(f"Tag {what}", "", BULK_HINT, paths), answered)

    # The tags view and the statistics

    def action_tags(self) -> None:
        self.app.push_screen(TagsScreen(self.workspace), self.go_to_tagged)

    def go_to_tagged(self, jump: TagJump | None) -> None:
        """Back from the tags view: colours and names may have changed; open a chosen highlight."""
        self.refresh_annotations()
        self.call_after_refresh(self._refresh_library)
        # `.` must not bring back a tag renamed, merged or deleted in the view
        existing = self.workspace.tag_colors()  # every tag of its own, by key: one cheap query
        self.last_tags = [t for t in self.last_tags if t.casefold() in existing]
        if jump is None:
            return
        annotation = jump.annotation
        document = self._safely(lambda: self.workspace.document(str(annotation.document_id)))
        if document is None:
            return
        self.open_document(document, annotation.start)
        if self.document is None or self.document.id != document.id:
            return
        self.pane.highlight_annotation(annotation.id)
        if annotation.status == "orphaned":
            self.notify("This highlight lost its text: select new text and press R", markup=False)
        else:
            self.view.set_cursor(annotation.start, center=True)

    def action_stats(self) -> None:
        stats = self._safely(self.workspace.stats)
        if stats is not None:
            self.app.push_screen(StatsScreen(stats))
