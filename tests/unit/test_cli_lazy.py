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


UNUSED_BY_READING = (
    "yaml", "rapidfuzz", "textual", "rich", "trafilatura", "lxml", "pandas", "numpy",
    "http.client", "pypdf", "docx", "watchfiles", "reader.corpus.adding",
)  # fmt: skip
"""What a command on an unchanged corpus has no use for: front matter, fuzzy re-placing, the
app, web pages, documents to parse, and what sqlite-utils would load for nothing."""


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A synced workspace whose Markdown file has front matter (read with yaml when synced)."""
    from reader.workspace import Workspace

    root = tmp_path_factory.mktemp("lazy") / "ws"
    (root / "corpus").mkdir(parents=True)
    (root / "corpus" / "a.md").write_text("---\ntitle: Energy\n---\nPrices rose.\n", "utf-8")
    (root / "corpus" / "b.txt").write_text("An article on sanctions.\n", "utf-8")
    Workspace.open(root).close()
    return str(root)


@pytest.mark.parametrize(
    "args",
    [
        ("search", "energy"),
        ("annotations",),
        ("list", "--json"),
        ("annotate", "a.md", "--quote", "Prices"),
        ("annotate", "b", "--quote", "sanctions", "--tag", "t"),
        ("annotate", "#2", "--start", "3", "--end", "10"),
    ],
)
def test_commands_on_an_unchanged_corpus_load_only_what_they_use(
    synced: str, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, synced)
    loaded = loaded_after(*args)
    assert "reader.workspace" in loaded  # the command ran
    unused = {
        m for m in loaded for name in UNUSED_BY_READING if m == name or m.startswith(name + ".")
    }
    assert unused == set()


def test_sqlite_utils_loads_without_pandas_which_still_imports_for_others() -> None:
    code = (
        "import sys, reader.store, sqlite_utils.db\n"
        "assert sqlite_utils.db.pd is None and sqlite_utils.db.np is None\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules\n"
        "import pandas, numpy\n"
        "print(pandas.DataFrame({'a': numpy.arange(2)}).shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "(2, 1)\n"
