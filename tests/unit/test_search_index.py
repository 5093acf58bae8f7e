"""The search index: kept current in the same transaction as every change, rebuilt alike,
migrated from earlier stores, and folding words exactly as FTS5 does."""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from reader.search import rebuild_search_index
from reader.search.index import RECOUNT_DOCUMENTS, settle_search_index
from reader.search.text import TOKEN, fold, passage_spans, terms
from reader.store.migrations import migrate
from reader.workspace import Workspace

ARMS = "001_4310720f2bcf0b55"


def write(root: Path, name: str, text: str) -> Path:
    path = root / "corpus" / name
    path.write_text(text, "utf-8")
    return path


def bump(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def docs_found(workspace: Workspace, query: str, kind: str | None = None) -> set[str]:
    return {r.doc for r in workspace.search(query, kind=kind, limit=100)}


def fts_is_sound(workspace: Workspace) -> None:
    conn = workspace.store.conn
    for table in ("search_text", "search_titles", "search_quotes", "search_notes"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")


def vocabulary(workspace: Workspace) -> dict[str, int]:
    return dict(workspace.store.conn.execute("SELECT term, df FROM search_terms"))


# Incremental


def test_an_added_document_is_found_at_once(workspace: Workspace) -> None:
    write(workspace.root, "new.txt", "Zlatibor Resort\n\nThe quiet plateau of Zlatibor.\n")
    workspace.sync()
    assert docs_found(workspace, "zlatibor plateau") == {"new.txt"}
    assert docs_found(workspace, "zlatibr", kind="text") == {"new.txt"}  # its words are known
    assert docs_found(workspace, "resort", kind="title") == {"new.txt"}
    fts_is_sound(workspace)


def test_a_changed_document_is_found_by_its_new_words_only(workspace: Workspace) -> None:
    path = write(workspace.root, "new.txt", "Old Title\n\nPeacocks strut in Kalemegdan park.\n")
    workspace.sync()
    write(workspace.root, "new.txt", "New Title\n\nSwans glide on the Danube.\n")
    bump(path)
    workspace.sync()
    assert docs_found(workspace, "peacocks") == set()
    assert docs_found(workspace, "swans danube") == {"new.txt"}
    assert docs_found(workspace, "old", kind="title") == set()
    fts_is_sound(workspace)


def test_a_removed_document_is_gone_and_a_renamed_one_found_under_its_new_name(
    workspace: Workspace,
) -> None:
    path = write(workspace.root, "new.txt", "Title\n\nPeacocks strut in Kalemegdan park.\n")
    workspace.sync()
    path.rename(workspace.root / "corpus" / "renamed.txt")
    workspace.sync()
    assert docs_found(workspace, "peacocks") == {"renamed.txt"}
    (workspace.root / "corpus" / "renamed.txt").unlink()
    workspace.sync()
    assert docs_found(workspace, "peacocks") == set()


def test_a_document_that_becomes_unreadable_leaves_the_index(workspace: Workspace) -> None:
    path = write(workspace.root, "new.txt", "Title\n\nPeacocks strut in Kalemegdan park.\n")
    workspace.sync()
    path.write_bytes(b"")  # empty: skipped, its text removed
    bump(path)
    workspace.sync()
    assert docs_found(workspace, "peacocks kalemegdan") == set()
    fts_is_sound(workspace)


def test_highlights_and_notes_are_found_at_once_and_gone_when_deleted(
    workspace: Workspace,
) -> None:
    doc = workspace.document(ARMS)
    made = workspace.annotate_quote(doc, "practically impossible", note="Ask the ministry")
    assert [r.annotation for r in workspace.search("ministry", kind="note")] == [made.id]
    assert [r.annotation for r in workspace.search("ministyr", kind="note")] == [made.id]
    workspace.set_note(made.id, "Compare with the Tanjug report")
    assert workspace.search("ministry", kind="note") == []
    assert [r.annotation for r in workspace.search("tanjug", kind="note")] == [made.id]
    assert [r.annotation for r in workspace.search("tanjgu", kind="note")] == [made.id]
    workspace.update(made.id, ["arms"], "Back to the ministry")
    assert [r.annotation for r in workspace.search("ministry", kind="note")] == [made.id]
    deleted = workspace.delete(made.id)
    for kind in ("note", "quote", "tag"):
        assert all(r.annotation != made.id for r in workspace.search("ministry", kind=kind))
    assert all(r.annotation != made.id for r in workspace.search("tag:arms"))
    workspace.restore(deleted)
    assert [r.annotation for r in workspace.search("ministry", kind="note")] == [made.id]
    fts_is_sound(workspace)


def test_tags_are_found_as_soon_as_they_are_added(workspace: Workspace) -> None:
    doc = workspace.document(ARMS)
    made = workspace.annotate_quote(doc, "practically impossible")
    assert workspace.search("tag:geopolitics") == []
    workspace.add_tag(made.id, "Geopolitics")
    assert [r.annotation for r in workspace.search("geopol", kind="tag")] == [made.id]
    assert [r.annotation for r in workspace.search("tag:geopolitics")] == [made.id]
    workspace.remove_tag(made.id, "geopolitics")
    assert workspace.search("geopol", kind="tag") == []


def test_document_notes_and_tags_are_found(workspace: Workspace) -> None:
    doc = workspace.document(ARMS)
    workspace.set_document_annotation(doc, ["dossier/arms"], "Read before the Zagreb meeting")
    [note] = workspace.search("zagreb meeting", kind="note")
    assert (note.doc, note.annotation, note.start, note.end) == (doc.path, None, 0, 0)
    [tag] = workspace.search("tag:dossier")
    assert (tag.kind, tag.doc, tag.annotation) == ("tag", doc.path, None)
    workspace.set_document_annotation(doc, [], "")
    assert workspace.search("zagreb meeting", kind="note") == []
    assert workspace.search("tag:dossier") == []


def test_a_failed_write_leaves_the_index_as_it_was(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.store.write() as db:
        db.execute(
            "INSERT INTO document_notes (document_id, note, updated) VALUES (1, 'Tisza', 't')"
        )
        raise RuntimeError("power cut")
    assert workspace.search("tisza") == []
    assert "tisza" not in vocabulary(workspace)
    fts_is_sound(workspace)


# Index, vocabulary and rebuild


def test_incremental_vocabulary_matches_a_rebuilt_one(workspace: Workspace) -> None:
    workspace.annotate_quote(workspace.document(ARMS), "practically impossible", note="Zemun ✓")
    # U+19B0 is a letter to Python, a separator to FTS5: the vocabulary holds FTS5's terms
    write(workspace.root, "new.txt", "Title\n\nPeacocks strut in Kalemegdan park a\u19b0b.\n")
    workspace.sync()
    incremental = vocabulary(workspace)
    before = [r.as_json() for r in workspace.search("serbia arms", limit=20)]
    with workspace.store.write() as db:
        rebuild_search_index(db)
    assert vocabulary(workspace) == incremental
    assert [r.as_json() for r in workspace.search("serbia arms", limit=20)] == before
    fts_is_sound(workspace)


def test_a_large_import_recounts_the_vocabulary(empty_root: Path) -> None:
    count = 30  # a first import of more than 10 documents: counted from the index at once
    assert count < RECOUNT_DOCUMENTS
    for i in range(count):
        write(empty_root, f"{i:03d}.txt", f"Title {i}\n\nWord{i} and a common word.\n")
    with Workspace.open(empty_root) as ws:
        words = vocabulary(ws)
        assert (words["common"], words["title"], words["word7"]) == (count, count, 1)
        assert ws.search("word7")[0].doc == "007.txt"


def test_text_holding_nul_characters_is_indexed_and_removed_cleanly(workspace: Workspace) -> None:
    path = write(workspace.root, "nul.txt", "Title\n\nBefore\x00after Kalemegdan.\n\nMore text.\n")
    workspace.sync()
    [found] = workspace.search("kalemegdan", kind="text")
    assert workspace.text(workspace.document(found.document_id))[found.start : found.end] == (
        "Kalemegdan"
    )
    write(workspace.root, "nul.txt", "Title\n\nSomething else\x00 entirely.\n")
    bump(path)
    workspace.sync()
    assert workspace.search("kalemegdan") == []
    assert docs_found(workspace, "entirely") == {"nul.txt"}
    fts_is_sound(workspace)


def test_settling_with_nothing_queued_changes_nothing(workspace: Workspace) -> None:
    before = vocabulary(workspace)
    with workspace.store.write() as db:
        settle_search_index(db)
    assert vocabulary(workspace) == before


def test_migrating_a_version_2_store_indexes_what_it_holds(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "corpus").mkdir(parents=True)
    text = "Title of it\n\nA sentence about Smederevo fortress.\n"
    (root / "corpus" / "a.txt").write_text(text, "utf-8")
    conn = sqlite3.connect(root / "annotations.db", isolation_level=None)
    migrate(conn, target=2)
    conn.execute(
        "INSERT INTO documents (id, path, status, content_hash, title, added, updated) "
        "VALUES (1, 'a.txt', 'ok', 'h', 'Title of it', 't', 't')"
    )
    conn.execute("INSERT INTO document_texts VALUES (1, ?)", (text,))
    conn.execute(
        'INSERT INTO annotations (uid, document_id, start, "end", quote, content_hash, note, '
        "created, updated) VALUES ('u1', 1, 13, 23, 'A sentence', 'h', 'see Golubac', 't', 't')"
    )
    conn.close()
    with Workspace.open(root, sync=False) as ws:
        assert docs_found(ws, "smederevo fortres") == {"a.txt"}
        assert [r.annotation for r in ws.search("golubac", kind="note")] == [1]
        assert docs_found(ws, "title", kind="title") == {"a.txt"}


# Text as the index sees it


def test_paragraphs_are_the_lines_holding_text() -> None:
    text = "Title\n\n  \nFirst para.\nSecond\n"
    assert [text[s:e] for s, e in passage_spans(text)] == ["Title", "First para.", "Second"]


def test_folding_keeps_every_offset() -> None:
    for text in ["Vučić İstanbul ǅ ß ﬁ", "ΣΊΣΥΦΟΣ ς", "e\u0301", "Ⅻ", "ŉ"]:
        assert len(fold(text)) == len(text)


def test_python_folds_latin_greek_and_cyrillic_letters_as_fts5_does() -> None:
    """Query words are folded in Python; the index folds with FTS5: they must agree."""
    letters = [
        chr(cp)
        for cp in (
            *range(0x41, 0x5B),
            *range(0xC0, 0x250),
            *range(0x370, 0x530),
            *range(0x1E00, 0x1F00),
        )
        if unicodedata.category(chr(cp)).startswith("L")
        and cp not in (0x1E0, 0x1E1, 0x37F, 0x528, 0x52A, 0x52C, 0x52E)  # FTS5's own quirks
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", enumerate(letters))
    fts = {doc: term for term, doc in conn.execute("SELECT term, doc FROM v")}
    mismatches = [
        (c, fts.get(i), terms(c)) for i, c in enumerate(letters) if [fts.get(i)] != terms(c)
    ]
    assert mismatches == []


def test_tokens_split_where_fts5_splits() -> None:
    assert terms("U.S.-led x_y Jan.08 don’t #actor/russia") == [
        "u", "s", "led", "x", "y", "jan", "08", "don", "t", "actor", "russia",
    ]  # fmt: skip
    assert TOKEN.findall("") == []
