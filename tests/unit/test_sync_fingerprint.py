"""An unchanged corpus is recognised by the digest of its scan, without reading the documents
table; and every kind of change still makes the sync look at the files."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.corpus.fingerprint import DIGEST, GENERATION, stored_digest
from reader.corpus.sync import sync_corpus
from reader.models import SyncReport
from reader.store import Store
from reader.workspace import Workspace


@contextmanager
def _statements(conn: sqlite3.Connection) -> Iterator[list[str]]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def _read_documents(statements: list[str]) -> bool:
    return any("FROM documents" in sql for sql in statements)


@pytest.fixture
def ws(empty_root: Path) -> Iterator[Workspace]:
    corpus = empty_root / "corpus"
    (corpus / "sub").mkdir()
    for name in ("a.txt", "b.txt", "sub/c.md"):
        (corpus / name).write_text(f"Title {name}\n\nSome words about {name}.\n", "utf-8")
    (corpus / "notes.xyz").write_text("not read", "utf-8")
    with Workspace.open(empty_root) as opened:
        yield opened


def _sync(ws: Workspace, max_file_bytes: int | None = None) -> tuple[SyncReport, bool]:
    store: Store = ws.store
    with _statements(store.conn) as statements:
        report = sync_corpus(store, ws.corpus_dir, max_file_bytes=max_file_bytes)
    return report, _read_documents(statements)


def test_an_unchanged_corpus_reads_no_document_row(ws: Workspace) -> None:
    assert stored_digest(ws.store.conn)  # the first sync stored its scan's digest
    report, read = _sync(ws)
    assert not read
    assert report.unchanged == 4 and not report.touched


def test_a_sync_with_nothing_to_store_stores_the_digest_for_the_next(ws: Workspace) -> None:
    with ws.store.write() as db:
        db.execute("DELETE FROM ui_state WHERE name = ?", (DIGEST,))
    report, read = _sync(ws)
    assert read and report.unchanged == 4
    assert not _sync(ws)[1]


def test_an_added_file_is_found(ws: Workspace) -> None:
    (ws.corpus_dir / "sub" / "new.txt").write_text("New\n\nFresh text.\n", "utf-8")
    report, read = _sync(ws)
    assert read and report.added == ["sub/new.txt"]
    assert not _sync(ws)[1]


def test_a_removed_file_is_found(ws: Workspace) -> None:
    (ws.corpus_dir / "b.txt").unlink()
    report, _ = _sync(ws)
    assert report.missing == ["b.txt"]


def test_a_same_size_edit_with_a_new_mtime_is_found(ws: Workspace) -> None:
    path = ws.corpus_dir / "a.txt"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Some", "Many"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    report, _ = _sync(ws)
    assert report.changed == ["a.txt"]


def test_a_same_size_edit_with_its_mtime_restored_is_found(ws: Workspace) -> None:
    path = ws.corpus_dir / "a.txt"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Some", "Many"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` would
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    report, read = _sync(ws)
    assert read  # the ctime moved: the documents are looked at again
    # The size and mtime are those stored, so the file itself is not re-read (as before the
    # digest); what the digest guarantees is that the check is not skipped.
    assert report.unchanged == 4


def test_a_rename_is_found(ws: Workspace) -> None:
    os.rename(ws.corpus_dir / "a.txt", ws.corpus_dir / "sub" / "moved.txt")
    report, _ = _sync(ws)
    assert report.renamed == [("a.txt", "sub/moved.txt")]


def test_a_new_size_limit_is_found(ws: Workspace) -> None:
    (ws.corpus_dir / "e.txt").write_text("E\n\nA file over ten bytes.\n", "utf-8")
    report, read = _sync(ws, max_file_bytes=10)
    assert read and report.skipped == ["e.txt"]
    assert not _sync(ws, max_file_bytes=10)[1]
    report, read = _sync(ws)  # the limit raised: the file skipped for its size is read
    assert read and report.changed == ["e.txt"]


def test_an_unreadable_folder_is_found(ws: Workspace) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    (ws.corpus_dir / "sub").chmod(0)
    try:
        report, read = _sync(ws)
    finally:
        (ws.corpus_dir / "sub").chmod(0o755)
    assert read and report.unreadable == ["sub"]


def test_another_sync_committing_meanwhile_drops_the_digest(ws: Workspace) -> None:
    """A sync that finds the generation moved by another since it began stores no digest: what
    it scanned may not be what the documents table holds."""
    (ws.corpus_dir / "d.txt").write_text("D\n\nText.\n", "utf-8")
    calls = []

    def another_sync_commits(done: int, total: int) -> None:
        if not calls:
            calls.append(done)
            with ws.store.write() as db:
                db.execute(
                    "UPDATE ui_state SET value = value + 1 WHERE name = ?", (GENERATION,)
                )

    sync_corpus(ws.store, ws.corpus_dir, progress=another_sync_commits)
    assert stored_digest(ws.store.conn) is None
    report, read = _sync(ws)
    assert read and report.unchanged == 5
    assert not _sync(ws)[1]
