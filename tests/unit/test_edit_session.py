"""The editing rules without a screen: undo and redo, fast tagging, bulk tagging."""

from __future__ import annotations

import pytest

from reader.edit_session import EditSession
from reader.errors import NothingToDo, ReaderError
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"


def _codebook_paths(workspace: Workspace) -> set[str]:
    return {node.path for node in workspace.codebook() if node.exists}


def test_highlight_undo_redo_keeps_the_same_highlight(workspace: Workspace) -> None:
    session = EditSession(workspace)
    document = workspace.document(DOC)
    made, change = session.highlight(document, 0, 20, ["actor/russia"], "why")
    assert change.annotation_id == made.id and change.document_ids == {document.id}
    assert session.can_undo and not session.can_redo
    session.undo()
    assert workspace.annotations() == []
    session.redo()
    again = workspace.annotation(made.id)
    assert (again.uid, again.tags, again.note) == (made.uid, ["actor/russia"], "why")


def test_a_new_edit_clears_redo(workspace: Workspace) -> None:
    session = EditSession(workspace)
    made, _ = session.highlight(workspace.document(DOC), 0, 20)
    session.edit(made.id, ["a"], "")
    session.undo()
    assert session.can_redo
    session.edit(made.id, ["b"], "")
    assert not session.can_redo
    assert session.edit(made.id, ["b"], "") is None  # nothing differs: no step


def test_undoing_a_step_takes_out_the_tags_it_created(workspace: Workspace) -> None:
    session = EditSession(workspace)
    made, _ = session.highlight(workspace.document(DOC), 0, 20, ["frame/energy"])
    session.edit(made.id, ["frame/energy", "frame/enrgy"], "")
    assert "frame/enrgy" in _codebook_paths(workspace)
    change = session.undo()
    assert change.codebook_changed
    assert "frame/enrgy" not in _codebook_paths(workspace)
    assert "frame/energy" in _codebook_paths(workspace)
    session.redo()
    assert workspace.annotation(made.id).tags == ["frame/energy", "frame/enrgy"]


def test_bulk_tag_with_a_typo_is_new_and_undo_removes_it_everywhere(workspace: Workspace) -> None:
    session = EditSession(workspace)
    document = workspace.document(DOC)
    ids = [session.highlight(document, s, s + 10, ["frame/energy"])[0].id for s in (0, 40, 80)]
    assert not session.is_new_tag("Frame/Energy")
    assert session.is_new_tag("frame/enrgy")
    change = session.bulk_tag(ids, "frame/enrgy")
    assert "3 of 3" in change.message and change.document_ids == {document.id}
    session.undo()
    assert all(workspace.annotation(i).tags == ["frame/energy"] for i in ids)
    assert "frame/enrgy" not in _codebook_paths(workspace)
    assert "frame/enrgy" not in {name for name, _, _ in workspace.tag_usage()}


def test_undo_keeps_a_created_tag_that_was_described_since(workspace: Workspace) -> None:
    session = EditSession(workspace)
    made, _ = session.highlight(workspace.document(DOC), 0, 20)
    session.bulk_tag([made.id], "frame/new")
    workspace.describe_tag("frame/new", "kept: the user wrote this")
    session.undo()
    assert "frame/new" in _codebook_paths(workspace)


def test_number_key_toggles_and_dot_repeats(workspace: Workspace) -> None:
    session = EditSession(workspace)
    document = workspace.document(DOC)
    made, _ = session.highlight(document, 0, 20, ["actor/russia"])
    workspace.set_favourite("actor/russia", 2)
    tag = session.favourite(2)
    session.add_tags(made.id, [tag], toggle=True)
    assert workspace.annotation(made.id).tags == []
    session.add_tags(made.id, [tag], toggle=True)
    assert workspace.annotation(made.id).tags == ["actor/russia"]
    with pytest.raises(NothingToDo):
        session.add_tags(made.id, ["actor/russia"])
    with pytest.raises(NothingToDo):
        session.favourite(5)
    assert session.repeat_tags() == ["actor/russia"]
    workspace.delete_tag("actor/russia")
    with pytest.raises(NothingToDo):
        session.repeat_tags()


def test_undo_of_what_can_no_longer_be_done_is_dropped(workspace: Workspace) -> None:
    session = EditSession(workspace)
    made, _ = session.highlight(workspace.document(DOC), 0, 20)
    session.edit(made.id, ["x"], "note")
    workspace.delete(made.id)  # gone behind the session's back (another window, the CLI)
    with pytest.raises(ReaderError, match="Cannot undo"):
        session.undo()
    assert session.can_undo  # the highlight step below is still there
    with pytest.raises(NothingToDo):
        EditSession(workspace).undo()


def test_document_tags_and_reattach_are_undoable(workspace: Workspace) -> None:
    session = EditSession(workspace)
    document = workspace.document(DOC)
    assert session.edit_document(document, ["outlet"], "n") is not None
    session.undo()
    assert workspace.document_tags(document) == []
    made, _ = session.highlight(document, 0, 20)
    session.reattach(made.id, 30, 50)
    assert workspace.annotation(made.id).start == 30
    session.undo()
    assert workspace.annotation(made.id).start == 0


def test_undo_keeps_a_created_tag_recoloured_since_and_takes_parents_after_children(
    workspace: Workspace,
) -> None:
    session = EditSession(workspace)
    session.highlight(workspace.document(DOC), 0, 20, ["p/c", "q"])
    workspace.color_tag("q", "#123456")  # the user made it theirs
    session.undo()
    paths = _codebook_paths(workspace)
    assert "q" in paths
    assert "p/c" not in paths and "p" not in paths  # the child first, then its parent


def test_a_codebook_change_elsewhere_restarts_undo_only_when_a_tag_went(
    workspace: Workspace,
) -> None:
    session = EditSession(workspace)
    made, _ = session.highlight(workspace.document(DOC), 0, 20, ["energy"])
    before = session.tag_keys()
    workspace.create_tag("frame/new")  # only added: nothing recorded refers to a lost name
    assert not session.codebook_changed(before) and session.can_undo
    before = session.tag_keys()
    workspace.rename_tag("energy", "frame/energy")
    assert session.codebook_changed(before)
    assert not session.can_undo and not session.can_redo
    assert workspace.annotation(made.id).tags == ["frame/energy"]
