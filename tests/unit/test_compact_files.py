"""The files a sync is to apply are held compactly: the same FileStates come back, in order, and
none of the scan's objects is kept while the batches are stored (memory flat in corpus size)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from reader.corpus import scan as scan_module
from reader.corpus import sync as sync_module
from reader.corpus.compact_files import CompactFiles
from reader.corpus.scan import FileState
from reader.workspace import Workspace


def _as_tuple(state: FileState) -> tuple:
    return (state.path, state.size, state.mtime_ns, state.skip_reason, state.via_link, state.parsed)


def test_the_same_files_come_back_in_order() -> None:
    states = [
        FileState("b/çafé — 東京.txt", 0, -5),
        FileState("a.txt", 2**40, 2**62, skip_reason="unsupported file type .xyz"),
        FileState("", 1, 1),  # an empty path stays empty, not merged with its neighbour
        FileState("emoji 🙂/n.md", 7, 1_700_000_000_123_456_789, via_link=True),
        FileState("x", 3, 3, skip_reason="", via_link=True),
    ]
    files = CompactFiles(states)
    assert len(files) == len(states)
    assert [_as_tuple(s) for s in files] == [_as_tuple(s) for s in states]
    assert [_as_tuple(s) for s in files] == [_as_tuple(s) for s in states]  # iterable again
    assert len(CompactFiles([])) == 0 and list(CompactFiles([])) == []


def test_the_given_states_are_not_kept() -> None:
    states = [FileState(f"{n}.txt", n, n) for n in range(3)]
    files = CompactFiles(states)
    refs = [weakref.ref(state) for state in states]
    del states
    gc.collect()
    assert all(ref() is None for ref in refs)
    assert [s.path for s in files] == ["0.txt", "1.txt", "2.txt"]


def test_a_sync_keeps_no_file_of_its_scan_while_it_stores_batches(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_module, "BATCH_FILES", 2)
    monkeypatch.setattr(sync_module, "MAX_BATCH_FILES", 2)
    for n in range(6):
        (empty_root / "corpus" / f"doc{n}.txt").write_text(f"Title {n}\n\nText {n}.\n", "utf-8")
    scanned: list[weakref.ref[FileState]] = []
    real_scan = sync_module.scan

    def scan(corpus_dir: Path):  # type: ignore[no-untyped-def]
        found = real_scan(corpus_dir)
        scanned.extend(weakref.ref(state) for state in found.files.values())
        return found

    monkeypatch.setattr(sync_module, "scan", scan)
    alive: list[int] = []

    def committed(done: int, total: int) -> None:
        gc.collect()
        alive.append(sum(ref() is not None for ref in scanned))

    with Workspace.open(empty_root, sync=False) as ws:
        ws.sync(committed=committed)
        assert len(ws.last_sync.added) == 6
    assert len(scanned) == 6
    assert alive == [0, 0, 0]


def test_a_resync_keeps_a_file_state_only_for_the_files_it_applies(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comparing a large corpus with the store makes a FileState per file; those of unchanged
    files are dropped at once, not held until every file was compared (100k: ~35 MB)."""
    for n in range(6):
        (empty_root / "corpus" / f"doc{n}.txt").write_text(f"Title {n}\n\nText {n}.\n", "utf-8")
    with Workspace.open(empty_root, sync=False) as ws:
        ws.sync()
        (empty_root / "corpus" / "doc3.txt").write_text("Title 3\n\nNew text.\n", "utf-8")
        made: list[weakref.ref[FileState]] = []

        class Counted(FileState):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)  # type: ignore[arg-type]
                made.append(weakref.ref(self))

        monkeypatch.setattr(scan_module, "FileState", Counted)
        alive: list[int] = []
        real = sync_module.CompactFiles

        def compact(states: list[FileState]) -> CompactFiles:
            gc.collect()
            alive.append(sum(ref() is not None for ref in made))
            return real(states)

        monkeypatch.setattr(sync_module, "CompactFiles", compact)
        ws.sync()
        assert ws.last_sync.changed == ["doc3.txt"] and ws.last_sync.unchanged == 5
    assert len(made) >= 6 and alive == [1]
