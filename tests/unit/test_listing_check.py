"""`find`'s listing of corpus/ proves it unchanged without the scan, and never hides a change:
every kind of edit changes the token, a link or an error gives none, and the listing always
ends before the scan begins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.corpus import listing_check, sync
from reader.corpus.fingerprint import DIGEST, LISTING, stored_listing
from reader.corpus.listing_check import ListingCheck, start_listing
from reader.corpus.sync import sync_corpus
from reader.errors import WorkspaceError
from reader.workspace import Workspace, start_corpus_listing

pytestmark = pytest.mark.skipif(
    os.name != "posix" or shutil.which("find") is None, reason="needs a POSIX find"
)


def _token(corpus: Path) -> str | None:
    listing = start_listing(corpus)
    assert listing is not None
    try:
        return listing.token(None, 11)
    finally:
        listing.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.md"):
        (folder / name).write_text(f"Title {name}\n\nSome words about {name}.\n", "utf-8")
    return folder


def test_an_unchanged_folder_lists_alike(corpus: Path) -> None:
    first = _token(corpus)
    assert first is not None and first == _token(corpus)


def _same_size_edit_with_mtime_restored(corpus: Path) -> None:
    path = corpus / "a.txt"
    seen = path.stat()
    path.write_text(path.read_text("utf-8").replace("Some", "Sume"), "utf-8")
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert path.stat().st_size == seen.st_size and path.stat().st_mtime_ns == seen.st_mtime_ns


CHANGES = {
    "added": lambda c: (c / "sub" / "new.txt").write_text("New\n\nText.\n", "utf-8"),
    "removed": lambda c: (c / "b.txt").unlink(),
    "renamed": lambda c: (c / "b.txt").rename(c / "sub" / "b.txt"),
    "same size, mtime restored": _same_size_edit_with_mtime_restored,
    "mode": lambda c: (c / "a.txt").chmod(0o600),
    "folder added": lambda c: (c / "empty").mkdir(),
    "bad name added": lambda c: (Path(os.fsdecode(bytes(c) + b"/bad\xff.txt"))).write_text("x"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_changes_the_token(corpus: Path, change: str) -> None:
    before = _token(corpus)
    CHANGES[change](corpus)
    after = _token(corpus)
    assert after is not None and after != before


def test_hidden_entries_are_left_out_as_the_scan_leaves_them(corpus: Path) -> None:
    """An editor's swap file beside an article costs no full check."""
    before = _token(corpus)
    (corpus / ".git").mkdir()
    (corpus / ".git" / "HEAD").write_text("ref", "utf-8")
    (corpus / "sub" / ".draft.txt").write_text("hidden", "utf-8")
    assert _token(corpus) == before


def test_the_size_limit_and_schema_are_part_of_the_token(corpus: Path) -> None:
    listing = ListingCheck(corpus)
    assert listing.token(None, 11) != listing.token(2**20, 11) != listing.token(None, 12)


