"""The first sync stores its files batch by batch, each batch whole in its own transaction: an
interrupted sync keeps the batches it committed and the next one goes on from there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus import sync as sync_module
from reader.workspace import DATABASE_FILE, Workspace
from reader.workspace.api import VOCABULARY_PENDING

FILES = 7
# One word each, far apart in spelling, so that search finds each in one document only.
WORDS = "walrus quokka pelican axolotl tortoise jaguar flamingo narwhal gibbon lemur".split()


class Stop(Exception):
    pass


@pytest.fixture
def root(empty_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sync_module, "BATCH_FILES", 2)
    monkeypatch.setattr(sync_module, "MAX_BATCH_FILES", 2)
    for n in range(FILES):
        (empty_root / "corpus" / f"doc{n}.txt").write_text(
            f"Title {n}\n\nThe word is in paragraph one.\n\nAnd {WORDS[n]} here.\n",
            "utf-8",
        )
    return empty_root


def _state(root: Path) -> tuple[list[str], int, int, int]:
    """Paths stored, texts, indexed paragraphs' documents, and documents with a tag row gap."""
    with sqlite3.connect(root / DATABASE_FILE) as db:
        paths = [r[0] for r in db.execute("SELECT path FROM documents ORDER BY path")]
        texts = db.execute("SELECT count(*) FROM document_texts").fetchone()[0]
        indexed = db.execute(
            "SELECT count(DISTINCT document_id) FROM search_passages"
        ).fetchone()[0]
        pending = db.execute("SELECT count(*) FROM search_pending").fetchone()[0]
    db.close()
    return paths, texts, indexed, pending


def _everything_found(root: Path) -> None:
    with Workspace.open(root) as ws:
        docs = ws.documents()
        assert sorted(d.path for d in docs) == [f"doc{n}.txt" for n in range(FILES)]
        assert all(d.status == "ok" for d in docs)
        for n in range(FILES):
            assert {h.doc for h in ws.search(WORDS[n])} == {f"doc{n}.txt"}


def test_each_batch_is_told_once_committed(root: Path) -> None:
    heard: list[tuple[int, int]] = []
    with Workspace.open(root, sync=False) as ws:
        ws.sync(committed=lambda done, total: heard.append((done, total)))
    assert heard == [(2, FILES), (4, FILES), (6, FILES), (7, FILES)]


def test_the_documents_of_a_batch_are_there_when_it_is_told(root: Path) -> None:
    seen: list[int] = []
    with Workspace.open(root, sync=False) as ws:

        def committed(done: int, total: int) -> None:
            with sqlite3.connect(root / DATABASE_FILE) as other:  # another reader sees them
                seen.append(other.execute("SELECT count(*) FROM documents").fetchone()[0])
            other.close()

        ws.sync(committed=committed)
    assert seen == [2, 4, 6, 7]


def test_a_sync_stopped_after_two_batches_keeps_them_whole(root: Path) -> None:
    def stop_after_two(done: int, total: int) -> None:
        if done >= 4:
            raise Stop

    with Workspace.open(root, sync=False) as ws, pytest.raises(Stop):
        ws.sync(committed=stop_after_two)
    paths, texts, indexed, pending = _state(root)
    assert paths == [f"doc{n}.txt" for n in range(4)]
    assert (texts, indexed, pending) == (4, 4, 0)
    with Workspace.open(root, sync=False) as ws:
        assert len(ws.sync().added) == FILES - 4
    _everything_found(root)


_CHILD = """
import sys
from pathlib import Path
from reader.corpus import sync as sync_module
from reader.workspace import Workspace

sync_module.BATCH_FILES = sync_module.MAX_BATCH_FILES = 2

def committed(done, total):
    print(done, flush=True)
    if done >= 4:
        sys.stdin.read()  # held here until killed

with Workspace.open(Path(sys.argv[1]), sync=False) as ws:
    ws.sync(committed=committed)
"""


