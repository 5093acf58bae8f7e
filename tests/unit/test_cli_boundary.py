"""What a user types that the program cannot use (issue #15): arguments and standard input that
are not UTF-8, numbers no id can be, paths the file system refuses, and escape sequences in
what error messages quote. Each is one line on stderr, exit status 2, the store unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.errors import UsageError
from reader.text.typed_path import expand_home
from reader.workspace import init_workspace
from tests.unit.store_snapshot import store_rows

DOC = "001_4310720f2bcf0b55"
NOT_UTF8 = b"caf\xe9 \xff".decode("utf-8", "surrogateescape")  # as Python decodes argv
HUGE = str(2**63)
LONG = "x" * 5000  # longer than any file name or path a file system takes
ESCAPES = "\x1b]52;c;aGk=\x07\x1b[2J\x9b31m\u202e"


def run(root: Path, *args: str, code: int = 0, stdin: bytes | None = None) -> click.testing.Result:
    """`reader -w ROOT ARGS` as a terminal would get it (color=True: click strips nothing)."""
    result = CliRunner().invoke(cli, ["-w", str(root), *args], input=stdin, color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(autouse=True)
def _no_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`reader open` runs no app here (what matters is what it refuses before), and relative
    paths land in a temporary folder."""
    monkeypatch.setattr("reader.ui.app.run_app", lambda *args, **kwargs: None)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def annotated(workspace_root: Path) -> tuple[Path, str]:
    """The sample workspace with one highlight tagged `arms`; its id."""
    made = run(workspace_root, "annotate", DOC, "--quote", "practically impossible",
               "--tag", "arms", "--json")  # fmt: skip
    return workspace_root, str(json.loads(made.stdout)["id"])


def refused(root: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run a command that must be refused, the store unchanged; what it says on stderr: one
    line of ours, or click's usage lines and its `Error:` line."""
    before = store_rows(root)
    result = run(root, *args, code=2, stdin=stdin)
    assert store_rows(root) == before
    lines = result.stderr.splitlines()
    assert result.stdout == "" and lines, result.stderr
    assert len(lines) == 1 or lines[-1].startswith("Error: "), result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["annotate", DOC, "--quote", "impossible", "--note", NOT_UTF8], "the option --note"),
        (["annotate", DOC, "--quote", "impossible", "--tag", NOT_UTF8], "the option --tag"),
        (["annotate", DOC, "--quote", NOT_UTF8], "the option --quote"),
        (["tag", "add", "{id}", NOT_UTF8], "the argument TAG"),
        (["note", "{id}", NOT_UTF8], "the argument TEXT"),
        (["tags", "create", NOT_UTF8], "the argument PATH"),
        (["tags", "rename", "arms", NOT_UTF8], "the argument NEW"),
        (["tags", "describe", "arms", NOT_UTF8], "the argument TEXT"),
        (["meta", DOC, "--title", NOT_UTF8], "the option --title"),
        (["attr", "set", DOC, f"outlet={NOT_UTF8}"], "the argument KEY=VALUE..."),
        (["search", NOT_UTF8], "the argument QUERY..."),
        (["show", NOT_UTF8], "the argument DOC"),
        (["export", "--tag", NOT_UTF8], "the option --tag"),
    ],
)
def test_text_that_is_not_utf8_is_refused_by_name(
    annotated: tuple[Path, str], args: list[str], what: str
) -> None:
    root, ann_id = annotated
    args = [arg.replace("{id}", ann_id) for arg in args]
    assert refused(root, *args) == f"reader: {what} is not valid UTF-8\n"


def test_standard_input_that_is_not_utf8_is_refused(annotated: tuple[Path, str]) -> None:
    root, ann_id = annotated
    for args in (["note", ann_id, "-"], ["tags", "describe", "arms", "-"]):
        said = refused(root, *args, stdin=b"caf\xe9\n")
        assert said == "reader: standard input is not valid UTF-8\n"


def test_a_real_argv_that_is_not_utf8_is_one_line(annotated: tuple[Path, str]) -> None:
    """Through a real process: the bytes as the shell passes them, Python's own decoding."""
    root, _ = annotated
    before = store_rows(root)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "-w", str(root), "tags", "create", b"caf\xe9"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "", "LC_ALL": "C.UTF-8"},
    )
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"reader: the argument PATH is not valid UTF-8\n"
    assert store_rows(root) == before