@pytest.mark.parametrize("target", ["a.txt", "sub"])
def test_a_link_gives_no_token(corpus: Path, target: str) -> None:
    """A link's target may change with the link itself unchanged: the scan decides."""
    (corpus / "link").symlink_to(corpus / target)
    assert _token(corpus) is None


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
def test_links_are_counted_across_chunk_boundaries(
    corpus: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        (corpus / f"l{n}").symlink_to(corpus / "a.txt")
    monkeypatch.setattr(listing_check, "_CHUNK", chunk)
    listing = ListingCheck(corpus)
    assert listing.token(None, 11) is None
    assert listing._links == 4


def test_no_token_from_a_missing_folder_a_missing_find_or_another_form(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _token(tmp_path / "nowhere") is None
    assert _token(tmp_path / "empty-folder-never-made") is None
    with monkeypatch.context() as patch:
        patch.setattr(listing_check, "_FIND", ["/nonexistent/find"])
        assert _token(corpus) is None
    with monkeypatch.context() as patch:  # a find that ignores the format: nothing proven
        patch.setattr(listing_check, "_EXPRESSION", ["-printf", "%p\\n"])
        assert _token(corpus) is None


def test_an_unreadable_folder_gives_no_token(corpus: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    (corpus / "sub").chmod(0)
    try:
        assert _token(corpus) is None
    finally:
        (corpus / "sub").chmod(0o755)


def test_close_stops_a_listing_never_asked(corpus: Path) -> None:
    listing = ListingCheck(corpus)
    listing.close()
    assert listing._process is not None and listing._process.returncode is not None
    assert listing.token(None, 11) is None


# The sync


@pytest.fixture
def ws(empty_root: Path, corpus: Path) -> Iterator[Workspace]:
    shutil.copytree(corpus, empty_root / "corpus", dirs_exist_ok=True)
    with Workspace.open(empty_root) as opened:
        yield opened


def _no_scan(*_: object) -> None:
    raise AssertionError("the corpus was scanned")


def test_an_unchanged_corpus_is_told_by_its_listing_alone(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stored_listing(ws.store.conn) is not None  # stored by the first sync
    monkeypatch.setattr(sync, "scan", _no_scan)
    report = ws.sync()
    assert report.unchanged == 3 and not report.touched


def test_a_full_check_that_finds_nothing_changed_stores_the_listing(ws: Workspace) -> None:
    with ws.store.write() as db:
        db.execute("DELETE FROM ui_state WHERE name = ?", (LISTING,))
    assert ws.sync().unchanged == 3
    assert stored_listing(ws.store.conn) is not None


def test_a_listing_goes_with_its_digest(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the digest it was stored with, a listing proves nothing."""
    with ws.store.write() as db:
        db.execute("UPDATE ui_state SET value = 'other' WHERE name = ?", (DIGEST,))
    assert stored_listing(ws.store.conn) is None
    scanned: list[Path] = []
    real_scan = sync.scan
    monkeypatch.setattr(sync, "scan", lambda folder: scanned.append(folder) or real_scan(folder))
    ws.sync()
    assert scanned


def test_the_listing_ends_before_the_scan_begins(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Otherwise `find` might list a file after an edit the scan did not see, and the edit
    would be taken as stored."""
    events: list[str] = []
    real_token, real_scan = ListingCheck.token, sync.scan

    def token(self: ListingCheck, *args: object) -> str | None:
        result = real_token(self, *args)  # type: ignore[arg-type]
        events.append("listing ended")
        return result

    monkeypatch.setattr(ListingCheck, "token", token)
    monkeypatch.setattr(sync, "scan", lambda folder: events.append("scan") or real_scan(folder))
    (ws.corpus_dir / "new.txt").write_text("New\n\nText.\n", "utf-8")
    ws.sync()
    assert events == ["listing ended", "scan"]


def test_an_edit_between_the_listing_and_the_scan_is_never_lost(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing is older than what the sync stored: the next listing differs, so the next
    sync checks again, and the store ends with the file as it is."""
    path = ws.corpus_dir / "a.txt"
    real_scan = sync.scan

    def edit_then_scan(folder: Path) -> object:
        path.write_text("Edited\n\nBetween the listing and the scan.\n", "utf-8")
        return real_scan(folder)

    (ws.corpus_dir / "b.txt").unlink()  # something for this sync to do
    with monkeypatch.context() as patch:
        patch.setattr(sync, "scan", edit_then_scan)
        ws.sync()
    ws.sync()
    assert "Between the listing" in ws.text(ws.document_at("a.txt"))
    assert ws.sync().unchanged == 2


def test_a_corpus_with_a_link_is_always_scanned(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    (ws.corpus_dir / "again.txt").symlink_to(ws.corpus_dir / "a.txt")
    ws.sync()
    assert stored_listing(ws.store.conn) is None
    monkeypatch.setattr(sync, "scan", _no_scan)
    with pytest.raises(AssertionError, match="scanned"):
        sync_corpus(ws.store, ws.corpus_dir)


def test_a_listing_started_before_opening_is_taken_or_stopped(empty_root: Path) -> None:
    (empty_root / "corpus" / "a.txt").write_text("A\n\nText.\n", "utf-8")
    listing = start_corpus_listing(empty_root)
    with Workspace.open(empty_root, listing=listing) as ws:
        assert ws.last_sync.added == ["a.txt"]
    assert listing is not None and listing._process is not None
    assert listing._process.returncode == 0
    stray = start_corpus_listing(empty_root / "nowhere")
    with pytest.raises(WorkspaceError):
        Workspace.open(empty_root / "nowhere", listing=stray)
    assert stray is not None and stray._process is not None
    assert stray._process.returncode is not None


def test_starting_a_listing_imports_nothing_heavy() -> None:
    """The listing runs while the store, the search engine and the rest import."""
    probe = (
        "import sys, reader.workspace as w; listing = w.start_corpus_listing(None); "
        "listing and listing.close(); "
        "print(sorted(m for m in ('sqlite_utils', 'sqlite3', 'reader.store', "
        "'reader.workspace.api', 'reader.search') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
