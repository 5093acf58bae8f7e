"""Schema v11: the note triggers skip highlights without a note, and search stays right."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.store.migrations import migrate
from reader.workspace import Workspace

TEXT = "Title of it\n\nA sentence about Smederevo fortress.\nAnother on Golubac walls.\n"


def _v10_store(root: Path) -> None:
    """A workspace at schema v10 holding two highlights, one with a note."""
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.txt").write_text(TEXT, "utf-8")
    conn = sqlite3.connect(root / "annotations.db", isolation_level=None)
    migrate(conn, target=10)
    conn.execute(
        "INSERT INTO documents (id, path, status, content_hash, title, added, updated) "
        "VALUES (1, 'a.txt', 'ok', 'h', 'Title of it', 't', 't')"
    )
    conn.execute("INSERT INTO document_texts VALUES (1, ?)", (TEXT,))
    for uid, start, end, note in (("u1", 13, 23, "see Danube"), ("u2", 50, 57, "")):
        conn.execute(
            'INSERT INTO annotations (uid, document_id, start, "end", quote, content_hash, '
            "note, created, updated) VALUES (?, 1, ?, ?, ?, 'h', ?, 't', 't')",
            (uid, start, end, TEXT[start:end], note),
        )
    conn.close()


def _found(ws: Workspace) -> dict[str, list[int]]:
    return {
        query: _matching(ws, table, query)
        for query, table in (("danube", "notes"), ("sentence", "quotes"), ("another", "quotes"))
    }


def _matching(ws: Workspace, table: str, word: str) -> list[int]:
    """Annotation ids in search_`table` holding `word`, straight from the FTS5 index."""
    sql = f"SELECT rowid FROM search_{table} WHERE search_{table} MATCH ? ORDER BY rowid"
    return [row[0] for row in ws.store.conn.execute(sql, (word,))]


def _rows_in_note_index(ws: Workspace) -> int:
    """FTS5's own count of the rows it indexed (the first varint of its averages record)."""
    block = ws.store.conn.execute("SELECT block FROM search_notes_data WHERE id = 1").fetchone()[0]
    value = 0
    for byte in block:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value
    raise AssertionError("no row count")


def _integrity(ws: Workspace) -> None:
    for table in ("search_notes", "search_quotes"):
        ws.store.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")


def test_v10_store_migrates_and_finds_the_same(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    conn = sqlite3.connect(tmp_path / "annotations.db", isolation_level=None)
    from reader.search.engine import search

    before = sorted((r.kind, r.annotation) for q in ("danube", "sentence") for r in search(conn, q))
    conn.close()
    with Workspace.open(tmp_path, sync=False) as ws:
        assert ws.store.conn.execute("PRAGMA user_version").fetchone()[0] >= 11
        after = sorted(
            (r.kind, r.annotation) for q in ("danube", "sentence") for r in ws.search(q)
        )
        assert after == before
        assert _found(ws) == {"danube": [1], "sentence": [1], "another": [2]}
        _integrity(ws)


def test_notes_stay_searchable_on_insert_update_delete(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    with Workspace.open(tmp_path, sync=False) as ws:
        doc = ws.documents()[0]
        plain = ws.annotate_quote(doc, "Golubac")  # no note
        noted = ws.annotate_quote(doc, "fortress", note="a Morava note")
        assert [r.annotation for r in ws.search("morava", kind="note")] == [noted.id]
        assert _matching(ws, "quotes", "golubac") == [plain.id]
        ws.set_note(plain.id, "walls of Ram")  # '' -> a note
        ws.set_note(noted.id, "")  # a note -> ''
        assert [r.annotation for r in ws.search("ram", kind="note")] == [plain.id]
        assert ws.search("morava", kind="note") == []
        ws.set_note(2, "now with Ram too")
        assert sorted(r.annotation for r in ws.search("ram", kind="note")) == [2, plain.id]
        ws.delete(plain.id)
        ws.delete(1)
        assert [r.annotation for r in ws.search("ram", kind="note")] == [2]
        assert ws.search("danube", kind="note") == []
        assert _matching(ws, "quotes", "golubac") == []
        _integrity(ws)
        vocabulary = dict(ws.store.conn.execute("SELECT term, df FROM search_terms"))
        assert vocabulary.get("morava", 0) == 0 and vocabulary.get("ram") == 1


def test_only_highlights_with_a_note_are_in_the_note_index(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    with Workspace.open(tmp_path, sync=False) as ws:
        assert _rows_in_note_index(ws) == 1  # the migration re-indexed only the note
        doc = ws.documents()[0]
        ws.annotate_quote(doc, "Golubac")
        assert _rows_in_note_index(ws) == 1  # the trigger skipped the empty note
        ws.annotate_quote(doc, "fortress", note="kept")
        assert _rows_in_note_index(ws) == 2
