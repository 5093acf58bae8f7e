"""Annotation CRUD through the domain API: offsets, context, tags, notes, delete and undo."""

from __future__ import annotations

import pytest

from reader.annotate.anchoring import CONTEXT_CHARS
from reader.errors import UsageError
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
HOSTILE_NOTE = (
    "[bold]x[/] [@click=app.quit]y[/] \x1b]52;c;aGk=\x07 \x1b[31mred\x1b[0m [TODO]\n\u202eevil"
)


def test_annotate_quote_records_offsets_and_context(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    text = workspace.text(doc)
    made = workspace.annotate_quote(doc, "practically impossible", tags=["arms"], note="n")
    assert text[made.start : made.end] == "practically impossible"
    assert made.prefix == text[made.start - CONTEXT_CHARS : made.start]
    assert made.suffix == text[made.end : made.end + CONTEXT_CHARS]
    assert len(made.prefix) >= 32 and len(made.suffix) >= 32
    assert (made.status, made.content_hash, made.tags) == ("anchored", doc.content_hash, ["arms"])
    assert workspace.document(DOC).annotations == 1


def test_offsets_are_code_points(workspace: Workspace) -> None:
    doc = workspace.document("000_1d5d00d34374701d")
    made = workspace.annotate_quote(doc, "Belgrade’s decisions")
    text = workspace.text(doc)
    assert made.end - made.start == 20  # 22 bytes in UTF-8
    assert text[made.start : made.end] == "Belgrade’s decisions"
    prefix_bytes = len(text[: made.start].encode("utf-8"))
    assert prefix_bytes > made.start  # the text before holds multi-byte characters: not bytes


def test_repeated_quote_needs_an_occurrence(workspace: Workspace) -> None:
    doc = workspace.document("004_9b4db2a2590667cc")
    with pytest.raises(UsageError, match=r"occurs \d+ times"):
        workspace.annotate_quote(doc, "CAATSA")
    first = workspace.annotate_quote(doc, "CAATSA", occurrence=1)
    second = workspace.annotate_quote(doc, "CAATSA", occurrence=2)
    assert first.start < second.start
    with pytest.raises(UsageError, match="between 1 and"):
        workspace.annotate_quote(doc, "CAATSA", occurrence=99)


@pytest.mark.parametrize("quote", ["no such words anywhere", "", "   "])
def test_absent_or_empty_quote_is_a_usage_error(workspace: Workspace, quote: str) -> None:
    with pytest.raises(UsageError):
        workspace.annotate_quote(workspace.document(DOC), quote)


def test_out_of_range_offsets_are_refused(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    size = len(workspace.text(doc))
    for start, end in [(5, 5), (10, 2), (0, size + 1)]:
        with pytest.raises(UsageError):
            workspace.annotate(doc, start, end)
    assert workspace.annotations() == []


def test_tags_are_unique_ignoring_case_and_survive_tag_deletion(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    a = workspace.annotate_quote(doc, "practically impossible", tags=["Arms", "arms ", "ARMS"])
    b = workspace.annotate_quote(doc, "Mojsilović stated", tags=["arms"])
    assert a.tags == ["Arms"] and b.tags == ["Arms"]
    assert [x.id for x in workspace.annotations(tag="aRmS")] == [a.id, b.id]
    with workspace.store.write() as db:
        db.execute("DELETE FROM tags")
    assert [x.tags for x in workspace.annotations()] == [[], []]
    assert workspace.annotation(a.id).quote == "practically impossible"


def test_non_ascii_tags_are_case_insensitive(workspace: Workspace) -> None:
    made = workspace.annotate_quote(workspace.document(DOC), "Mojsilović stated", tags=["Россия"])
    updated = workspace.add_tag(made.id, "РОССИЯ")
    assert updated.tags == ["Россия"]


def test_tag_add_remove_and_note(workspace: Workspace) -> None:
    made = workspace.annotate_quote(workspace.document(DOC), "practically impossible")
    assert workspace.add_tag(made.id, "military").tags == ["military"]
    assert workspace.add_tag(made.id, "quote").tags == ["military", "quote"]
    assert workspace.remove_tag(made.id, "MILITARY").tags == ["quote"]
    with pytest.raises(UsageError):
        workspace.remove_tag(made.id, "military")
    assert workspace.set_note(made.id, "line one\r\nline two").note == "line one\nline two"


def test_hostile_note_and_tag_come_back_byte_for_byte(workspace: Workspace) -> None:
    made = workspace.annotate_quote(
        workspace.document(DOC), "practically impossible", tags=["[red]tag[/]"], note=HOSTILE_NOTE
    )
    again = workspace.annotation(made.id)
    assert again.note == HOSTILE_NOTE
    assert again.tags == ["[red]tag[/]"]


def test_delete_then_restore_is_a_true_undo(workspace: Workspace) -> None:
    made = workspace.annotate_quote(
        workspace.document(DOC), "practically impossible", tags=["a", "b"], note="keep me"
    )
    deleted = workspace.delete(made.id)
    with pytest.raises(UsageError):
        workspace.annotation(made.id)
    restored = workspace.restore(deleted)
    assert restored == made


def test_failed_action_writes_nothing(workspace: Workspace) -> None:
    made = workspace.annotate_quote(workspace.document(DOC), "practically impossible")
    with pytest.raises(UsageError):
        workspace.add_tag(made.id, "   ")
    with pytest.raises(UsageError):
        workspace.annotate_quote(workspace.document(DOC), "Mojsilović stated", tags=["ok", ""])
    assert [a.id for a in workspace.annotations()] == [made.id]
    assert workspace.annotation(made.id).tags == []


def test_document_handles(workspace: Workspace) -> None:
    by_id = workspace.document("2")
    assert by_id.path == "001_4310720f2bcf0b55.txt"
    assert workspace.document("001_4310720f2bcf0b55.txt") == by_id
    assert workspace.document("001_4310720f2bcf0b55") == by_id
    with pytest.raises(UsageError, match="no document"):
        workspace.document("nope")


def test_tag_filter_includes_sub_tags_only(workspace: Workspace) -> None:
    doc = workspace.document(DOC)
    parent = workspace.annotate_quote(doc, "practically impossible", tags=["actor"])
    child = workspace.annotate_quote(doc, "Mojsilović stated", tags=["Actor/Serbia/army"])
    workspace.annotate_quote(doc, "Serbia continues", tags=["actors", "actor_x", "act%or/x"])
    assert [a.id for a in workspace.annotations(tag="actor")] == [parent.id, child.id]
    assert [a.id for a in workspace.annotations(tag="actor/serbia")] == [child.id]
    assert workspace.annotations(tag="act%or") != []
    assert workspace.annotations(tag="act_or") == []


def test_control_characters_are_dropped_from_tag_names(workspace: Workspace) -> None:
    made = workspace.annotate_quote(workspace.document(DOC), "practically impossible",
                                    tags=["ar\x1b[31mms\u202e"])  # fmt: skip
    assert made.tags == ["ar[31mms"]
