"""`reader export -o` never clobbers: only regular files, atomically, keeping the mode; a file
reader did not write (or that changed since) only with --force; one line for what fails."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import WouldReplace
from reader.exchange import safe_write
from reader.exchange.filenames import MAX_STEM_BYTES, cut_to_bytes, safe_stem, unique_names
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"
OTHER = "000_1d5d00d34374701d"
REFUSED = "exists and reader did not write it (or it changed since); add --force to replace it"


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def highlighted(workspace_root: Path) -> Path:
    run(workspace_root, "annotate", DOC, "--quote", "practically impossible", "--tag", "arms")
    run(workspace_root, "annotate", OTHER, "--quote", "Mojsilović", "--tag", "arms")
    return workspace_root


def one_line(result: click.testing.Result) -> str:
    """The refusal: exactly one line on stderr, nothing on stdout."""
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_file_reader_did_not_write_is_replaced_only_with_force(
    highlighted: Path, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    notes = tmp_path / "out" / "notes.md"
    notes.write_text("my own notes\n", encoding="utf-8")
    notes.chmod(0o640)
    refused = one_line(run(highlighted, "export", "-o", str(notes), code=2))
    assert refused == f"reader: {notes} {REFUSED}\n"
    assert notes.read_text(encoding="utf-8") == "my own notes\n"

    run(highlighted, "export", "-o", str(notes), "--force")
    assert notes.read_text(encoding="utf-8").startswith(
        "<!-- reader:head all -->\n\n# Highlights\n"
    )
    assert stat.S_IMODE(notes.stat().st_mode) == 0o640  # the mode kept, not mkstemp's 0600
    run(highlighted, "annotate", DOC, "--quote", "Mojsilović stated", "--tag", "new")
    run(highlighted, "export", "-o", str(notes))  # reader's own, unchanged: replaced unasked
    assert "Mojsilović stated" in notes.read_text(encoding="utf-8")

    notes.write_text(notes.read_text(encoding="utf-8") + "\nmy addition\n", encoding="utf-8")
    run(highlighted, "export", "-o", str(notes))  # reader's Markdown, edited: merged (#12)
    assert notes.read_text(encoding="utf-8").endswith("my addition\n")
    assert [p.name for p in notes.parent.iterdir()] == ["notes.md"]  # no temporary file left


def test_the_same_content_may_be_written_again_and_new_files_follow_the_umask(
    highlighted: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    previous = os.umask(0o027)
    try:
        run(highlighted, "export", "-o", str(first))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(first.stat().st_mode) == 0o640  # 0666 less the umask
    second.write_bytes(first.read_bytes())  # a copy: replacing it loses nothing
    run(highlighted, "export", "-o", str(second))


def test_a_symbolic_link_only_with_force_and_then_its_file(
    highlighted: Path, tmp_path: Path
) -> None:
    real, link = tmp_path / "real.md", tmp_path / "link.md"
    real.write_text("elsewhere\n", encoding="utf-8")
    link.symlink_to(real)
    refused = one_line(run(highlighted, "export", "-o", str(link), code=2))
    assert f"{link} is a symbolic link; add --force to write to the file it points to" in refused
    run(highlighted, "export", "-o", str(link), "--force")
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith(
        "<!-- reader:head all -->\n\n# Highlights"
    )
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    result = run(highlighted, "export", "-o", str(tmp_path / "dangling.md"), "--force", code=2)
    assert "is a symbolic link to nothing" in one_line(result)
    assert not (tmp_path / "nowhere.md").exists()


def test_hard_links_keep_the_old_content(highlighted: Path, tmp_path: Path) -> None:
    """Replacing is a rename: documented, and pinned here."""
    target, other = tmp_path / "out.md", tmp_path / "other-name.md"
    run(highlighted, "export", "-o", str(target))
    os.link(target, other)
    run(highlighted, "annotate", DOC, "--quote", "Mojsilović stated", "--tag", "new")
    run(highlighted, "export", "-o", str(target))
    assert "Mojsilović stated" in target.read_text("utf-8")
    assert "Mojsilović stated" not in other.read_text("utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_devices_fifos_and_folders_are_never_written(highlighted: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for force in ([], ["--force"]):
        refused = one_line(run(highlighted, "export", "-o", str(fifo), *force, code=2))
        assert refused == (
            f"reader: {fifo} is a FIFO (named pipe), not a file: reader writes only regular files\n"
        )
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert "is a folder" in one_line(run(highlighted, "export", "-o", str(tmp_path), code=2))
    if os.geteuid() == 0:  # a copy of /dev/null, never the system's own
        null = tmp_path / "null"
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        result = run(highlighted, "export", "-o", str(null), "--force", code=2)
        assert "is a character device, not a file" in one_line(result)
        assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_split_refuses_before_writing_any_file(highlighted: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    run(highlighted, "export", "-o", str(vault), "--split")
    names = sorted(p.name for p in vault.iterdir())
    edited = vault / names[0]
    edited.write_text("edited in Obsidian\n", encoding="utf-8")
    run(highlighted, "annotate", DOC, "--quote", "Mojsilović stated", "--tag", "new")
    refused = one_line(run(highlighted, "export", "-o", str(vault), "--split", code=2))
    assert f"{edited} {REFUSED}" in refused
    russian = vault / "Russian Ally Withdraws Support, Suspends Arms Contracts.md"
    assert "Mojsilović stated" not in russian.read_text("utf-8")  # nothing written at all
    run(highlighted, "export", "-o", str(vault), "--split", "--force")
    assert "Mojsilović stated" in russian.read_text("utf-8")


def test_several_refusals_are_one_line(highlighted: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    for name in unique_names([d.title for d in Workspace.open(highlighted).documents()]):
        (vault / name).write_text("mine\n", encoding="utf-8")
    refused = one_line(run(highlighted, "export", "-o", str(vault), "--split", code=2))
    assert "and 1 more file(s) like it; add --force to replace them" in refused


def test_an_unwritable_output_is_one_line(highlighted: Path, tmp_path: Path) -> None:
    long_name = tmp_path / ("n" * 300 + ".md")
    refused = one_line(run(highlighted, "export", "-o", str(long_name), code=2))
    assert refused.startswith("reader: cannot write ") and "File name too long" in refused
    a_file = tmp_path / "afile"
    a_file.write_text("x", encoding="utf-8")
    refused = one_line(run(highlighted, "export", "-o", str(a_file / "out.md"), code=2))
    assert refused.endswith(": Not a directory\n")


def test_a_full_disk_leaves_the_old_file_and_no_temporary(
    highlighted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "out.md"
    run(highlighted, "export", "-o", str(target))
    before = target.read_bytes()

    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.os, "write", disk_full)
    run(highlighted, "annotate", DOC, "--quote", "Mojsilović stated", "--tag", "new")
    refused = one_line(run(highlighted, "export", "-o", str(target), code=2))
    assert refused == f"reader: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["out.md"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_stdout_on_a_full_device_is_one_line(highlighted: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "reader", "-w", str(highlighted), "export"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 2
    assert result.stderr == "reader: cannot write to standard output: No space left on device\n"


def test_dash_is_standard_output(highlighted: Path) -> None:
    result = run(highlighted, "export", "-o", "-")
    assert result.stdout.startswith("# Highlights\n") and result.stderr == ""
    assert not (highlighted / "-").exists()


def test_the_ledger_is_not_needed_to_refuse(workspace: Workspace, tmp_path: Path) -> None:
    """The domain refuses with WouldReplace, whose parts each face words its own way."""
    target = tmp_path / "x.md"
    target.write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(WouldReplace) as refused:
        workspace.export("markdown", output=target)
    assert (refused.value.reason, refused.value.forced) == (
        "exists and reader did not write it (or it changed since)",
        "replace it",
    )
    assert workspace.export("markdown", output=target, force=True) == [target]


def test_split_names_fit_file_systems_in_every_script(highlighted: Path, tmp_path: Path) -> None:
    run(highlighted, "meta", DOC, "--title", "漢" * 90)
    run(highlighted, "meta", OTHER, "--title", "[[Serbia]] #news | a^b " + "👍🏽" * 60)
    vault = tmp_path / "vault"
    run(highlighted, "export", "-o", str(vault), "--split")
    names = sorted(p.name for p in vault.iterdir())
    assert all(len(name.encode()) <= MAX_STEM_BYTES + len(".md") for name in names)
    assert names[0].startswith("Serbia news a b 👍🏽") and not set("#[]|^") & set(names[0])
    assert names[1] == "漢" * (MAX_STEM_BYTES // 3) + ".md"


@pytest.mark.parametrize(
    ("text", "limit", "kept"),
    [
        ("ab漢", 4, "ab"),  # never inside a code point
        ("e\u0301\u0301x", 2, ""),  # not before an accent that belongs to the e
        ("a👍🏽", 5, "a"),  # nor before a skin tone
        ("a👨\u200d👩", 8, "a"),  # nor at a joiner
        ("🇷🇸🇷🇸", 12, "🇷🇸"),  # nor between the two halves of a flag
    ],
)
def test_cut_to_bytes_keeps_whole_characters(text: str, limit: int, kept: str) -> None:
    assert cut_to_bytes(text, limit) == kept


def test_safe_stem_caps_bytes_and_characters() -> None:
    assert len(safe_stem("漢" * 90).encode()) <= MAX_STEM_BYTES
    assert len(safe_stem("x" * 500)) == 100
    assert safe_stem("a [[b]] #c ^d |e") == "a b c d e"


@pytest.mark.parametrize(
    "name", ["annotations.db", "annotations.db-wal", ".reader/exports.json", "corpus/new.md",
             f"corpus/{DOC}.txt"],
)  # fmt: skip
def test_the_workspace_s_own_files_are_never_written_even_forced(
    highlighted: Path, name: str
) -> None:
    """--force (or the dialog's second ctrl+s) once replaced annotations.db itself."""
    target = highlighted / name
    before = target.read_bytes() if target.exists() else None
    said = one_line(run(highlighted, "export", "-o", str(target), "--force", code=2))
    assert "an export never writes there" in said
    assert (target.read_bytes() if target.exists() else None) == before
    assert "practically impossible" in run(highlighted, "annotations").stdout
