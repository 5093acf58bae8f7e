"""The hostile-corpus code must not cost annotations nor speed (issue #15, review): what a link
in corpus/ may reach in the workspace, a link that cannot be looked at, names that are not UTF-8
shown like real ones, front matter whose values cannot become text, and the cost of an
unchanged re-sync."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.corpus import scan as scan_module
from reader.corpus.frontmatter import parse_front_matter
from reader.workspace import Workspace

HUGE_INT_TITLE = "title: 0x" + "f" * 3700  # past 4,300 digits once written in decimal


def _annotated(root: Path, path: str, quote: str) -> None:
    with Workspace.open(root) as ws:
        ws.annotate_quote(ws.document(path), quote, tags=["kept"])


def _kept(root: Path, path: str) -> tuple[str, int, int]:
    with Workspace.open(root) as ws:
        doc = ws.document(path)
        return doc.status, doc.annotations, doc.orphans


# Front matter values that cannot become text


def test_an_int_too_long_to_write_is_a_warning() -> None:
    front = parse_front_matter(f"---\n{HUGE_INT_TITLE}\n---\nBody\n")
    assert front.title is None and front.end == len(f"---\n{HUGE_INT_TITLE}\n---\n")
    assert front.warning is not None
    assert front.warning.startswith("front matter ignored: Exceeds the limit (4300 digits)")


def test_such_front_matter_still_imports_and_keeps_annotations(empty_root: Path) -> None:
    notes = empty_root / "corpus" / "notes.md"
    notes.write_text("---\ntitle: Notes\n---\nThe words to annotate.\n", "utf-8")
    _annotated(empty_root, "notes.md", "words to annotate")
    notes.write_text(f"---\n{HUGE_INT_TITLE}\n---\nThe words to annotate.\n", "utf-8")
    with Workspace.open(empty_root) as ws:
        doc = ws.document("notes.md")
        assert (doc.status, doc.orphans, doc.annotations) == ("ok", 0, 1)
        assert "front matter ignored: Exceeds the limit" in (doc.warning or "")


def test_a_file_that_failed_parsing_is_not_parsed_again_unchanged(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_root / "corpus" / "bad.txt").write_text("Bad\n\nText.\n", "utf-8")
    calls: list[str] = []

    def failing_parse(path: Path, data: bytes, extract: object = None) -> object:
        calls.append(path.name)
        raise RuntimeError("a parser bug")

    monkeypatch.setattr("reader.corpus.file_parse.parse_document", failing_parse)
    with Workspace.open(empty_root) as ws:
        assert ws.document("bad.txt").warning == "could not be read (RuntimeError('a parser bug'))"
    with Workspace.open(empty_root) as ws:
        assert ws.last_sync.unchanged == 1
    assert calls == ["bad.txt"]


# Links into the rest of the workspace


def test_links_elsewhere_in_the_workspace_are_followed(empty_root: Path) -> None:
    corpus = empty_root / "corpus"
    library = empty_root / "library"
    library.mkdir()
    (library / "paper.txt").write_text("Paper\n\nThe words to annotate.\n", "utf-8")
    (library / "shelf").mkdir()
    (library / "shelf" / "book.txt").write_text("Book\n\nText.\n", "utf-8")
    (corpus / "paper.txt").symlink_to("../library/paper.txt")
    (corpus / "shelf").symlink_to(library / "shelf")
    _annotated(empty_root, "paper.txt", "words to annotate")
    assert _kept(empty_root, "paper.txt") == ("ok", 1, 0)  # before: skipped, orphaned
    assert _kept(empty_root, "shelf/book.txt") == ("ok", 0, 0)


def test_reader_own_files_hidden_ones_and_the_outside_are_not(
    empty_root: Path, tmp_path: Path
) -> None:
    corpus = empty_root / "corpus"
    (empty_root / "annotations.db-wal").write_bytes(b"")
    (empty_root / "annotations.db.bak-v7-x").write_text("Backup\n", "utf-8")
    (empty_root / ".reader").mkdir()
    (empty_root / ".reader" / "exports.txt").write_text("State\n", "utf-8")
    (empty_root / ".git").mkdir()
    (tmp_path / "away.txt").write_text("Away\n", "utf-8")
    links = {
        "db.txt": "../annotations.db",
        "wal.txt": "../annotations.db-wal",
        "backup.txt": "../annotations.db.bak-v7-x",
        "state.txt": "../.reader/exports.txt",
        "git": "../.git",
        "up": "..",
        "away.txt": "../../away.txt",
    }
    for name, target in links.items():
        (corpus / name).symlink_to(target)
    with Workspace.open(empty_root) as ws:
        warnings = {doc.path: doc.warning for doc in ws.documents()}
    store = "the workspace's annotation store: not followed"
    assert warnings == {
        "db.txt": f"link to ../annotations.db, {store}",
        "wal.txt": f"link to ../annotations.db-wal, {store}",
        "backup.txt": f"link to ../annotations.db.bak-v7-x, {store}",
        "state.txt": "link to ../.reader/exports.txt, hidden, in the workspace: not followed",
        "git": "link to ../.git, hidden, in the workspace: not followed",
        "up": "link to .., a folder it is in: not followed",
        "away.txt": "link to ../../away.txt, outside the workspace: not followed",
    }


def test_a_link_turned_to_the_store_after_the_scan_is_not_read(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_root / "paper.txt").write_text("Paper\n", "utf-8")
    link = empty_root / "corpus" / "paper.txt"
    link.symlink_to("../paper.txt")
    real_scan = scan_module.scan

    def scan_then_swap(corpus_dir: Path) -> scan_module.CorpusScan:
        found = real_scan(corpus_dir)
        link.unlink()
        link.symlink_to("../annotations.db")
        return found

    monkeypatch.setattr("reader.corpus.sync.scan", scan_then_swap)
    with Workspace.open(empty_root) as ws:
        assert ws.document("paper.txt").warning == (
            "cannot read: its link leads elsewhere since it was found "
            "(the workspace's annotation store)"
        )


def test_a_link_that_cannot_be_looked_at_keeps_its_documents(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_root / "library").mkdir()
    (empty_root / "library" / "kept.txt").write_text("Kept\n\nThe words to annotate.\n", "utf-8")
    link = empty_root / "corpus" / "shelf"
    link.symlink_to("../library")
    _annotated(empty_root, "shelf/kept.txt", "words to annotate")
    real_stat = os.stat

    def stat(path: str | Path, *args: object, **kwargs: object) -> os.stat_result:
        if Path(path) == link:  # as under a chmod 000 folder, which root would not feel
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    with Workspace.open(empty_root) as ws:
        report = ws.last_sync
        assert report.missing == [] and report.unreadable == ["shelf"]
        assert report.warnings == [
            "shelf: link to ../library, which cannot be followed: Permission denied; what was "
            "synced from it is kept as it was"
        ]
    assert _kept(empty_root, "shelf/kept.txt") == ("ok", 1, 0)


# Names that are not UTF-8, shown like real ones


@pytest.mark.parametrize("order", [False, True], ids=["listed-first", "listed-last"])
def test_a_bad_name_never_takes_a_real_files_place(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch, order: bool
) -> None:
    corpus = empty_root / "corpus"
    (corpus / "caf\\xe9.txt").write_text("Real\n\nThe words to annotate.\n", "utf-8")
    _annotated(empty_root, "caf\\xe9.txt", "words to annotate")
    with open(os.fsencode(corpus) + b"/caf\xe9.txt", "wb") as bad:
        bad.write(b"Not UTF-8 named\n")
    real_listing = scan_module._listing

    def listing(folder: str) -> list[os.DirEntry[str]]:
        return sorted(real_listing(folder), key=lambda e: e.name, reverse=order)

    monkeypatch.setattr(scan_module, "_listing", listing)
    assert _kept(empty_root, "caf\\xe9.txt") == ("ok", 1, 0)
    assert _kept(empty_root, "caf\\xe9.txt") == ("ok", 1, 0)


# The cost of a scan


def test_folders_cost_no_path_walk(empty_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = empty_root / "corpus"
    for n in range(30):
        (corpus / f"d{n}").mkdir()
        (corpus / f"d{n}" / "one.txt").write_text("One\n", "utf-8")
    calls: list[str] = []
    real_stat, real_realpath = os.stat, os.path.realpath

    def stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        calls.append("stat")
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def realpath(path: str, *args: object, **kwargs: object) -> str:
        calls.append("realpath")
        return real_realpath(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os.path, "realpath", realpath)
    found = scan_module.scan(corpus)
    assert len(found.files) == 30
    assert calls == ["stat"]  # corpus/ itself; before: a realpath of every folder