def test_a_path_that_is_not_utf8_is_a_file_name_like_any(
    annotated: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = annotated
    target = tmp_path / f"codebook {NOT_UTF8}.csv"
    result = run(root, "tags", "export", "-o", str(target))
    assert os.fsencode(target).endswith(b"codebook caf\xe9 \xff.csv") and target.is_file()
    assert result.stderr == f"wrote {tmp_path}/codebook caf\ufffd \ufffd.csv\n"


@pytest.mark.parametrize(
    "args",
    [
        ["tag", "add", HUGE, "arms"],
        ["tag", "remove", str(2**64), "arms"],
        ["note", HUGE, "x"],
        ["delete", HUGE],
        ["delete", "--", "-1"],
        ["tags", "bulk-add", "x", "--doc", f"#{HUGE}"],
    ],
)
def test_ids_past_sqlites_range_are_no_annotation(
    annotated: tuple[Path, str], args: list[str]
) -> None:
    root, _ = annotated
    said = refused(root, *args)
    assert said.startswith("reader: no annotation with id ") or said.startswith(
        f"reader: no document #{HUGE}"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["annotate", DOC, "--start", HUGE, "--end", str(2**64)],
        ["annotate", DOC, "--quote", "impossible", "--occurrence", HUGE],
        ["open", DOC, "--at", HUGE],
        ["open", DOC, "--at", "2213"],  # one past the end of its text
    ],
)
def test_other_numbers_past_range_are_one_line(
    annotated: tuple[Path, str], args: list[str]
) -> None:
    root, _ = annotated
    assert refused(root, *args).startswith("reader: ")


def test_numbers_past_range_that_mean_no_limit_are_taken(annotated: tuple[Path, str]) -> None:
    root, _ = annotated
    assert "arms" in run(root, "stats", "--depth", HUGE).stdout
    assert run(root, "search", "serbia", "--limit", HUGE, "--json").stdout.startswith("[")
    assert len(run(root, "show", DOC).stdout) == 2212
    run(root, "open", DOC, "--at", "2212")  # the very end


@pytest.mark.parametrize(
    "args",
    [
        ["import-annotations", LONG],
        ["export", "-o", LONG],
        ["export", "-o", f"{LONG}/notes.md"],
        ["tags", "export", "-o", LONG],
        ["tags", "import", LONG],
        ["attr", "export", "-o", LONG],
        ["attr", "import", LONG],
        ["init", LONG],
        ["export", "-o", "corpus-file/notes.md"],  # a file where a folder should be
        ["tags", "export", "-o", "corpus-file/codebook.csv"],
        ["attr", "export", "-o", "corpus-file/attributes.csv"],
    ],
)
def test_paths_the_file_system_refuses_are_one_line(
    annotated: tuple[Path, str], args: list[str]
) -> None:
    root, _ = annotated
    Path("corpus-file").write_text("not a folder\n", "utf-8")
    said = refused(root, *args).splitlines()[-1]
    assert LONG not in said and len(said) < 560  # the path cut short


def test_a_workspace_path_too_long_is_one_line(tmp_path: Path) -> None:
    result = run(tmp_path / LONG, "list", code=2)
    assert result.stderr.startswith("reader: ") and result.stderr.count("\n") == 1
    assert "File name too long" in result.stderr and LONG not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", ESCAPES],
        ["annotate", ESCAPES, "--quote", "x"],
        ["export", "--doc", ESCAPES],
        ["tags", "rename", ESCAPES, "x"],
        ["tags", "color", "arms", ESCAPES],
        ["attr", "set", DOC, ESCAPES],
        ["attr", "unset", DOC, ESCAPES],
        ["stats", "--by", ESCAPES],
        ["tag", "add", ESCAPES, "x"],  # click's own: not a valid integer
        ["annotations", "--status", ESCAPES],  # click's own: not one of the choices
        [f"--{ESCAPES}"],  # click's own: no such option
        [ESCAPES],  # click's own: no such command
        ["import-annotations", ESCAPES],  # click's own: does not exist
        ["show", f"https://example.org/{ESCAPES}"],
    ],
)
def test_messages_never_echo_escape_sequences(
    annotated: tuple[Path, str], args: list[str]
) -> None:
    root, _ = annotated
    before = store_rows(root)
    result = run(root, *args, code=2)
    assert store_rows(root) == before
    for live in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert live not in result.output


@pytest.mark.parametrize(
    "args",
    [["import-annotations", "a\0b.json"], ["init", "a\0b"], ["tags", "create", "a\0b"]],
)
def test_a_nul_in_an_argument_is_refused(annotated: tuple[Path, str], args: list[str]) -> None:
    """No shell can pass one, but a script calling the CLI in Python can."""
    root, _ = annotated
    assert refused(root, *args).splitlines()[-1] == "Error: an argument holds a NUL character"


def test_init_refuses_a_folder_the_file_system_refuses(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="File name too long"):
        init_workspace(tmp_path / LONG)


def test_a_home_of_no_user_is_a_name_like_any(annotated: tuple[Path, str]) -> None:
    """`~name` of no user: Python's expanduser raises RuntimeError; a shell leaves the word."""
    root, _ = annotated
    assert expand_home("~no-such-user-here/x.txt") == Path("~no-such-user-here/x.txt")
    assert expand_home("~/x.txt") == Path.home() / "x.txt"
    said = refused(root, "add", "~no-such-user-here/article.txt")
    assert said.startswith("reader: ~no-such-user-here/article.txt: ")
    result = run(Path("~no-such-user-here"), "list", code=1)
    assert result.stderr.startswith("reader: ~no-such-user-here is not a folder")
