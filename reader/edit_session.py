"""The editing rules of a reading session, apart from any screen: undo and redo, the tags `.`
repeats, number keys that toggle a tag, and tagging many highlights at once.

Every edit goes through `Workspace` (one transaction each) and returns a `Change` saying what
to redraw and what to tell the user; the TUI only shows it. A step that brought a new tag into
the codebook takes it out again on undo, if nothing else uses it by then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reader.codebook.tag_names import is_palette_color
from reader.errors import NothingToDo, ReaderError
from reader.models import Annotation, Document
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten
from reader.workspace import Workspace

QUOTE_IN_MESSAGE = 40


@dataclass(frozen=True)
class Change:
    """What one edit, undo or redo did: what to say, which highlight to show, what to redraw."""

    message: str
    annotation_id: int | None = None
    document_ids: frozenset[int] = frozenset()
    codebook_changed: bool = False


@dataclass
class _Step:
    description: str
    undo: Callable[[], Change]
    redo: Callable[[], Change]
    created_tags: list[str] = field(default_factory=list)


def short(text: str) -> str:
    """A quote cut to one short, terminal-safe line for a message."""
    return shorten(display_safe_line(text), QUOTE_IN_MESSAGE)


def hashtags(tags: Iterable[str]) -> str:
    return " ".join(f"#{display_safe_line(t)}" for t in tags)


class EditSession:
    """Undo and redo stacks, the last tags applied, and the rules of fast tagging."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self.last_tags: list[str] = []

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # Recording steps

    def _tag_keys(self) -> set[str]:
        return set(self.workspace.tag_colors())

    def _record(
        self, description: str, undo: Callable[[], Change], redo: Callable[[], Change],
        tags_before: set[str],
    ) -> None:  # fmt: skip
        created = sorted(self._tag_keys() - tags_before)
        self._undo.append(_Step(description, undo, redo, created))
        self._redo.clear()

    def undo(self) -> Change:
        """Revert the last step. A step that can no longer be done is dropped (ReaderError); a
        refusal of the database keeps it for another try (sqlite3.Error)."""
        if not self._undo:
            raise NothingToDo("Nothing to undo")
        step = self._undo.pop()
        try:
            change = step.undo()
        except sqlite3.Error:
            self._undo.append(step)
            raise
        except ReaderError as exc:
            raise ReaderError(f"Cannot undo {step.description}: {exc}") from exc
        dropped = self._discard_unused(step.created_tags)
        self._redo.append(step)
        return Change(
            f"Undid {step.description}", change.annotation_id, change.document_ids,
            change.codebook_changed or bool(dropped),
        )  # fmt: skip

    def redo(self) -> Change:
        if not self._redo:
            raise NothingToDo("Nothing to redo")
        step = self._redo.pop()
        try:
            change = step.redo()
        except sqlite3.Error:
            self._redo.append(step)
            raise
        except ReaderError as exc:
            raise ReaderError(f"Cannot redo {step.description}: {exc}") from exc
        self._undo.append(step)
        return Change(
            f"Redid {step.description}", change.annotation_id, change.document_ids,
            change.codebook_changed or bool(step.created_tags),
        )  # fmt: skip

    def _discard_unused(self, tags: list[str]) -> list[str]:
        """Delete tags a reverted step created, unless used, described or pinned since."""
        if not tags:
            return []
        dropped: list[str] = []
        for key in sorted(tags, key=lambda k: k.count("/"), reverse=True):  # children first
            nodes = {node.key: node for node in self.workspace.codebook()}
            node = nodes.get(key)
            if node is None or not node.exists:
                continue
            has_children = any(k.startswith(key + "/") for k in nodes)
            recoloured = node.color is not None and not is_palette_color(node.color)
            if (node.highlights or node.tagged_documents or node.description or recoloured
                    or node.favourite is not None or has_children):  # fmt: skip
                continue
            try:
                self.workspace.delete_tag(node.path)
            except (ReaderError, sqlite3.Error):
                break  # the undo itself is done; an unused tag left behind harms nothing
            dropped.append(node.path)
        return dropped

    # Highlights

    def highlight(
        self, document: Document, start: int, end: int, tags: list[str] | None = None,
        note: str = "",
    ) -> tuple[Annotation, Change]:  # fmt: skip
        """Highlight [start, end) of `document` with `tags` and `note`, in one step."""
        before = self._tag_keys()
        made = self.workspace.annotate(document, start, end, tags=tags or [], note=note)
        if made.tags:
            self.last_tags = list(made.tags)
        where = frozenset({made.document_id})

        def undo() -> Change:
            self.workspace.delete(made.id)
            return Change("", None, where)

        def redo() -> Change:
            self.workspace.restore(made)
            return Change("", made.id, where)

        self._record(f"highlight “{short(made.quote)}”", undo, redo, before)
        said = f"{hashtags(made.tags)} · “{short(made.quote)}”" if made.tags else ""
        return made, Change(said or f"Highlighted “{short(made.quote)}”", made.id, where)

    def edit(self, ann_id: int, tags: list[str], note: str) -> Change | None:
        """Replace a highlight's tags and note; None when nothing differs."""
        before = self.workspace.annotation(ann_id)
        if tags == before.tags and note == before.note:
            return None
        return self._replace(before, tags, note, f"edit of “{short(before.quote)}”", "Saved")

    def _replace(
        self, before: Annotation, tags: list[str], note: str, description: str, said: str
    ) -> Change:
        known = self._tag_keys()
        after = self.workspace.update(before.id, tags, note)
        if after.tags:
            self.last_tags = list(after.tags)
        where = frozenset({before.document_id})

        def undo() -> Change:
            self.workspace.update(before.id, before.tags, before.note)
            return Change("", before.id, where)

        def redo() -> Change:
            self.workspace.update(before.id, after.tags, after.note)
            return Change("", before.id, where)

        self._record(description, undo, redo, known)
        return Change(f"{said} “{short(before.quote)}”", before.id, where)

    def delete(self, ann_id: int) -> Change:
        deleted = self.workspace.delete(ann_id)
        where = frozenset({deleted.document_id})

        def undo() -> Change:
            self.workspace.restore(deleted)
            return Change("", deleted.id, where)

        def redo() -> Change:
            self.workspace.delete(deleted.id)
            return Change("", None, where)

        self._record(f"deletion of “{short(deleted.quote)}”", undo, redo, self._tag_keys())
        return Change(f"Deleted “{short(deleted.quote)}” · u undoes", None, where)

    def reattach(self, ann_id: int, start: int, end: int) -> Change:
        before = self.workspace.annotation(ann_id)
        after = self.workspace.reattach(ann_id, start, end)
        where = frozenset({before.document_id})

        def undo() -> Change:
            self.workspace.restore(before)
            return Change("", before.id, where)

        def redo() -> Change:
            self.workspace.reattach(ann_id, start, end)
            return Change("", ann_id, where)

        self._record("re-attachment", undo, redo, self._tag_keys())
        return Change(f"Re-attached to “{short(after.quote)}”", after.id, where)

    def edit_document(self, document: Document, tags: list[str], note: str) -> Change | None:
        """Tags and note of a whole document; None when nothing differs."""
        old_tags = self.workspace.document_tags(document)
        old_note = self.workspace.document_note(document)
        if tags == old_tags and note == old_note:
            return None
        known = self._tag_keys()
        self.workspace.set_document_annotation(document, tags, note)
        where = frozenset({document.id})

        def undo() -> Change:
            self.workspace.set_document_annotation(document, old_tags, old_note)
            return Change("", None, where)

        def redo() -> Change:
            self.workspace.set_document_annotation(document, tags, note)
            return Change("", None, where)

        self._record("document tags and note", undo, redo, known)
        return Change("Saved the document's tags and note", None, where)

    # Fast tagging: number keys and `.`

    def add_tags(self, ann_id: int, tags: list[str], toggle: bool = False) -> Change:
        """Add `tags` to a highlight; with `toggle` and one tag it already has, take it off."""
        before = self.workspace.annotation(ann_id)
        have = {t.casefold() for t in before.tags}
        if toggle and len(tags) == 1 and tags[0].casefold() in have:
            wanted = [t for t in before.tags if t.casefold() != tags[0].casefold()]
            said = f"Took {hashtags(tags)} off"
        else:
            wanted = before.tags + [t for t in tags if t.casefold() not in have]
            said = f"Added {hashtags(tags)} to"
            if len(wanted) == len(before.tags):
                raise NothingToDo(f"Already tagged {hashtags(tags)}")
        change = self._replace(before, wanted, before.note, f"tags of “{short(before.quote)}”",
                               said)  # fmt: skip
        self.last_tags = list(tags)
        return change

    def favourite(self, slot: int) -> str:
        """The tag on number key `slot`."""
        tag = self.workspace.favourite_tags().get(slot)
        if tag is None:
            raise NothingToDo(f"Key {slot} has no tag yet: press t, move to a tag and press {slot}")
        return tag

    def repeat_tags(self) -> list[str]:
        """What `.` applies: the last tags applied that still exist."""
        existing = self._tag_keys()
        self.last_tags = [t for t in self.last_tags if t.casefold() in existing]
        if not self.last_tags:
            raise NothingToDo("No tags applied yet: tag a highlight first, then . repeats")
        return list(self.last_tags)

    # Many highlights at once

    def is_new_tag(self, tag: str) -> bool:
        return tag.strip().casefold() not in self._tag_keys()

    def bulk_tag(self, annotation_ids: list[int], tag: str, remove: bool = False) -> Change:
        """Add (or take off) `tag` on every highlight in `annotation_ids`, as one step."""
        tag = tag.strip()
        known = self._tag_keys()
        ws = self.workspace
        if remove:
            changed = ws.untag_highlights(annotation_ids, tag)
        else:
            changed = ws.tag_highlights(annotation_ids, tag)
        done, where_word = ("Took", "off") if remove else ("Added", "to")
        said = (f"{done} {hashtags([tag])} {where_word} {len(changed)} of "
                f"{len(annotation_ids)} highlight(s)")  # fmt: skip
        if not changed:
            return Change(said)
        documents = frozenset(ws.annotation(ann_id).document_id for ann_id in changed)

        def undo() -> Change:
            (ws.tag_highlights if remove else ws.untag_highlights)(changed, tag)
            return Change("", None, documents, True)

        def redo() -> Change:
            (ws.untag_highlights if remove else ws.tag_highlights)(changed, tag)
            return Change("", None, documents, True)

        verb = "untagging" if remove else "tagging"
        self._record(f"{verb} of {len(changed)} highlight(s)", undo, redo, known)
        if not remove:
            self.last_tags = [tag]
        return Change(said, None, documents, True)

    def codebook_changed(self, tags_before: set[str]) -> bool:
        """After the codebook was edited elsewhere (the tags view): `.` must not bring back a
        removed tag, and steps recorded by tag name must not either, so when a tag of
        `tags_before` (keys) is gone, undo and redo start afresh. True when they did."""
        existing = self._tag_keys()
        self.last_tags = [t for t in self.last_tags if t.casefold() in existing]
        if tags_before <= existing or not (self._undo or self._redo):
            return False
        self._undo.clear()
        self._redo.clear()
        return True

    def tag_keys(self) -> set[str]:
        """Every tag of the codebook, by key: what `codebook_changed` compares against."""
        return self._tag_keys()
