"""The CLI starts listing the corpus before it imports the commands, from a guess of the
workspace folder the group's options name; a wrong guess is never used."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.early_listing import early_listing, workspace_argument
from reader.workspace import start_corpus_listing

pytestmark = pytest.mark.skipif(
    os.name != "posix" or shutil.which("find") is None, reason="needs a POSIX find"
)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "x"], (None, "search")),
        (["-w", "/a", "search"], (Path("/a"), "search")),
        (["--workspace", "/a", "list", "--json"], (Path("/a"), "list")),
        (["--workspace=/a", "annotations"], (Path("/a"), "annotations")),
        (["-w/a", "--no-resume", "tags"], (Path("/a"), "tags")),
        (["-w", "/a", "-w", "/b", "list"], (Path("/b"), "list")),
        (["-w", "/a"], (Path("/a"), None)),  # the app
        (["--help"], None),
        (["-w", "/a", "--version"], None),
        (["--unknown", "list"], None),
        (["-w"], None),
    ],
)
def test_the_workspace_is_read_as_the_group_reads_it(
    args: list[str], expected: tuple[Path | None, str | None] | None
) -> None:
    assert workspace_argument(args) == expected


@pytest.mark.parametrize(
    "args", [["-w", "W"], ["-w", "W", "--help"], ["init", "W"], ["-w", "W", "search", "--help"]]
)
def test_no_listing_for_the_app_help_or_init(args: list[str], tmp_path: Path) -> None:
    assert early_listing([str(tmp_path) if a == "W" else a for a in args]) is None


def test_a_listing_of_another_corpus_is_stopped_not_taken(empty_root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    wrong = early_listing(["-w", str(other), "list"])
    right = early_listing(["-w", str(empty_root), "list"])
    assert wrong is not None and right is not None
    assert start_corpus_listing(empty_root, right) is right
    fresh = start_corpus_listing(empty_root, wrong)
    assert fresh is not None and fresh is not wrong and fresh.corpus_dir == right.corpus_dir
    assert wrong._process is not None and wrong._process.returncode is not None  # stopped
    for listing in (right, fresh):
        listing.close()


def test_a_command_uses_the_early_listing_and_leaves_no_find_behind(empty_root: Path) -> None:
    (empty_root / "corpus" / "a.txt").write_text("A title\n\nSome text.\n", "utf-8")
    probe = (
        "import subprocess, sys\n"
        "started = []\n"
        "real = subprocess.Popen\n"
        "class Popen(real):\n"
        "    def __init__(self, argv, *a, **k):\n"
        "        started.append(argv[0]); super().__init__(argv, *a, **k)\n"
        "subprocess.Popen = Popen\n"
        "sys.argv = ['reader', '-w', sys.argv[1], 'list']\n"
        "from reader.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('finds', started.count('find'), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(empty_root)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "a.txt" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "finds 1"  # the early one, taken
