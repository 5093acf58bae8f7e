"""`reader config path|edit|show` and the settings the export uses, through click's CliRunner.
The user's config file is a temporary one (READER_CONFIG, set in conftest and here), and the
editor a small script the test writes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's config file for this test: not created yet, never the real one."""
    path = tmp_path / "home-config" / "reader" / "reader.toml"
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR is a script that appends the lines of `editor-lines` to the file it is given."""
    lines = tmp_path / "editor-lines"
    lines.write_text('name = "Ada"\n', encoding="utf-8")
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\ncat "{lines}" >> "$1"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    return lines


def run(root: Path, *args: str, code: int = 0) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_path_prints_the_user_file_then_the_workspace_file(
    user_file: Path, workspace_root: Path
) -> None:
    result = run(workspace_root, "config", "path")
    assert result.stdout == f"{user_file}\n"
    assert "not created yet" in result.stderr
    (workspace_root / "reader.toml").write_text("", encoding="utf-8")
    user_file.parent.mkdir(parents=True)
    user_file.write_text("", encoding="utf-8")
    result = run(workspace_root, "config", "path")
    assert result.stdout == f"{user_file}\n{workspace_root / 'reader.toml'}\n"
    assert result.stderr == ""


def test_config_works_outside_any_workspace(user_file: Path, tmp_path: Path) -> None:
    nowhere = tmp_path / "not-a-workspace"
    nowhere.mkdir()
    assert run(nowhere, "config", "path").stdout == f"{user_file}\n"
    assert json.loads(run(nowhere, "config", "show", "--json").stdout)["sources"] == []


def test_show_prints_the_settings_in_effect_and_problems_on_stderr(
    user_file: Path, workspace_root: Path
) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text(
        '[ui]\nline_width = "wide"\ntheme = "nord"\n[keys]\n"reader.find" = "ctrl+g"\n',
        encoding="utf-8",
    )
    (workspace_root / "reader.toml").write_text("[user]\nname = 'Ada'\n", encoding="utf-8")
    result = run(workspace_root, "config", "show")
    lines = result.stdout.splitlines()
    assert lines[0] == f"# read from: {user_file}, {workspace_root / 'reader.toml'}"
    assert '"reader.find" = "ctrl+g"' in lines and 'theme = "nord"' in lines
    assert "line_width = 80" in lines and "# library_sort: not set" in lines
    assert 'panes = ["library", "reader", "highlights"]' in lines and 'name = "Ada"' in lines
    assert result.stderr == (
        f"reader: {user_file}:2: ui.line_width: expected a whole number of columns from 20 to "
        "1000, or 0 for the pane's width, got 'wide'\n"
    )  # a problem never makes the command fail (exit 0)
    data = json.loads(run(workspace_root, "config", "show", "--json").stdout)
    assert data["ui"]["theme"] == "nord" and data["user"]["name"] == "Ada"
    assert data["keys"] == {"reader.find": "ctrl+g"} and len(data["problems"]) == 1


def test_show_of_an_invalid_file_names_its_line_and_shows_the_defaults(
    user_file: Path, workspace_root: Path
) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text("[ui\n", encoding="utf-8")
    result = run(workspace_root, "config", "show")
    assert result.stderr.startswith(f"reader: {user_file}:1: not valid TOML:")
    assert 'format = "markdown"' in result.stdout


def test_edit_creates_the_template_runs_the_editor_and_reports(
    user_file: Path, workspace_root: Path, editor: Path
) -> None:
    result = run(workspace_root, "config", "edit")
    text = user_file.read_text("utf-8")
    assert text.startswith("# reader's settings") and "# line_width = 80" in text
    assert text.endswith('name = "Ada"\n')  # the template ends in [user]
    assert result.stderr == f"reader: {user_file}: no problems\n"
    assert json.loads(run(workspace_root, "config", "show", "--json").stdout)["user"] == {
        "name": "Ada"
    }
    editor.write_text("nmae = 'Bo'\n", encoding="utf-8")
    result = run(workspace_root, "config", "edit")  # the file is kept, the problem reported
    assert "user.nmae: unknown setting (did you mean user.name?)" in result.stderr
    assert user_file.read_text("utf-8").startswith(text)


def test_edit_fails_when_the_editor_does(
    user_file: Path, workspace_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    result = run(workspace_root, "config", "edit", code=1)
    assert "Editing failed" in result.output
    assert user_file.exists()  # the template was written before


def test_export_takes_its_default_format_from_the_config_and_credits_each_creator(
    user_file: Path, workspace_root: Path
) -> None:
    """The creator is recorded when a highlight is made: a later name (or a colleague's import)
    never rewrites whose work it was."""
    with Workspace.open(workspace_root) as workspace:
        workspace.annotate_quote(workspace.document(DOC), "practically impossible", tags=["a"])
    assert run(workspace_root, "export").stdout.startswith("---\ntitle:")  # Markdown
    (workspace_root / "reader.toml").write_text(
        "[export]\nformat = 'json'\n[user]\nname = 'Ada Lovelace'\n", encoding="utf-8"
    )
    with Workspace.open(workspace_root) as workspace:
        workspace.annotate_quote(workspace.document(DOC), "Serbia", occurrence=1, tags=["b"])
    items = json.loads(run(workspace_root, "export").stdout)
    by_tag = {item["body"][0]["value"]: item for item in items}
    before, after = by_tag["a"], by_tag["b"]
    assert "creator" not in before  # made before any name was set
    assert after["creator"] == {"type": "Person", "name": "Ada Lovelace"}
    (workspace_root / "reader.toml").write_text("[user]\nname = 'Someone Else'\n", "utf-8")
    exported = run(workspace_root, "export", "--format", "json").stdout
    assert "Someone Else" not in exported and "Ada Lovelace" in exported
    assert run(workspace_root, "export", "--format", "markdown").stdout.startswith("---\n")


def test_an_imported_annotation_keeps_its_creator(user_file: Path, workspace_root: Path) -> None:
    (workspace_root / "reader.toml").write_text("[user]\nname = 'Ada'\n", encoding="utf-8")
    with Workspace.open(workspace_root) as workspace:
        workspace.annotate_quote(workspace.document(DOC), "practically impossible")
    exported = run(workspace_root, "export", "--format", "json").stdout
    other = workspace_root.parent / "other"
    (other / "corpus").mkdir(parents=True)
    for path in (workspace_root / "corpus").iterdir():
        (other / "corpus" / path.name).write_bytes(path.read_bytes())
    (other / "reader.toml").write_text("[user]\nname = 'Me'\n", encoding="utf-8")
    (other / "in.json").write_text(exported, encoding="utf-8")
    run(other, "import-annotations", str(other / "in.json"))
    [item] = json.loads(run(other, "export", "--format", "json").stdout)
    assert item["creator"]["name"] == "Ada"


def test_w3c_export_has_no_creator_without_a_name(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as workspace:
        workspace.annotate_quote(workspace.document(DOC), "practically impossible")
    [item] = json.loads(run(workspace_root, "export", "--format", "json").stdout)
    assert "creator" not in item


def test_show_names_keys_the_app_cannot_apply(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from reader.cli import cli

    config = tmp_path / "reader.toml"
    config.write_text('[keys]\nanotate = "h"\nmark = "e"\n', "utf-8")
    monkeypatch.setenv("READER_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["-w", str(tmp_path), "config", "show"])
    assert result.exit_code == 0
    assert "anotate: no binding has this id (did you mean annotate?)" in result.stderr
    assert "e clashes in MainScreen: edit (Edit), mark (Mark)" in result.stderr
