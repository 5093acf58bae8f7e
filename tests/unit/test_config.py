"""The settings files (reader/config/loading.py): the user's reader.toml, then the workspace's,
key by key; what cannot be used is a problem naming the file, the line and what was expected,
and never an exception. `READER_CONFIG` points at a temporary file (conftest), never the user's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.config.loading import (
    CONFIG_ENV,
    MAX_CONFIG_BYTES,
    config_path,
    config_template,
    load_settings,
)
from reader.config.records import PANES, Settings
from reader.workspace import Workspace, create_user_config, folder_settings

FULL = """\
[keys]
annotate = "h"
"reader.find" = "ctrl+g"
library.open = "o,enter"

[ui]
theme = "reader"
library_width = 30
highlights_width = 40
panes = ["reader", "highlights"]
line_width = 72
library_sort = "date"

[export]
format = "json"
folder = "out/exports"

[tags]
palette = ["#E69F00", "#56b4e9"]

[user]
name = "  Ada Lovelace "
"""


@pytest.fixture
def user_file(_no_user_config: Path) -> Path:
    """Where the user's config file is for this test (conftest points READER_CONFIG there)."""
    _no_user_config.parent.mkdir(parents=True, exist_ok=True)
    return _no_user_config


def only(settings: Settings) -> str:
    assert len(settings.problems) == 1, settings.problems
    return settings.problems[0]


def test_config_path_is_the_environment_variable_else_the_config_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml" == Workspace.config_path()
    monkeypatch.delenv(CONFIG_ENV)
    assert config_path().parts[-2:] == ("reader", "reader.toml")


def test_missing_files_mean_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert load_settings(None) == Settings()