def test_a_sync_killed_mid_way_keeps_its_batches_and_the_next_finishes(root: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(Path(__file__).parents[2])},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "2"
        assert child.stdout.readline().strip() == "4"  # two batches committed, then held
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        if child.stdin:
            child.stdin.close()
        if child.stdout:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    paths, texts, indexed, pending = _state(root)
    assert paths == [f"doc{n}.txt" for n in range(4)]
    assert (texts, indexed, pending) == (4, 4, 0)
    with Workspace.open(root) as ws:
        assert len(ws.last_sync.added) == FILES - 4
    _everything_found(root)


def test_renames_and_removals_are_applied_across_batches(root: Path) -> None:
    with Workspace.open(root) as ws:
        doc = ws.document("doc1.txt")
        ws.annotate(doc, 0, 5, ["kept"])
    corpus = root / "corpus"
    os.rename(corpus / "doc1.txt", corpus / "zz-renamed.txt")  # read in the last batch
    (corpus / "doc3.txt").unlink()
    for n in range(10, 16):
        (corpus / f"new{n}.txt").write_text(f"New {n}\n\nFresh text.\n", "utf-8")
    (corpus / "new16.txt").write_text("New 16\n\nA lone okapi.\n", "utf-8")
    with Workspace.open(root) as ws:
        report = ws.last_sync
        assert report.renamed == [("doc1.txt", "zz-renamed.txt")]
        assert report.missing == ["doc3.txt"]
        assert len(report.added) == 7
        renamed = ws.document("zz-renamed.txt")
        assert renamed.id == doc.id
        assert [a.status for a in ws.annotations(renamed)] == ["anchored"]
        assert ws.document("doc3.txt").status == "missing"
        assert {h.doc for h in ws.search("okapi")} == {"new16.txt"}


def test_batches_grow_from_the_first(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first documents show soon; later batches are larger, as each costs a commit."""
    monkeypatch.setattr(sync_module, "BATCH_FILES", 1)
    monkeypatch.setattr(sync_module, "MAX_BATCH_FILES", 4)
    heard: list[int] = []
    with Workspace.open(root, sync=False) as ws:
        ws.sync(committed=lambda done, total: heard.append(done))
    assert heard == [1, 3, 7]


def _terms(root: Path) -> set[str]:
    with sqlite3.connect(root / DATABASE_FILE) as db:
        terms = {row[0] for row in db.execute("SELECT term FROM search_terms")}
        stale = db.execute(
            "SELECT count(*) FROM ui_state WHERE name = 'search.vocabulary_stale'"
        ).fetchone()[0]
    db.close()
    return terms | ({"<stale>"} if stale else set())


def test_a_bulk_sync_counts_the_words_once_at_its_end(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past BULK_FILES the words are counted in the last batch, not batch by batch: until then
    exact words are found; after it a typo finds every file's word too."""
    monkeypatch.setattr(sync_module, "BULK_FILES", 3)
    before_last: list[set[str]] = []
    with Workspace.open(root, sync=False) as ws:

        def committed(done: int, total: int) -> None:
            if done < total:
                before_last.append(_terms(root))
                assert {h.doc for h in ws.search(WORDS[done - 1])} == {f"doc{done - 1}.txt"}
                assert VOCABULARY_PENDING in ws.search_problems(WORDS[0])  # said why

        ws.sync(committed=committed)
        assert VOCABULARY_PENDING not in ws.search_problems(WORDS[0])
        assert not ws.search_problems("")
    assert before_last and all("<stale>" in t and "walrus" not in t for t in before_last)
    assert set(WORDS[:FILES]) <= _terms(root) and "<stale>" not in _terms(root)
    with Workspace.open(root) as ws:
        assert {h.doc for h in ws.search("pelicna")} == {"doc2.txt"}  # a typo: the vocabulary


def test_a_bulk_sync_stopped_half_way_is_counted_by_the_next(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "BULK_FILES", 3)

    def stop_after_two(done: int, total: int) -> None:
        if done >= 4:
            raise Stop

    with Workspace.open(root, sync=False) as ws, pytest.raises(Stop):
        ws.sync(committed=stop_after_two)
    assert "<stale>" in _terms(root) and "walrus" not in _terms(root)
    monkeypatch.setattr(sync_module, "BULK_FILES", 1_000)  # the next sync is a small one
    with Workspace.open(root):
        pass
    assert set(WORDS[:FILES]) <= _terms(root) and "<stale>" not in _terms(root)
