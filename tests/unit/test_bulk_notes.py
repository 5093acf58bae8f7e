"""Notes of highlights written in bulk are indexed once at the end, as the trigger would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.annotate.annotations import insert_annotation
from reader.search.bulk_notes import notes_indexed_at_the_end
from reader.workspace import Workspace
from tests.unit.test_migration_triggers import _matching, _rows_in_note_index, _v10_store

NOTES = ["Danube barges", "", "barges on the Sava", "", "Morava, and the Danube again"]


def _write(ws: Workspace, deferred: bool) -> None:
    conn = ws.store.conn
    with ws.store.write() as db:
        if deferred:
            with notes_indexed_at_the_end(conn):
                _insert(db)
        else:
            _insert(db)


def _insert(db: object) -> None:
    for n, note in enumerate(NOTES):
        insert_annotation(db, document_id=1, span=(13, 23), quote="A sentence",
                          context=("", ""), content_hash="h", note=note, uid=f"b{n}")  # fmt: skip


def test_bulk_indexing_gives_what_the_trigger_gives(tmp_path: Path) -> None:
    _v10_store(tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "bulk")
    found = {}
    for name, deferred in (("one", False), ("bulk", True)):
        with Workspace.open(tmp_path / name, sync=False) as ws:
            _write(ws, deferred)
            conn = ws.store.conn
            found[name] = (
                sorted(conn.execute("SELECT term, df FROM search_terms")),
                sorted(conn.execute("SELECT reversed FROM search_suffixes")),
                [_matching(ws, "notes", word) for word in ("danube", "barges", "morava")],
                _rows_in_note_index(ws),
                conn.execute("SELECT count(*) FROM search_notes_deferred").fetchone()[0],
            )
            conn.execute("INSERT INTO search_notes (search_notes) VALUES ('integrity-check')")
    assert found["bulk"] == found["one"]
    assert found["bulk"][2] == [[1, 3, 7], [3, 5], [7]] and found["bulk"][4] == 0


def test_a_failed_batch_leaves_no_deferral_behind(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    with Workspace.open(tmp_path, sync=False) as ws:
        conn = ws.store.conn
        with (
            pytest.raises(ZeroDivisionError),
            ws.store.write() as db,
            notes_indexed_at_the_end(conn),
        ):
            _insert(db)
            raise ZeroDivisionError
        assert conn.execute("SELECT count(*) FROM search_notes_deferred").fetchone()[0] == 0
        ws.annotate_quote(ws.documents()[0], "Golubac", note="Danube")  # the trigger is back
        assert len(_matching(ws, "notes", "danube")) == 2


def test_it_needs_a_transaction(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    with Workspace.open(tmp_path, sync=False) as ws:
        deferral = notes_indexed_at_the_end(ws.store.conn)
        with pytest.raises(RuntimeError):
            deferral.__enter__()


def test_without_the_deferral_table_the_triggers_index_each_note(tmp_path: Path) -> None:
    _v10_store(tmp_path)
    with Workspace.open(tmp_path, sync=False) as ws:
        ws.store.conn.execute("DROP TABLE search_notes_deferred")
        ws.store.conn.execute("DROP TRIGGER search_notes_added")
        ws.store.conn.execute(
            """CREATE TRIGGER search_notes_added AFTER INSERT ON annotations
            WHEN NEW.note <> '' BEGIN
                INSERT INTO search_notes (rowid, note) VALUES (NEW.id, NEW.note);
            END"""
        )
        _write(ws, deferred=True)
        assert _matching(ws, "notes", "barges") == [3, 5]
