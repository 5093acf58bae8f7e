"""Document-level tags and note, reading positions, edits and tag usage through the domain API."""

from __future__ import annotations

import pytest

from reader.errors import UsageError
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"


def test_document_tags_and_note_replace_in_one_go(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    assert (workspace.document_tags(doc), workspace.document_note(doc)) == ([], "")
    workspace.set_document_annotation(doc, ["frame/security", "Outlet"], "About arms.\r\nMore.")
    assert workspace.document_tags(doc) == ["frame/security", "Outlet"]
    assert workspace.document_note(doc) == "About arms.\nMore."
    workspace.set_document_annotation(doc, ["outlet"], "   ")
    assert (workspace.document_tags(doc), workspace.document_note(doc)) == (["Outlet"], "")


def test_a_document_note_can_be_changed_again_and_is_found(workspace: Workspace) -> None:
    """The second note of a document failed on the search vocabulary (an upsert's conflict
    rule overrode the trigger's INSERT OR IGNORE): words shared by both notes met again."""
    doc = workspace.document(DOC)
    workspace.set_document_annotation(doc, [], "first note about energy")
    workspace.set_document_annotation(doc, [], "second note about energy pipelines")
    assert workspace.document_note(doc) == "second note about energy pipelines"
    assert next(r.kind for r in workspace.search("pipelines")) == "note"


def test_bad_document_tag_changes_nothing(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    workspace.set_document_annotation(doc, ["keep"], "kept")
    with pytest.raises(UsageError):
        workspace.set_document_annotation(doc, ["fine", " "], "lost?")
    assert (workspace.document_tags(doc), workspace.document_note(doc)) == (["keep"], "kept")


def test_reading_position_is_remembered(workspace_root) -> None:
    with Workspace.open(workspace_root) as ws:
        doc = ws.document(DOC)
        assert ws.reading_position(doc) is None
        ws.save_reading_position(doc, 1234)
        ws.save_reading_position(doc, 1500)
    with Workspace.open(workspace_root) as ws:
        assert ws.reading_position(ws.document(DOC)) == 1500


def test_update_replaces_tags_and_note(workspace: Workspace) -> None:
    made = workspace.annotate_quote(
        workspace.document(DOC), "practically impossible", tags=["a", "b"], note="old"
    )
    edited = workspace.update(made.id, ["b", "c"], "new")
    assert (edited.tags, edited.note) == (["b", "c"], "new")
    assert edited.created == made.created


def test_tag_usage_ranks_most_used_first(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible", tags=["rare", "common"])
    workspace.annotate_quote(doc, "Mojsilović stated", tags=["common"])
    workspace.set_document_annotation(doc, ["common", "doc-only"], "")
    usage = workspace.tag_usage()
    assert [(name, uses) for name, uses, _ in usage] == [
        ("common", 3),
        ("doc-only", 1),
        ("rare", 1),
    ]
    assert all(color.startswith("#") for _, _, color in usage)
    assert set(workspace.tag_colors()) == {"common", "doc-only", "rare"}
