"""`reader tags`: the codebook from the command line, as a person and as a script use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_cli import HOSTILE, run

DOC_A = "001_4310720f2bcf0b55"
DOC_B = "000_1d5d00d34374701d"


@pytest.fixture
def coded(workspace_root: Path) -> Path:
    run(workspace_root, "annotate", DOC_A, "--quote", "practically impossible",
        "--tag", "actor/russia", "--tag", "frame/energy")  # fmt: skip
    run(workspace_root, "annotate", DOC_B, "--quote", "Belgrade’s decisions",
        "--tag", "actor/serbia/vucic")  # fmt: skip
    return workspace_root


def _tags(root: Path) -> dict[str, dict]:
    return {t["path"]: t for t in json.loads(run(root, "tags", "--json").stdout)}


def test_tree_for_people_and_json_for_tools(coded: Path) -> None:
    lines = run(coded, "tags").stdout.splitlines()
    assert lines[0].split() == ["TAG", "KEY", "HIGHLIGHTS", "DOCS", "COLOR", "DESCRIPTION"]
    assert [line.split()[0] for line in lines[1:]] == [
        "actor", "russia", "serbia", "vucic", "frame", "energy",
    ]  # fmt: skip
    assert lines[3].startswith("  serbia") and lines[4].startswith("    vucic")
    tags = _tags(coded)
    assert tags["actor"]["highlights"] == 2 and tags["actor"]["documents"] == 2
    assert tags["actor"]["color"] is None and tags["actor/russia"]["color"].startswith("#")
    for entry in tags.values():
        assert {"path", "color", "description", "highlights", "documents"} <= entry.keys()


def test_no_tags_yet(workspace_root: Path) -> None:
    assert "no tags yet" in run(workspace_root, "tags").stdout
    assert json.loads(run(workspace_root, "tags", "--json").stdout) == []


def test_rename_onto_an_existing_tag_needs_yes(coded: Path) -> None:
    result = run(coded, "tags", "rename", "frame/energy", "actor/russia", code=2)
    assert "already exists: actor/russia" in result.stderr and "--yes" in result.stderr
    assert "frame/energy" in _tags(coded)
    run(coded, "tags", "rename", "frame/energy", "actor/russia", "--yes")
    tags = _tags(coded)
    assert "frame/energy" not in tags and tags["actor/russia"]["highlights"] == 1
    assert len(json.loads(run(coded, "annotations", "--json").stdout)) == 2


def test_rename_merge_move_describe_colour_favourite(coded: Path) -> None:
    # actor/serbia is only a parent: its one tag, actor/serbia/vucic, is renamed
    assert "renamed 1 tag(s)" in run(coded, "tags", "rename", "actor/serbia", "serbia").stdout
    run(coded, "tags", "merge", "serbia", "actor/russia", "--into", "actor/state")
    assert _tags(coded)["actor/state"]["highlights"] == 2
    assert _tags(coded)["actor/state/vucic"]["highlights"] == 1
    run(coded, "tags", "move", "actor/state/vucic", "people")
    assert "people/vucic" in _tags(coded)
    run(coded, "tags", "describe", "people", "-", stdin="Named persons\nquoted or cited\n")
    assert _tags(coded)["people"]["description"] == "Named persons\nquoted or cited"
    assert run(coded, "tags", "color", "people", "teal").stdout.strip() == "#2aa198"
    run(coded, "tags", "favourite", "people/vucic", "3")
    assert _tags(coded)["people/vucic"]["favourite"] == 3
    assert "[3]" in run(coded, "tags").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", "frame/energy", "--into", "frame/energy"], "into itself"),
        (["rename", "actor", "actor/new"], "inside itself"),
        (["rename", "nothing", "x"], "no tag"),
        (["color", "actor/russia", "reddish"], "not a colour"),
        (["delete", "actor"], "only groups sub-tags"),
        (["delete", "actor/russia"], "add --yes"),
        (["bulk-add", "x"], "--doc DOC or --search"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    coded: Path, args: list[str], message: str
) -> None:
    before = _tags(coded)
    result = run(coded, "tags", *args, code=2)
    assert message in result.stderr and "Traceback" not in result.output
    assert _tags(coded) == before


def test_delete_keeps_the_highlights(coded: Path) -> None:
    out = run(coded, "tags", "delete", "actor", "--with-subtags", "--yes").stdout
    assert "2 highlight(s) in 2 document(s)" in out
    assert "actor" not in _tags(coded)
    annotations = json.loads(run(coded, "annotations", "--json").stdout)
    assert len(annotations) == 2 and sorted(a["tags"] for a in annotations) == [
        [],
        ["frame/energy"],
    ]


def test_bulk_add_and_remove_by_document_and_by_search(coded: Path) -> None:
    assert "tagged 1 of 1" in run(coded, "tags", "bulk-add", "source/x", "--doc", DOC_A).stdout
    assert (
        "tagged 1 of 2"
        in run(coded, "tags", "bulk-add", "source/x", "--search", "tag:actor").stdout
    )
    assert _tags(coded)["source/x"]["highlights"] == 2
    out = run(coded, "tags", "bulk-remove", "source/x", "--search", "practically").stdout
    assert "untagged 1 of 1" in out
    assert _tags(coded)["source/x"]["highlights"] == 1


def test_codebook_csv_export_and_import(coded: Path, empty_root: Path, tmp_path: Path) -> None:
    run(coded, "tags", "describe", "frame", "Framing, with a comma")
    target = tmp_path / "codebook.csv"
    run(coded, "tags", "export", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert text == run(coded, "tags", "export").stdout
    assert text.splitlines()[0] == "path,description,color"
    assert (
        "created 4, updated 0, unchanged 0" in run(empty_root, "tags", "import", str(target)).stdout
    )
    assert (
        "created 0, updated 0, unchanged 4" in run(empty_root, "tags", "import", str(target)).stdout
    )
    mine = {p: (t["description"], t["color"]) for p, t in _tags(coded).items()}
    theirs = {p: (t["description"], t["color"]) for p, t in _tags(empty_root).items()}
    assert theirs == mine


def test_hostile_tag_names_print_safely(coded: Path) -> None:
    run(coded, "tag", "add", "1", f"evil/{HOSTILE}")
    run(coded, "tags", "describe", f"evil/{HOSTILE}", HOSTILE)
    out = run(coded, "tags").stdout
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "[bold]x[/]" in out


def test_create_a_code_from_the_command_line(workspace_root: Path) -> None:
    out = run(workspace_root, "tags", "create", "frame/energy", "--description", "Gas",
              "--color", "#abc").stdout  # fmt: skip
    assert out.strip() == "frame/energy"
    tags = _tags(workspace_root)
    assert tags["frame/energy"]["description"] == "Gas"
    assert tags["frame/energy"]["color"] == "#aabbcc"
    assert tags["frame/energy"]["highlights"] == 0
    assert (
        "already in the codebook"
        in run(workspace_root, "tags", "create", "Frame/Energy", code=2).stderr
    )
