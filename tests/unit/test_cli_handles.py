"""Document handles that look like ids (issue #15): a file named `000005.txt` is that file,
never document #5; `#5` is the explicit id; a handle that could mean two documents is refused
with both named, and the store is left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import UsageError
from reader.workspace import Workspace
from tests.unit.store_snapshot import store_rows


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def numbered(tmp_path: Path) -> Path:
    """As in the issue: files named by numbers whose ids are other numbers. a..d.txt are ids
    1-4, then 000004.txt is id 5 and 000005.txt id 6; 2.txt (id 7) shares its stem with #2."""
    root = tmp_path / "ws"
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name in "abcd":
        (corpus / f"{name}.txt").write_text(f"Filler {name}.\n", "utf-8")
    run(root, "sync")
    (corpus / "000004.txt").write_text("The fourth numbered file.\n", "utf-8")
    (corpus / "000005.txt").write_text("The fifth numbered file.\n", "utf-8")
    run(root, "sync")
    (corpus / "2.txt").write_text("A file called two.\n", "utf-8")
    run(root, "sync")
    ids = {d["path"]: d["id"] for d in json.loads(run(root, "list", "--json").stdout)}
    assert ids == {
        "a.txt": 1, "b.txt": 2, "c.txt": 3, "d.txt": 4,
        "000004.txt": 5, "000005.txt": 6, "2.txt": 7,
    }  # fmt: skip
    return root


def test_a_numeric_stem_names_its_file_not_the_document_with_that_id(numbered: Path) -> None:
    assert run(numbered, "show", "000005").stdout == "The fifth numbered file.\n"
    assert run(numbered, "show", "000005.txt").stdout == "The fifth numbered file.\n"
    assert run(numbered, "show", "000004").stdout == "The fourth numbered file.\n"


def test_hash_and_plain_digits_name_an_id(numbered: Path) -> None:
    assert run(numbered, "show", "#5").stdout == "The fourth numbered file.\n"
    assert run(numbered, "show", "5").stdout == "The fourth numbered file.\n"  # no file is 5
    assert run(numbered, "show", "#7").stdout == "A file called two.\n"


def test_a_handle_that_could_mean_two_documents_is_refused_naming_both(numbered: Path) -> None:
    before = store_rows(numbered)
    for args in (
        ["show", "2"],
        ["annotate", "2", "--quote", "two"],
        ["export", "--doc", "2"],
        ["meta", "2", "--title", "Changed"],
        ["attr", "set", "2", "outlet=x"],
        ["tags", "bulk-add", "x", "--doc", "2"],
    ):
        result = run(numbered, *args, code=2)
        assert result.stderr == "reader: '2' could be 2.txt or #2 (b.txt): give 2.txt or #2\n"
    assert store_rows(numbered) == before
    assert run(numbered, "show", "2.txt").stdout == "A file called two.\n"
    assert run(numbered, "show", "#2").stdout == "Filler b.\n"


def test_annotate_and_export_act_on_the_file_named(numbered: Path) -> None:
    made = json.loads(run(numbered, "annotate", "000005", "--quote", "fifth", "--json").stdout)
    assert made["doc"] == "000005.txt"
    exported = run(numbered, "export", "--doc", "000005", "--format", "json").stdout
    assert "000005.txt" in exported and "000004.txt" not in exported
    listed = json.loads(run(numbered, "annotations", "--doc", "000005", "--json").stdout)
    assert [a["id"] for a in listed] == [made["id"]]
    assert json.loads(run(numbered, "annotations", "--doc", "#5", "--json").stdout) == []


def test_the_app_opens_the_file_named(numbered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    monkeypatch.setattr(
        "reader.ui.app.run_app", lambda workspace, open_at=None, **_: opened.append(open_at)
    )
    run(numbered, "open", "000005", "--at", "4")
    run(numbered, "open", "#5")
    assert [(document.path, at) for document, at in opened] == [
        ("000005.txt", 4),
        ("000004.txt", None),
    ]
    assert "could be 2.txt or #2" in run(numbered, "open", "2", code=2).stderr


def test_attribute_csv_rows_name_documents_the_same_way(numbered: Path) -> None:
    sheet = numbered / "attributes.csv"
    sheet.write_text("doc,outlet\n000005,five\n#5,four\n2,ambiguous\n", "utf-8")
    result = run(numbered, "attr", "import", str(sheet))
    assert "row 4: skipped: '2' could be 2.txt or #2 (b.txt)" in result.stderr
    listed = json.loads(run(numbered, "attr", "list", "--json").stdout)
    values = {d["doc"]: d["attributes"] for d in listed}
    assert values["000005.txt"] == {"outlet": "five"}
    assert values["000004.txt"] == {"outlet": "four"}
    assert "outlet" not in values["2.txt"] and "outlet" not in values["b.txt"]


def test_ids_no_row_can_have_are_no_document(numbered: Path) -> None:
    for handle in ("#9223372036854775808", "#0", "#18446744073709551616"):
        assert run(numbered, "show", handle, code=2).stderr == (
            f"reader: no document {handle} (see `reader list`)\n"
        )
    huge = "9223372036854775808"
    assert f"no document matches '{huge}'" in run(numbered, "show", huge, code=2).stderr


def test_workspace_takes_an_int_as_an_id_and_text_as_a_handle(numbered: Path) -> None:
    with Workspace.open(numbered) as ws:
        assert ws.document(2).path == "b.txt"  # the TUI's ids are never handles
        assert ws.document(7).path == "2.txt"
        assert ws.document("000005").path == "000005.txt"
        with pytest.raises(UsageError, match=r"could be 2\.txt or #2"):
            ws.document("2")
        with pytest.raises(UsageError, match="no document #99"):
            ws.document(99)
        with pytest.raises(UsageError, match="no document #9223372036854775808"):
            ws.document(2**63)


def test_a_path_the_program_reports_is_never_taken_as_a_handle(numbered: Path) -> None:
    """`add` reports the path it wrote; a file named `2` (no suffix) is that file, not #2."""
    (numbered / "corpus" / "2").write_text("No suffix.\n", "utf-8")
    with Workspace.open(numbered) as ws:
        assert ws.document_at("2").path == "2"
        assert ws.document_at("000005.txt").id == 6
        with pytest.raises(UsageError, match=r"no document at 9\.txt"):
            ws.document_at("9.txt")