def test_a_valid_file_sets_every_setting(user_file: Path, tmp_path: Path) -> None:
    user_file.write_text(FULL, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.problems == () and settings.sources == (str(user_file),)
    assert settings.keys == {"annotate": "h", "reader.find": "ctrl+g", "library.open": "o,enter"}
    ui = settings.ui
    assert (ui.theme, ui.library_width, ui.highlights_width) == ("reader", 30, 40)
    assert (ui.panes, ui.line_width, ui.library_sort) == (("reader", "highlights"), 72, "date")
    assert settings.export.format == "json"
    assert settings.export.folder == str(tmp_path / "out" / "exports")  # in the workspace
    assert settings.tags.palette == ("#e69f00", "#56b4e9")
    assert settings.user.name == "Ada Lovelace"


def test_the_template_is_all_defaults_and_every_line_of_it_is_valid(user_file: Path) -> None:
    user_file.write_text(config_template(), encoding="utf-8")
    assert load_settings(None) == Settings(sources=(str(user_file),))
    uncommented = re.sub(r"(?m)^# ([\w\"]+[\w.\"]* = )", r"\1", config_template())
    user_file.write_text(uncommented, encoding="utf-8")
    settings = load_settings(None)
    assert settings.problems == ()
    assert settings.keys == {"annotate": "h", "reader.find": "ctrl+g"}
    assert settings.ui.theme == "reader" and settings.user.name == "Your Name"
    assert len(settings.tags.palette) == 7


def test_invalid_toml_names_the_file_and_line_and_the_other_file_still_counts(
    user_file: Path, tmp_path: Path
) -> None:
    user_file.write_text('[ui]\ntheme = "reader"\nline_width = \n', encoding="utf-8")
    (tmp_path / "reader.toml").write_text("[user]\nname = 'Ada'\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    problem = only(settings)
    assert problem.startswith(f"{user_file}:3: not valid TOML")
    assert "(at line 3, column 14)" in problem and "not used" in problem
    assert settings.ui == Settings().ui  # nothing of the broken file is used
    assert settings.user.name == "Ada"


def test_unknown_keys_and_sections_are_named_with_the_nearest_known_one(user_file: Path) -> None:
    user_file.write_text(
        'line_width = 90\n[ui]\nthem = "x"\nformat = "csv"\n[usr]\nname = "A"\n[ui.more]\n',
        encoding="utf-8",
    )
    problems = {p.split(": ")[1]: p for p in load_settings(None).problems}
    assert len(problems) == 5
    assert problems["line_width"] == (
        f"{user_file}:1: line_width: not in a section (did you mean ui.line_width?)"
    )
    assert problems["ui.them"].startswith(
        f"{user_file}:3: ui.them: unknown setting (did you mean ui.theme?); [ui] has theme, "
    )
    assert problems["ui.format"].startswith(
        f"{user_file}:4: ui.format: unknown setting (did you mean export.format?)"
    )
    assert problems["usr"] == (
        f"{user_file}:5: usr: unknown section (did you mean user?); "
        "the sections are [keys], [ui], [export], [tags], [corpus], [user]"
    )
    assert problems["ui.more"].startswith(f"{user_file}:7: ui.more: unknown setting;")


def test_wrong_types_and_values_are_each_a_problem_and_the_rest_is_used(user_file: Path) -> None:
    user_file.write_text(
        "[ui]\n"
        'line_width = "wide"\n'
        "library_width = true\n"
        "highlights_width = 5\n"
        'library_sort = "size"\n'
        'panes = ["library", "notes"]\n'
        'theme = "reader"\n'
        "[export]\n"
        'format = "pdf"\n'
        "[tags]\n"
        'palette = ["#ff0000", "reddish"]\n'
        "[keys]\n"
        "annotate = 5\n"
        'quit = "q"\n'
        "[user]\n"
        f'name = "{"x" * 101}"\n',
        encoding="utf-8",
    )
    settings = load_settings(None)
    found = {p.split(": ")[1]: p for p in settings.problems}
    assert set(found) == {
        "ui.line_width", "ui.library_width", "ui.highlights_width", "ui.library_sort",
        "ui.panes", "export.format", "tags.palette", "keys.annotate", "user.name",
    }  # fmt: skip
    assert found["ui.line_width"] == (
        f"{user_file}:2: ui.line_width: expected a whole number of columns from 20 to 1000, "
        "or 0 for the pane's width, got 'wide'"
    )
    assert "got true" in found["ui.library_width"] and "got 5" in found["ui.highlights_width"]
    assert '"title", "date" or "annotations"' in found["ui.library_sort"]
    assert "unknown pane 'notes'" in found["ui.panes"]
    assert "got 'pdf'" in found["export.format"]
    assert (
        f"{user_file}:11:" in found["tags.palette"]
        and "'reddish' is not a colour" in found["tags.palette"]
    )
    assert "at most 100 characters" in found["user.name"]
    assert settings.ui.theme == "reader" and settings.keys == {"quit": "q"}
    assert settings.ui.line_width == 80 and settings.ui.panes == PANES  # the defaults stand


def test_the_workspace_file_overrides_the_user_file_key_by_key(
    user_file: Path, tmp_path: Path
) -> None:
    user_file.write_text(
        '[ui]\ntheme = "nord"\nline_width = 100\n[keys]\nannotate = "h"\nquit = "q"\n'
        '[export]\nfolder = "~/exports"\n',
        encoding="utf-8",
    )
    (tmp_path / "reader.toml").write_text(
        '[ui]\nline_width = 0\n[keys]\nannotate = "x"\n[user]\nname = "Ada"\n', encoding="utf-8"
    )
    settings = load_settings(tmp_path)
    assert settings.problems == ()
    assert settings.sources == (str(user_file), str(tmp_path / "reader.toml"))
    assert (settings.ui.theme, settings.ui.line_width) == ("nord", 0)
    assert settings.keys == {"annotate": "x", "quit": "q"}
    assert settings.export.folder == str(Path("~/exports").expanduser())
    assert settings.user.name == "Ada"


def test_workspace_settings_are_read_once_and_again_on_reload(
    user_file: Path, empty_root: Path
) -> None:
    (empty_root / "reader.toml").write_text("[ui]\nline_width = 60\n", encoding="utf-8")
    with Workspace.open(empty_root) as workspace:
        assert workspace.settings.ui.line_width == 60
        user_file.write_text("[ui]\ntheme = 'nord'\n", encoding="utf-8")
        assert workspace.settings.ui.theme is None  # read once
        assert workspace.reload_settings().ui.theme == "nord"
        assert workspace.settings.ui.line_width == 60
        assert workspace.exports_dir == empty_root / "exports"


def test_folder_settings_read_a_reader_toml_only_in_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "reader.toml").write_text("[ui]\nline_width = 60\n", encoding="utf-8")
    assert folder_settings(tmp_path).ui.line_width == 80  # no corpus/: not a workspace
    (tmp_path / "corpus").mkdir()
    assert folder_settings(tmp_path).ui.line_width == 60


def test_create_user_config_writes_the_template_once(user_file: Path) -> None:
    user_file.parent.rmdir()
    assert create_user_config() == user_file
    assert user_file.read_text("utf-8") == config_template()
    user_file.write_text("[user]\nname = 'Ada'\n", encoding="utf-8")
    create_user_config()
    assert "Ada" in user_file.read_text("utf-8")  # an existing file is left as it is


def test_a_huge_file_is_not_read(user_file: Path) -> None:
    user_file.write_text("# " + "x" * MAX_CONFIG_BYTES + "\n[ui]\ntheme = 'nord'\n")
    settings = load_settings(None)
    assert "larger than 1,000,000 bytes" in only(settings) and settings.ui.theme is None


def test_unreadable_files_are_problems_not_errors(user_file: Path) -> None:
    user_file.write_text("a = " + "[" * 100_000)  # would exhaust the parser's recursion
    assert "nested too deeply" in only(load_settings(None))
    user_file.write_bytes(b'[user]\nname = "\xff"\n')
    assert only(load_settings(None)).startswith(f"{user_file}:2: not UTF-8 text")
    user_file.unlink()
    user_file.mkdir()
    assert "cannot read it" in only(load_settings(None))


HOSTILE = "\x1b]52;c;aGk=\x07\x1b[2J\u202e"
HOSTILE_TOML = "\\u001b]52;c;aGk=\\u0007\\u001b[2J\u202e"  # TOML escapes, as a file says it


def test_hostile_strings_are_refused_and_quoted_inertly(user_file: Path) -> None:
    user_file.write_text(
        f'[user]\nname = "Ada{HOSTILE_TOML}"\n'
        f'[keys]\n"{HOSTILE_TOML}" = "h"\nfind = "ctrl+f{HOSTILE_TOML}"\n'
        f'[ui]\n"{HOSTILE_TOML}" = 1\ntheme = "{HOSTILE_TOML}"\n',
        encoding="utf-8",
    )
    settings = load_settings(None)
    assert settings.user.name is None and settings.keys == {} and settings.ui.theme is None
    assert len(settings.problems) == 5
    for problem in settings.problems:
        assert all(ch.isprintable() for ch in problem), problem  # escapes, never the characters
    assert "without control characters" in settings.problems[0]
    user_file.write_text(f'[user]\nname = "{HOSTILE}"\n', encoding="utf-8")  # raw: not TOML
    assert only(load_settings(None)).isprintable()


def test_relative_export_folder_without_a_workspace_stays_relative(user_file: Path) -> None:
    user_file.write_text('[export]\nfolder = "exports/mine"\n', encoding="utf-8")
    assert load_settings(None).export.folder == str(Path("exports/mine"))


def test_a_palette_takes_colours_as_the_tags_view_does(user_file: Path) -> None:
    user_file.write_text('[tags]\npalette = ["red", "#0af", "#E69F00"]\n', encoding="utf-8")
    settings = load_settings(None)
    assert settings.problems == ()
    assert settings.tags.palette == ("#e06c75", "#00aaff", "#e69f00")
