"""`reader attr`: document attributes from the command line, as a person and as a script use it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest

from reader.workspace import Workspace
from tests.unit.test_cli import HOSTILE, run

A = "000_1d5d00d34374701d"
B = "001_4310720f2bcf0b55"


@pytest.fixture
def workspace_root(workspace_root: Path) -> Path:
    """The sample workspace synced once, so that no command here prints sync notes."""
    Workspace.open(workspace_root).close()
    return workspace_root


def _listed(root: Path) -> dict[str, dict]:
    return {d["doc"]: d for d in json.loads(run(root, "attr", "list", "--json").stdout)}


def test_set_prints_what_the_document_carries(workspace_root: Path) -> None:
    out = run(workspace_root, "attr", "set", B, "Outlet=ECFR", "stance=mildly critical").stdout
    assert out.splitlines() == [
        "author  Kathrine Frich",
        "month   2025-01",
        "outlet  ECFR",
        "stance  mildly critical",
        "year    2025",
    ]
    out = run(workspace_root, "attr", "unset", B, "stance").stdout
    assert "stance" not in out and "outlet  ECFR" in out
    result = run(workspace_root, "attr", "unset", B, "author", code=2)
    assert result.stderr == "reader: the document's author is its file's own, not one you set\n"
    run(workspace_root, "attr", "set", B, "author=K. Frich")
    assert "author  Kathrine Frich" in run(workspace_root, "attr", "unset", B, "author").stdout


def test_list_json_gives_one_object_per_document(workspace_root: Path) -> None:
    run(workspace_root, "attr", "set", A, "outlet=ECFR", "wave=2")
    listed = _listed(workspace_root)
    assert list(listed) == [f"{n}.txt" for n in (A, B)] + [
        "002_d42153564ceb3715.txt", "003_ab75fb7eb88f90bb.txt", "004_9b4db2a2590667cc.txt",
    ]  # fmt: skip
    entry = listed[f"{A}.txt"]
    assert entry["title"] == "Serbia begins distancing itself from Russia"
    assert entry["attributes"] == {
        "month": "2025-01",
        "outlet": "ECFR",
        "wave": "2",
        "year": "2025",
    }
    assert isinstance(entry["id"], int)
    assert listed["002_d42153564ceb3715.txt"]["attributes"] == {}


def test_list_for_people_shows_the_types_then_the_documents(workspace_root: Path) -> None:
    run(workspace_root, "attr", "set", A, "outlet=ECFR", "wave=2")
    run(workspace_root, "attr", "set", B, "wave=3.5")
    lines = run(workspace_root, "attr", "list").stdout.splitlines()
    assert lines[0].split() == ["NAME", "TYPE", "DOCS", "VALUES", "FROM"]
    names = {line.split()[0]: line.split()[1:] for line in lines[1 : lines.index("")]}
    assert names == {
        "author": ["text", "1", "1", "metadata"],
        "month": ["date", "3", "2", "metadata"],
        "outlet": ["text", "1", "1", "set"],
        "wave": ["number", "2", "2", "set"],
        "year": ["date", "3", "2", "metadata"],
    }
    documents = lines[lines.index("") + 1 :]
    assert documents[0].split() == ["ID", "TITLE", "ATTRIBUTES"]
    assert "month=2025-01; outlet=ECFR; wave=2; year=2025" in documents[1]
    assert len(documents) == 6


def test_names_table_and_json(workspace_root: Path) -> None:
    run(workspace_root, "attr", "set", A, "wave=2")
    names = json.loads(run(workspace_root, "attr", "names", "--json").stdout)
    assert {
        "name": "wave",
        "kind": "number",
        "documents": 1,
        "values": 1,
        "derived": False,
    } in names
    assert [n["name"] for n in names] == ["author", "month", "wave", "year"]
    assert run(workspace_root, "attr", "names").stdout.startswith("NAME")


def test_no_attributes_yet(empty_root: Path) -> None:
    assert "no attributes yet" in run(empty_root, "attr", "list").stdout
    assert "no attributes yet" in run(empty_root, "attr", "names").stdout
    assert json.loads(run(empty_root, "attr", "list", "--json").stdout) == []
    assert json.loads(run(empty_root, "attr", "names", "--json").stdout) == []
    assert run(empty_root, "attr", "export").stdout == "doc\n"


def test_errors_are_one_line_and_exit_2(workspace_root: Path) -> None:
    for args, said in [
        (("set", A, "outlet"), "'outlet' is not KEY=VALUE"),
        (("set", A, "year=2020"), "year follows the document's date"),
        (("set", A, "2x=1"), "is not an attribute name"),
        (("set", A, "outlet="), "empty value for outlet"),
        (("set", "nobody", "outlet=x"), "no document matches 'nobody'"),
        (("unset", A, "outlet"), "the document has no attribute outlet"),
        (("unset", A, "month"), "follows the document's date"),
    ]:
        result = run(workspace_root, "attr", *args, code=2)
        assert result.stderr.startswith("reader: ") and said in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert run(workspace_root, "attr", "set", A, code=2).stderr  # no KEY=VALUE: click's usage


def test_hostile_names_and_values_render_literally(workspace_root: Path) -> None:
    result = run(workspace_root, "attr", "set", A, f"{HOSTILE}=x", code=2)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    value = "[bold]x[/] \u202e [TODO] =1+1"
    out = run(workspace_root, "attr", "set", A, f"note={value}").stdout
    assert "[bold]x[/]" in out and "\u202e" not in out and "\ufffd" in out  # inert on a terminal
    assert _listed(workspace_root)[f"{A}.txt"]["attributes"]["note"] == value  # exact in JSON
    table = run(workspace_root, "attr", "list").stdout
    assert "\u202e" not in table and "note=[bold]x[/] \ufffd [TODO] =1+1" in table
    stored = run(workspace_root, "attr", "set", B, f"note={HOSTILE}").stdout
    assert "\x1b" not in stored and "\x07" not in stored


def test_export_to_stdout_and_to_a_file_then_import(workspace_root: Path, tmp_path: Path) -> None:
    run(workspace_root, "attr", "set", A, "outlet=ECFR", "score=-2", "formula==1+1")
    text = run(workspace_root, "attr", "export").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["doc", "author", "formula", "outlet", "score"]
    assert rows[1] == [f"{A}.txt", "", "'=1+1", "ECFR", "-2"]
    target = tmp_path / "out" / "attributes.csv"
    result = run(workspace_root, "attr", "export", "-o", str(target))
    assert result.stdout == "" and f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == text
    assert [p.name for p in target.parent.iterdir()] == ["attributes.csv"]  # no temporary left
    target.write_text("old", encoding="utf-8")  # edited since reader wrote it: kept
    run(workspace_root, "attr", "export", "-o", str(target), code=2)
    assert target.read_text(encoding="utf-8") == "old"
    run(workspace_root, "attr", "export", "-o", str(target), "--force")
    assert target.read_text(encoding="utf-8") == text
    result = run(workspace_root, "attr", "import", str(target))
    assert result.stdout == "updated 0 document(s): 0 value(s) set, 4 unchanged\n"
    assert result.stderr == ""
    run(workspace_root, "attr", "export", "-o", str(tmp_path), code=2)  # a folder


def test_import_reports_bad_rows_on_stderr(workspace_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        f"doc,outlet,year\n{A},ECFR,2020\nnobody,X,\n{B},RFE,,extra\n1,\x1b[2J,\n",
        encoding="utf-8",
    )
    result = run(workspace_root, "attr", "import", str(source))
    assert result.stdout == "updated 1 document(s): 2 value(s) set, 0 unchanged\n"
    assert result.stderr.splitlines() == [
        "warning: row 1: column year ignored: it follows the document's date "
        "(reader meta DOC --date DATE)",
        "warning: row 3: skipped: no document matches 'nobody' (see `reader list`)",
        "warning: row 4: skipped: 4 cells for 3 columns",
    ]
    listed = _listed(workspace_root)
    assert listed[f"{A}.txt"]["attributes"]["outlet"] == "[2J"  # row 5 (id 1) came last
    assert "outlet" not in listed[f"{B}.txt"]["attributes"]
    assert listed["002_d42153564ceb3715.txt"]["attributes"] == {}


def test_import_of_what_is_no_attributes_csv(workspace_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("outlet,doc\nx,y\n", encoding="utf-8")
    result = run(workspace_root, "attr", "import", str(source), code=2)
    assert result.stderr.startswith("reader: the first column") and result.stdout == ""
    source.write_text("doc,outlet,OUTLET\n", encoding="utf-8")
    assert "names outlet twice" in run(workspace_root, "attr", "import", str(source), code=2).stderr
    source.write_bytes(b"doc,outlet\n\xff\xfe\n")
    assert "cannot read" in run(workspace_root, "attr", "import", str(source), code=2).stderr
    assert run(workspace_root, "attr", "import", str(tmp_path / "none.csv"), code=2).stderr


def test_every_attr_command_documents_an_example() -> None:
    from reader.cli import cli

    group = cli.get_command(click.Context(cli), "attr")
    assert isinstance(group, click.Group)
    assert set(group.commands) == {"set", "unset", "list", "names", "export", "import"}
    for command in group.commands.values():
        assert command.help and "Example" in command.help
