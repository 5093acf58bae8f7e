"""Files new to the store are stored together, a statement per table (sync_apply._apply_new):
what they store, the ids they get and what the sync reports are exactly what storing them one
by one gives, and a file the store refuses still costs only that file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reader.corpus import file_parse, sync_apply
from reader.corpus import sync as sync_module
from reader.workspace import Workspace

FILES = {
    "a-plain.txt": "Plain title\n\nVučić and Đoković, Zemun.\n".encode(),
    "b-tagged.md": b"---\ntitle: Front\ntags: [river/danube, Barges]\n---\n\nTagged text.\n",
    "c-nul.txt": b"Nul title\n\nBefore\x00after Smederevo.\n",
    "d-page.html": b"<html><head><title>Page</title></head><body><p>One paragraph of the"
    b" page about barges.</p><p>Another paragraph, on the Sava.</p></body></html>",
    "e-empty.txt": b" \n\n",
    "f-latin1.txt": "Latin title\n\nCaf\xe9 au lait.\n".encode("latin-1"),
    "g-crlf.txt": b"Crlf title\r\n\r\nFirst line.\r\n\r\nLast.\r\n",
    "h-again.md": b"---\ntags: [barges]\n---\n\nThe same tag, by another spelling.\n",
}


def _stored(ws: Workspace) -> dict[str, Any]:
    """Everything a sync stores about the files, but the times it stored them at and their
    files' times."""
    conn = ws.store.conn
    times = {"added", "updated", "mtime_ns"}
    columns = [row[1] for row in conn.execute("PRAGMA table_info(documents)")]
    columns = [column for column in columns if column not in times]
    return {
        "documents": conn.execute(
            f"SELECT {', '.join(columns)} FROM documents ORDER BY id"
        ).fetchall(),
        "texts": conn.execute("SELECT * FROM document_texts ORDER BY 1").fetchall(),
        "tags": conn.execute(
            "SELECT document_id, name FROM document_tags JOIN tags ON tags.id = tag_id "
            "ORDER BY 1, 2"
        ).fetchall(),
        "passages": conn.execute("SELECT * FROM search_passages ORDER BY id").fetchall(),
        "titles": conn.execute("SELECT rowid, body FROM search_titles ORDER BY 1").fetchall(),
        "terms": conn.execute("SELECT * FROM search_terms ORDER BY 1").fetchall(),
    }


def _synced(root: Path) -> tuple[dict[str, Any], Any]:
    for name, data in FILES.items():
        (root / "corpus" / name).write_bytes(data)
    with Workspace.open(root) as ws:
        return _stored(ws), ws.last_sync


@pytest.mark.parametrize("batch_files", [3, 250], ids=["several batches", "one batch"])
def test_new_files_stored_together_are_stored_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_files: int
) -> None:
    monkeypatch.setattr(sync_module, "BATCH_FILES", batch_files)
    monkeypatch.setattr(sync_module, "MAX_BATCH_FILES", batch_files)
    together_root, alone_root = tmp_path / "together", tmp_path / "alone"
    for root in (together_root, alone_root):
        (root / "corpus").mkdir(parents=True)
    groups: list[int] = []
    apply_new = sync_apply._apply_new

    def counted(db: Any, states: list[Any], *args: Any) -> None:
        groups.append(len(states))
        apply_new(db, states, *args)

    monkeypatch.setattr(sync_apply, "_apply_new", counted)
    together, together_report = _synced(together_root)
    assert sum(groups) == len(FILES) - 1  # all but the empty file, skipped
    monkeypatch.setattr(sync_apply, "_is_new", lambda *args: False)
    alone, alone_report = _synced(alone_root)
    assert together == alone
    assert together_report == alone_report
    assert [row[1] for row in together["documents"]] == sorted(FILES)  # ids in path order
    assert ("b-tagged.md" in together_report.added) and together["tags"]


def test_a_file_the_store_refuses_among_new_ones_costs_that_file_only(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = empty_root / "corpus"
    for n in range(5):
        (corpus / f"{n}.txt").write_text(f"Title {n}\n\nText {n} about barges.\n", "utf-8")
    real_parse = file_parse.parse_document

    def parse(path: Path, data: bytes, extract: object) -> object:
        parsed = real_parse(path, data, extract)
        if path.name == "2.txt":
            parsed.title = "\udcff"  # a lone surrogate: SQLite cannot take it
        return parsed

    monkeypatch.setattr(file_parse, "parse_document", parse)
    with Workspace.open(empty_root) as ws:
        report = ws.last_sync
        assert report.added == ["0.txt", "1.txt", "3.txt", "4.txt"]
        assert report.skipped == ["2.txt"]
        refused = ws.document("2.txt")
        assert refused.status == "skipped"
        assert (refused.warning or "").startswith("could not be stored (UnicodeEncodeError")
        ids = [ws.document(f"{n}.txt").id for n in range(5)]
        assert ids == sorted(ids)
        assert [hit.doc for hit in ws.search("barges")] and len(ws.search("barges")) == 4


def test_a_renamed_file_between_new_ones_keeps_its_document(empty_root: Path) -> None:
    corpus = empty_root / "corpus"
    (corpus / "m-old.txt").write_text("Moved\n\nA text that moves.\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        old_id = ws.document("m-old.txt").id
        ws.annotate(ws.document("m-old.txt"), 0, 5, tags=["kept"])
    os.rename(corpus / "m-old.txt", corpus / "m-new.txt")
    for name in ("a.txt", "z.txt"):
        (corpus / name).write_text(f"{name}\n\nNew text.\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        report = ws.last_sync
        assert report.renamed == [("m-old.txt", "m-new.txt")]
        assert report.added == ["a.txt", "z.txt"]
        moved = ws.document("m-new.txt")
        assert moved.id == old_id and len(ws.annotations(moved)) == 1
        assert ws.document("a.txt").id < ws.document("z.txt").id
