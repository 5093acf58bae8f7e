"""The `reader` CLI through click's CliRunner: JSON for tools, clear errors for people."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli

DOC = "001_4310720f2bcf0b55"
HOSTILE = "[bold]x[/] \x1b]52;c;aGk=\x07 \x1b[2J [TODO] \u202e"


def run(root: Path, *args: str, code: int = 0, stdin: str | None = None) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], input=stdin, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_list_json_gives_the_sample_metadata(workspace_root: Path) -> None:
    docs = {d["path"]: d for d in json.loads(run(workspace_root, "list", "--json").stdout)}
    expected = {
        "000_1d5d00d34374701d.txt": (
            "Serbia begins distancing itself from Russia",
            None,
            "2025-01-12",
        ),
        "001_4310720f2bcf0b55.txt": (
            "Russian Ally Withdraws Support, Suspends Arms Contracts",
            "Kathrine Frich",
            "2025-01-08",
        ),
        "002_d42153564ceb3715.txt": (
            "Will Serbia now go from being an ally to an opponent of Putin?",
            None,
            None,
        ),
        "003_ab75fb7eb88f90bb.txt": ("Bound to Russia: Serbia’s disruptive neutrality", None, None),
        "004_9b4db2a2590667cc.txt": (
            "Time for Serbia to Scale Back Military Ties with Russia",
            None,
            "2022-03-04",
        ),
    }
    assert {p: (d["title"], d["author"], d["date"]) for p, d in docs.items()} == expected
    for doc in docs.values():
        assert doc["status"] == "ok" and doc["annotations"] == 0 and doc["warning"] is None
        assert doc["words"] > 250 and doc["reading_minutes"] >= 1
        assert isinstance(doc["id"], int)


def test_list_table_for_people(workspace_root: Path) -> None:
    out = run(workspace_root, "list").stdout
    assert out.splitlines()[0].split()[:3] == ["ID", "STATUS", "DATE"]
    assert "Bound to Russia: Serbia’s disruptive neutrality" in out


def test_first_command_reports_the_sync_on_stderr(workspace_root: Path) -> None:
    first = run(workspace_root, "list", "--json")
    assert "corpus synced: 5 added" in first.stderr
    json.loads(first.stdout)  # stdout stays pure JSON
    assert run(workspace_root, "list").stderr == ""


def test_annotate_list_tag_note_delete_round_trip(workspace_root: Path) -> None:
    ann_id = run(
        workspace_root,
        "annotate",
        DOC,
        "--quote",
        "practically impossible",
        "--tag",
        "arms",
        "--tag",
        "quote",
        "--note",
        "line1\nline2",
    ).stdout.strip()
    assert ann_id.isdigit()
    run(workspace_root, "tag", "add", ann_id, "military")
    run(workspace_root, "tag", "remove", ann_id, "quote")
    run(workspace_root, "note", ann_id, "-", stdin="from stdin\n")
    [ann] = json.loads(run(workspace_root, "annotations", "--doc", DOC, "--json").stdout)
    assert set(ann) >= {
        "id",
        "doc",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "tags",
        "note",
        "status",
        "created",
        "updated",
    }
    assert ann["doc"] == f"{DOC}.txt"
    assert (ann["quote"], ann["tags"], ann["note"]) == (
        "practically impossible",
        ["arms", "military"],
        "from stdin\n",
    )
    assert json.loads(run(workspace_root, "annotations", "--tag", "ARMS", "--json").stdout)
    assert json.loads(run(workspace_root, "annotations", "--tag", "none", "--json").stdout) == []
    assert "deleted" in run(workspace_root, "delete", ann_id).stdout
    assert json.loads(run(workspace_root, "annotations", "--json").stdout) == []


def test_annotate_by_offsets_and_json_output(workspace_root: Path) -> None:
    text = run(workspace_root, "show", DOC).stdout
    start = text.index("practically impossible")
    made = json.loads(
        run(
            workspace_root,
            "annotate",
            DOC,
            "--start",
            str(start),
            "--end",
            str(start + 11),
            "--json",
        ).stdout
    )
    assert (made["quote"], made["start"], made["status"]) == ("practically", start, "anchored")


def test_show_prints_canonical_text_and_json(workspace_root: Path) -> None:
    raw = (workspace_root / "corpus" / f"{DOC}.txt").read_text("utf-8")
    assert run(workspace_root, "show", DOC).stdout == raw
    data = json.loads(run(workspace_root, "show", "2", "--json").stdout)
    assert data["text"] == raw and data["annotations"] == []
    assert data["document"]["author"] == "Kathrine Frich"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annotate", DOC, "--quote", "not in this article"], "does not occur"),
        (["annotate", "004_9b4db2a2590667cc", "--quote", "CAATSA"], "--occurrence"),
        (["annotate", "nope", "--quote", "x"], "no document matches"),
        (["annotate", DOC, "--start", "10"], "--start and --end"),
        (["tag", "add", "999", "x"], "no annotation with id 999"),
        (["delete", "999"], "no annotation with id 999"),
        (["show", "nope"], "no document matches"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(workspace_root: Path, args, message) -> None:
    result = run(workspace_root, *args, code=2)
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_corpus_is_a_clear_message(tmp_path: Path) -> None:
    result = run(tmp_path, "list", code=1)
    assert "no corpus/ folder" in result.stderr and "reader init" in result.stderr


def test_corrupt_database_is_a_clear_message(workspace_root: Path) -> None:
    (workspace_root / "annotations.db").write_bytes(b"garbage" * 1000)
    result = run(workspace_root, "list", code=1)
    assert "corrupt" in result.stderr
    assert (workspace_root / "annotations.db").read_bytes() == b"garbage" * 1000


def test_init_creates_a_workspace_and_env_var_selects_it(tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert "workspace ready" in run(tmp_path, "init", str(target)).stdout
    assert (target / "corpus").is_dir() and (target / "annotations.db").is_file()
    (target / "corpus" / "a.md").write_text("---\ntitle: From env\n---\nbody\n", "utf-8")
    result = CliRunner(env={"READER_WORKSPACE": str(target)}).invoke(
        cli, ["list", "--json"], catch_exceptions=False
    )
    assert [d["title"] for d in json.loads(result.stdout)] == ["From env"]


def test_hostile_note_and_tag_come_back_byte_for_byte(workspace_root: Path) -> None:
    made = json.loads(
        run(
            workspace_root,
            "annotate",
            DOC,
            "--quote",
            "practically impossible",
            "--note",
            HOSTILE,
            "--tag",
            "[red]t[/]",
            "--json",
        ).stdout
    )
    [back] = json.loads(run(workspace_root, "annotations", "--json").stdout)
    assert back["note"] == made["note"] == HOSTILE
    assert back["tags"] == ["[red]t[/]"]
    table = run(workspace_root, "annotations").stdout
    assert "\x1b" not in table and "\u202e" not in table  # the table for people is inert
    assert "␛]52;c;aGk=␇" in table


def test_every_command_is_documented_with_an_example() -> None:
    def walk(group: click.Group, prefix: str = ""):
        context = click.Context(group)  # the group imports its commands when looked up
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            yield prefix + name, command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + name + " ")

    for name, command in walk(cli):
        if isinstance(command, click.Group):
            assert command.help, name
            continue
        assert command.help and "Example" in command.help, f"`reader {name}` lacks help/example"


def test_python_dash_m_and_console_script_run(workspace_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "-w", str(workspace_root), "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == 5
    script = Path(sys.executable).with_name("reader")
    if script.exists():
        out = subprocess.run([str(script), "--version"], capture_output=True, text=True)
        assert out.stdout.startswith("reader, version")
