"""`reader tags export -o` and `reader attr export -o` follow every export's rule (#15): a file
reader did not write (or that changed since) is replaced only with --force; what reader wrote
itself is replaced freely; never a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli

DOC = "001_4310720f2bcf0b55"
REFUSED = "exists and reader did not write it (or it changed since); add --force to replace it"
COMMANDS = [["tags", "export"], ["attr", "export"]]


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def coded(workspace_root: Path) -> Path:
    run(workspace_root, "annotate", DOC, "--quote", "practically impossible", "--tag", "arms")
    run(workspace_root, "attr", "set", DOC, "outlet=ECFR")
    return workspace_root


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_file_reader_did_not_write_needs_force(
    coded: Path, tmp_path: Path, command: list[str]
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("my,own\n1,2\n", encoding="utf-8")
    mine.chmod(0o640)
    refused = run(coded, *command, "-o", str(mine), code=2)
    assert refused.stderr == f"reader: {mine} {REFUSED}\n"
    assert mine.read_text(encoding="utf-8") == "my,own\n1,2\n"
    run(coded, *command, "-o", str(mine), "--force")
    assert "my,own" not in mine.read_text(encoding="utf-8")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o640


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_what_reader_wrote_is_replaced_until_someone_edits_it(
    coded: Path, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out.csv"
    run(coded, *command, "-o", str(out))
    first = out.read_text(encoding="utf-8")
    run(coded, "tags", "create", "frame/new")
    run(coded, "attr", "set", DOC, "wave=2")
    run(coded, *command, "-o", str(out))  # reader's own file, unchanged: replaced unasked
    assert out.read_text(encoding="utf-8") != first
    with out.open("a", encoding="utf-8") as edited:
        edited.write("an edit of mine\n")
    run(coded, *command, "-o", str(out), code=2)
    assert out.read_text(encoding="utf-8").endswith("an edit of mine\n")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_fifo_is_never_written(coded: Path, tmp_path: Path, command: list[str]) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    said = run(coded, *command, "-o", str(pipe), "--force", code=2).stderr
    assert "is a FIFO (named pipe), not a file" in said
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_a_path_that_is_not_utf8_is_remembered_as_reader_s_own(coded: Path, tmp_path: Path) -> None:
    """The ledger keeps such a name exactly, so the second export replaces the first."""
    target = Path(os.fsdecode(os.fsencode(tmp_path) + b"/codes-caf\xe9.csv"))
    run(coded, "tags", "export", "-o", str(target))
    run(coded, "tags", "create", "frame/new")
    run(coded, "tags", "export", "-o", str(target))
    assert "frame/new" in target.read_text(encoding="utf-8")


def test_a_bare_carriage_return_stays_inside_its_cell(coded: Path) -> None:
    """The codebook and attribute CSVs wrote \n line ends, so a cell holding a bare \r (as a
    database written by an older reader or another tool may hold) was not quoted and a
    spreadsheet split the record there."""
    import csv
    import io
    import sqlite3

    with sqlite3.connect(coded / "annotations.db") as db:  # past the editors' own cleaning
        db.execute("UPDATE tags SET description = 'line one\rline two' WHERE name = 'arms'")
        db.execute("UPDATE document_attributes SET value = 'A\rB' WHERE name = 'outlet'")
    for command in COMMANDS:
        text = run(coded, *command).stdout
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(row) for row in rows}) == 1, rows  # no record split in two
        assert any("\r" in cell for row in rows for cell in row), rows
