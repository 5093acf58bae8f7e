"""`reader --help` and `--version` start quickly (issue #16): the group imports a command's
module only when the command is looked up, and the CLI's modules load the store, the corpus and
their libraries only inside the commands that use them. Checked by what a subprocess loads,
never by timing it (bench/startup_bench.py measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from reader.cli import cli
from reader.cli.boundary import ReaderContext
from reader.cli.commands import LAZY_COMMANDS, WORKSPACE_ENV

HEAVY = ("sqlite_utils", "yaml", "rapidfuzz", "textual", "rich", "trafilatura", "pandas", "numpy")


def loaded_after(*args: str) -> list[str]:
    """The modules a fresh interpreter holds after running `reader ARGS` (exit status 0)."""
    code = (
        "import json, sys\n"
        "from reader.cli import main\n"
        f"sys.argv = ['reader', *{list(args)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("option", ["--help", "-h", "--version"])
def test_help_and_version_load_no_heavy_library(option: str) -> None:
    loaded = loaded_after(option)
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
    assert "reader.workspace" not in loaded and "reader.store" not in loaded


def test_version_loads_no_command_module() -> None:
    loaded = set(loaded_after("--version"))
    modules = {target.partition(":")[0] for target in LAZY_COMMANDS.values()}
    assert modules and not modules & loaded


def test_a_command_loads_its_own_module_only() -> None:
    loaded = set(loaded_after("search", "--help"))
    assert "reader.cli.search" in loaded
    assert {"reader.cli.tags", "reader.cli.attributes", "reader.cli.stats"}.isdisjoint(loaded)


def test_every_lazy_command_resolves_to_a_command_of_its_name() -> None:
    context = click.Context(cli)
    names = cli.list_commands(context)
    assert names == sorted(names) and set(LAZY_COMMANDS) <= set(names)
    for name in LAZY_COMMANDS:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name
    assert cli.get_command(context, "no-such-command") is None


def test_a_lazily_loaded_command_checks_its_arguments_like_the_others() -> None:
    context = click.Context(cli)
    tags = cli.get_command(context, "tags")
    assert isinstance(tags, click.Group) and tags.context_class is ReaderContext
    assert all(sub.context_class is ReaderContext for sub in tags.commands.values())
    assert cli.get_command(context, "search").context_class is ReaderContext


def test_a_nul_in_a_lazy_commands_argument_is_refused_in_one_line() -> None:
    from click.testing import CliRunner

    said = CliRunner().invoke(cli, ["tags", "describe", "a\x00b", "x"])
    assert said.exit_code == 2 and said.output == "Error: an argument holds a NUL character\n"


def test_the_workspace_variable_is_the_workspaces_own() -> None:
    from reader.workspace import WORKSPACE_ENV as workspace_env

    assert workspace_env == WORKSPACE_ENV
