"""A W3C import stores a batch at a time (reader/exchange/w3c_batch.py) and leaves what storing
the annotations one by one leaves: the same rows, and a search index a rebuild agrees with."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from reader.exchange import importer, w3c_batch, w3c_read
from reader.exchange.importer import import_w3c_chunks
from reader.search.bulk_notes import highlights_indexed_at_the_end
from reader.search.index import rebuild_search_index
from reader.workspace import Workspace
from tests.unit.test_import_streaming import DOC, _fresh, _pieces, _varied

QUOTE_TRIGGER = "SELECT sql FROM sqlite_master WHERE name = 'search_quotes_added'"


def _search_index(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every term of the quote, note and document-note indexes with where it occurs, and the
    vocabulary with its document counts and reversed spellings."""
    conn = ws.store.conn
    found = {}
    for n, table in enumerate(("search_quotes", "search_notes", "search_document_notes")):
        conn.execute(f"CREATE VIRTUAL TABLE temp.v{n} USING fts5vocab(main, {table}, 'instance')")
        found[table] = list(conn.execute(f"SELECT * FROM temp.v{n} ORDER BY 1, 2, 3, 4"))
        conn.execute(f"DROP TABLE temp.v{n}")
    found["terms"] = list(conn.execute("SELECT term, df FROM search_terms ORDER BY term"))
    found["suffixes"] = list(conn.execute("SELECT reversed FROM search_suffixes ORDER BY 1"))
    return found


def test_the_search_index_after_an_import_is_the_one_a_rebuild_gives(
    workspace: Workspace, tmp_path: Path
) -> None:
    items = _varied(workspace, 300)
    for n, one in enumerate(items):
        if n % 3 == 0:
            one["bodyValue"] = f"Danube barges {n} near Smederevo, Đoković's town"
        if n % 4 == 0:
            one["body"] = [{"type": "TextualBody", "value": f"river/{n % 6}", "purpose": "tagging"}]
    with _fresh(tmp_path, "imported") as ws:
        doc = ws.document(DOC)
        ws.annotate_quote(doc, "close ties", tags=["energy/oil"], note="written by hand first")
        trigger = ws.store.conn.execute(QUOTE_TRIGGER).fetchone()
        report = import_w3c_chunks(ws, _pieces(json.dumps(items), 999), batch_size=40)
        assert report.total_added > 100 and ws.search("smederevo", kind="note")
        imported = _search_index(ws)
        assert ws.store.conn.execute(QUOTE_TRIGGER).fetchone() == trigger
        with ws.store.write():
            rebuild_search_index(ws.store.conn)
        assert _search_index(ws) == imported
        assert imported["search_quotes"] and imported["search_notes"]


def test_the_quote_trigger_is_back_after_a_failed_batch_the_caller_went_on_from(
    workspace: Workspace, tmp_path: Path
) -> None:
    with _fresh(tmp_path, "imported") as ws:
        conn = ws.store.conn
        trigger = conn.execute(QUOTE_TRIGGER).fetchone()
        assert trigger is not None
        with ws.store.write():  # the caller goes on after the error, in the same transaction
            with pytest.raises(ZeroDivisionError), highlights_indexed_at_the_end(conn):
                assert conn.execute(QUOTE_TRIGGER).fetchone() is None
                raise ZeroDivisionError
            assert conn.execute(QUOTE_TRIGGER).fetchone() == trigger
        assert conn.execute(QUOTE_TRIGGER).fetchone() == trigger
        noted = ws.annotate_quote(ws.document(DOC), "close ties")
        hits = conn.execute("SELECT rowid FROM search_quotes WHERE search_quotes MATCH 'ties'")
        assert [row[0] for row in hits] == [noted.id]


def test_a_repeated_id_is_refused_across_the_batches_the_ids_are_checked_in(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(w3c_read, "SEEN_BATCH", 3)
    items = _varied(workspace, 28)  # every seventh repeats the id before it
    items[20]["id"] = items[0]["id"]  # batches apart
    items[21]["id"] = items[20]["id"]  # the same batch, and an id given three times
    with _fresh(tmp_path, "small") as small, _fresh(tmp_path, "one") as one:
        report = small.import_annotations(json.dumps(items))
        monkeypatch.setattr(w3c_read, "SEEN_BATCH", 1000)
        assert one.import_annotations(json.dumps(items)) == report
    repeats = {r.item: r.reason for r in report.refused if "repeats" in r.reason}
    assert repeats[21] == repeats[22] == "repeats the id of #1 in this file"
    assert len(repeats) == 2


@pytest.mark.parametrize(
    "given",
    [
        "urn:uuid:0f3e5b9c-2a4d-4e6f-8a1b-9c0d2e3f4a5b",
        "urn:uuid:0F3E5B9C-2A4D-4E6F-8A1B-9C0D2E3F4A5B",
        "0f3e5b9c-2a4d-4e6f-8a1b-9c0d2e3f4a5b",
        "urn:uuid:0f3e5b9c2a4d4e6f8a1b9c0d2e3f4a5b",
        "urn:uuid:{0f3e5b9c-2a4d-4e6f-8a1b-9c0d2e3f4a5b}",
        "urn:uuid:0f3e5b9c-2a4d-4e6f-8a1b-9c0d2e3f4a5",
        "urn:uuid:0f3e5b9c-2a4d-4e6f-8a1b-9c0d2e3f4a5b\n",
        "https://example.org/anno/7",
    ],
)
def test_the_quick_path_for_uuids_gives_what_uuid_gives(given: str) -> None:
    bare = given.removeprefix("urn:uuid:")
    try:
        expected = uuid.UUID(bare).hex
    except ValueError:
        expected = bare
    assert w3c_read.canonical_uid(given) == expected


def test_an_import_reads_through_a_larger_page_cache_then_gives_it_back(
    workspace: Workspace, tmp_path: Path
) -> None:
    items = _varied(workspace, 30)
    with _fresh(tmp_path, "imported") as ws:
        conn = ws.store.conn
        before = conn.execute("PRAGMA cache_size").fetchone()[0]
        during: list[int] = []

        def progress(read: int) -> None:
            during.append(conn.execute("PRAGMA cache_size").fetchone()[0])

        import_w3c_chunks(ws, [json.dumps(items)], progress=progress, batch_size=10)
        assert set(during) == {-w3c_batch.IMPORT_CACHE_KIB} and len(during) == 3
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == before != during[0]


def test_the_first_batch_is_smaller_than_the_next(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "FIRST_BATCH", 4)
    stored: list[int] = []
    with _fresh(tmp_path, "imported") as ws:
        report = import_w3c_chunks(
            ws, [json.dumps(_varied(workspace, 40))], progress=stored.append, batch_size=10
        )
        assert len(ws.annotations()) == report.total_added > 10
    read = len(_varied(workspace, 40))
    steps = [b - a for a, b in itertools.pairwise(stored[:-1])]  # the last may be short
    assert stored[0] < 10 <= min(steps) and stored[-1] == read
