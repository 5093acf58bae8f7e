"""The sync hands the search index the texts it stores and their paragraphs, found where each
file was parsed: the index it builds is exactly the one a rebuild from the store gives."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reader.corpus import sync as sync_module
from reader.corpus.ingest import parse_document
from reader.search import index as index_module
from reader.search import rebuild_search_index
from reader.search.text import passage_spans
from reader.text.paragraphs import pack_spans, unpack_spans
from reader.workspace import Workspace

# CRLF line ends, a NUL, runs of empty and blank lines, a last line with no line end.
FILES = {
    "crlf.txt": b"Crlf title\r\n\r\nFirst Kalemegdan line.\r\n\r\n\r\n  \t\r\nLast one.\r\n",
    "nul.txt": b"Nul title\n\nBefore\x00after Smederevo.\n\n\x00\n\nMore text.\n",
    "blank.md": b"---\ntitle: Front\ntags: [river/danube]\n---\n\n\n\nPara two\n\n   \nThree",
    "plain.txt": "Plain title\n\nVučić and Đoković, Zemun ✓.\n".encode(),
    "moved.txt": b"Moved title\n\nA paragraph that moves with its file.\n",
    "page.html": b"<html><head><title>Page</title></head><body><p>One paragraph of the"
    b" page about barges.</p><p>Another paragraph, on the Sava.</p></body></html>",
    "gone.txt": b"Gone title\n\nThis file goes away.\n",
}


def _indexed(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every paragraph (where, and the body stored for a text with a NUL), each term of the
    paragraph and title indexes with where it occurs, the titles and the vocabulary."""
    conn = ws.store.conn
    passages = conn.execute('SELECT id, document_id, start, "end", body FROM search_passages')
    passages = passages.fetchall()
    where = {row[0]: row[1:4] for row in passages}
    found: dict[str, list[tuple[Any, ...]]] = {"passages": sorted(row[1:] for row in passages)}
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, search_text, 'instance')")
    found["paragraph terms"] = sorted(
        (term, where[rowid], offset) for term, rowid, _, offset in conn.execute("SELECT * FROM v")
    )
    conn.execute("DROP TABLE temp.v")
    found["titles"] = list(conn.execute("SELECT rowid, body FROM search_titles ORDER BY rowid"))
    found["terms"] = list(conn.execute("SELECT term, df FROM search_terms ORDER BY term"))
    found["suffixes"] = list(conn.execute("SELECT reversed FROM search_suffixes ORDER BY 1"))
    return found


def _same_as_rebuilt(ws: Workspace, recounted: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """The index as synced, checked against a rebuild; unless the sync `recounted` the words,
    words of paragraphs that left the index are still counted (until the next recount)."""
    synced = _indexed(ws)
    with ws.store.write() as db:
        rebuild_search_index(db)
    rebuilt = _indexed(ws)
    if not recounted:
        counted, exact = dict(synced.pop("terms")), dict(rebuilt.pop("terms"))
        assert all(counted[term] >= df for term, df in exact.items())
        assert set(rebuilt.pop("suffixes")) <= set(synced.pop("suffixes"))
    assert rebuilt == synced
    return synced


@pytest.mark.parametrize("bulk_files", [3, 1_000], ids=["bulk", "counted by batch"])
def test_a_sync_of_several_batches_indexes_what_a_rebuild_does(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch, bulk_files: int
) -> None:
    monkeypatch.setattr(sync_module, "BATCH_FILES", 2)
    monkeypatch.setattr(sync_module, "MAX_BATCH_FILES", 2)
    monkeypatch.setattr(sync_module, "BULK_FILES", bulk_files)
    corpus = empty_root / "corpus"
    for name, data in FILES.items():
        (corpus / name).write_bytes(data)
    with Workspace.open(empty_root) as ws:
        first = _same_as_rebuilt(ws)
        assert len({row[0] for row in first["passages"]}) == len(FILES)
        os.rename(corpus / "moved.txt", corpus / "renamed.txt")
        (corpus / "gone.txt").unlink()
        (corpus / "plain.txt").write_bytes(b"Plain title\n\nNow about \x00 Novi Sad.\r\n\r\nEnd\n")
        (corpus / "new.txt").write_bytes(b"New title\n\n\n\nA new file, in the renamed's batch.\n")
        report = ws.sync()
        assert report.renamed == [("moved.txt", "renamed.txt")] and report.missing == ["gone.txt"]
        assert _same_as_rebuilt(ws, recounted=False)["passages"] != first["passages"]
        assert ws.search("novi sad")[0].doc == "plain.txt"


def test_parsing_finds_the_paragraphs_of_the_text(tmp_path: Path) -> None:
    for name, data in FILES.items():
        parsed = parse_document(tmp_path / name, data)
        assert parsed.text is not None and parsed.paragraphs is not None
        assert list(unpack_spans(parsed.paragraphs)) == passage_spans(parsed.text)
    assert parse_document(tmp_path / "empty.txt", b" \n\n").paragraphs is None


def test_packed_paragraphs_unpack_as_they_were() -> None:
    for spans in ([], [(0, 5)], [(0, 3), (5, 2**40)]):
        assert list(unpack_spans(pack_spans(spans))) == spans


def test_the_sync_neither_splits_nor_reads_back_the_texts_it_indexes(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(text: str) -> list[tuple[int, int]]:
        raise AssertionError("the index split a text the sync had split already")

    monkeypatch.setattr(index_module, "passage_spans", refuse)
    for name, data in FILES.items():
        (empty_root / "corpus" / name).write_bytes(data)
    with Workspace.open(empty_root, sync=False) as ws:
        statements: list[str] = []
        ws.store.conn.set_trace_callback(statements.append)
        ws.sync()
        ws.store.conn.set_trace_callback(None)
        assert not [sql for sql in statements if "t.text" in sql]
        assert len(ws.search("kalemegdan")) == 1 and len(ws.search("smederevo")) == 1
