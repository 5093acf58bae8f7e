"""A full disk while `reader add` writes into corpus/ is the user's problem, not a crash (#12):
one line naming the source and the trouble, exit status 2, no file (whole, half or hidden)
left in corpus/, the store as it was, and the other sources still added."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.corpus import adding
from tests.conftest import PAGES

FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _staged(path: object) -> bool:
    return Path(os.fsdecode(path)).name.startswith(".reader-add-")  # type: ignore[arg-type]


def fail_mid_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills after part of the file is on it."""
    real = adding._StagedFile.write

    def write(self: adding._StagedFile, data: bytes) -> None:
        real(self, data[: len(data) // 2])
        self._file.flush()
        raise FULL

    monkeypatch.setattr(adding._StagedFile, "write", write)


def fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file system reports the lost write when the data is made durable."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if _staged(os.readlink(f"/proc/self/fd/{fd}")):
            raise FULL
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def fail_naming(monkeypatch: pytest.MonkeyPatch) -> None:
    """No room for the new name in the folder: both the link and the rename fail."""
    real_link, real_replace = os.link, os.replace

    def link(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if _staged(src):
            raise FULL
        real_link(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    def replace(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if _staged(src):
            raise FULL
        real_replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)


FAILURES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "mid-write": fail_mid_write,
    "fsync": fail_fsync,
    "naming": fail_naming,
}


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(root), *args])


def store_dump(root: Path) -> dict[str, list[str]]:
    """Every row of every stored table (virtual tables are read through their own)."""
    db = sqlite3.connect(root / "annotations.db")
    try:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )]  # fmt: skip
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        db.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")
@pytest.mark.parametrize("failure", FAILURES, ids=str)
@pytest.mark.parametrize("source", ["page", "file"])
def test_a_full_disk_is_one_line_and_leaves_nothing(
    empty_root: Path, site: str, monkeypatch: pytest.MonkeyPatch, failure: str, source: str
) -> None:
    assert run(empty_root, "add", str(PAGES / "blog_comments.html")).exit_code == 0
    corpus = empty_root / "corpus"
    before_files = sorted(p.name for p in corpus.iterdir())
    before_store = store_dump(empty_root)
    wanted = f"{site}/news_article.html" if source == "page" else str(PAGES / "short_notice.html")

    FAILURES[failure](monkeypatch)
    result = run(empty_root, "add", wanted)
    monkeypatch.undo()

    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and result.stdout == ""
    assert result.stderr == (
        f"reader: {wanted}: cannot write to {corpus} (No space left on device)\n"
    )
    assert sorted(p.name for p in corpus.iterdir()) == before_files  # no half or hidden file
    assert store_dump(empty_root) == before_store
    again = run(empty_root, "add", wanted)  # room again: the same source comes in whole
    assert again.exit_code == 0, again.output
    assert len(list(corpus.iterdir())) == len(before_files) + 1


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")
def test_one_source_failing_for_room_never_stops_the_others(
    empty_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = adding._StagedFile.write
    calls = []

    def write(self: adding._StagedFile, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 1:
            raise FULL
        real(self, data)

    monkeypatch.setattr(adding._StagedFile, "write", write)
    first, second = str(PAGES / "blog_comments.html"), str(PAGES / "short_notice.html")
    result = run(empty_root, "add", first, second)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert [p.name for p in (empty_root / "corpus").iterdir()] == ["short_notice.html"]
