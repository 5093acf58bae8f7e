"""Every `reader` command fuzzed (issue #15): hostile text, numbers and paths through click's
CliRunner, for each command the `cli` group holds (found by walking it, so a new command is
fuzzed without being listed here).

Whatever it is given, a command ends with exit status 0 or 2 and no traceback; a refused one
(2) leaves the store as it was; nothing on stderr is a live escape sequence. The app never
starts (`run_app` is stubbed), no socket reaches the network, `$EDITOR` is `true`, and every
path a command may write is inside the test's own folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import cli
from tests.conftest import SAMPLE_CORPUS
from tests.unit.store_snapshot import store_rows

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "30"))
"""Examples per command: about forty commands at 30 run in under a minute (set the variable
higher for a deeper search, as before a release)."""
DOC = "001_4310720f2bcf0b55"
LIVE_CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {
    chr(c) for c in range(0x7F, 0xA0)
} | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    context = click.Context(group)  # list_commands/get_command: the group loads them lazily
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [(), *_commands(cli)]  # () is `reader` alone, which opens the app


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, path
        command = found
    return command


# What a hostile user types

HANDLES = [
    "2", "#1", "#2", "#0", "#9223372036854775808", "0002", DOC, f"{DOC}.txt", "2.txt",
    "000_1d5d00d34374701d", "https://example.invalid/a", "arms", "actor/russia", "actor",
    str(2**63), str(2**64), "-1",
]  # fmt: skip
HOSTILE = [
    "", " ", "-", "--", "-1", "--help", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\x9b31m", "\u202e",
    "\udcff", "caf\udce9", "\ud800", "\x00", "a\nb", "\r", "\t", "#", "/", "//", "a/../b",
    "x" * 5000, "💥", "e\u0301", "tag:arms", "doc:2", '"', "'", "outlet=ECFR",
    "year=2022..2024", "site=", "=", "..", "[bold]x[/]", "%s%n", "{0}", "NaN", "1e999",
    "javascript:alert(1)", "file:///dev/null", "http://[::1", "https://127.0.0.1:9/x",
    "#ff0000", "red", "\u200b", "\ufeff", "A" * 300,
]  # fmt: skip
ANY_CHARACTER = st.characters(codec=None, categories=["L", "N", "P", "S", "Z", "C"])
RANDOM_TEXT = st.text(alphabet=ANY_CHARACTER, max_size=24)
TEXT = st.one_of(
    st.sampled_from(HANDLES),
    st.sampled_from(HOSTILE),
    RANDOM_TEXT,
    st.tuples(st.sampled_from(HOSTILE + HANDLES), RANDOM_TEXT).map("".join),
)
ODD_NUMBERS = [
    "0", "1", "2", "3", "-1", str(2**63 - 1), str(2**63), str(2**64), str(-(2**63) - 1),
    "1e999", "nan", "inf", "0x10", " 7", "٣", "1_000", "9" * 40, "", "abc", "\udcff",
]  # fmt: skip
NUMBERS = st.one_of(
    st.sampled_from(["1", "2"]),  # the template's highlights
    st.sampled_from(ODD_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# Paths: relative to the test's own folder. Devices are copies made there (`dev-null`,
# `dev-full`): as root, a regression that replaced the system's /dev/null would break the machine.
LONG_NAME = "n" * 300  # over NAME_MAX
LONG_PATH = "/".join(["d" * 200] * 30)  # over PATH_MAX
READ_PATHS = [
    "annotations.json", "codebook.csv", "attributes.csv", "garbage.bin", "not-utf8.txt",
    "empty.txt", "a-folder", "missing.json", "no/such/folder/x.json", LONG_NAME, LONG_PATH,
    "a-file/x", "caf\udce9.json", "\x1b[2J.json", "dev-null", ".", "", "~no-such-user/x.json",
]  # fmt: skip
WRITE_PATHS = [
    "out.md", "out.csv", "out.json", "sub/out.md", "a-folder", "a-file/x", "-", ".", "",
    LONG_NAME, LONG_PATH, "no/such/folder/out.md", "caf\udce9.md", "\x1b]0;title\x07.md",
    "a\nb.md", "dev-null", "dev-full", "new-workspace", "~no-such-user/out.md",
]  # fmt: skip
# Random names are one component under `./`: never absolute, never `../..`.
RANDOM_PATH = RANDOM_TEXT.map(lambda text: "./" + text.replace("/", "_"))
ADDRESSES = [
    "http://example.invalid/a", "https://127.0.0.1:9/x", "ftp://x/y", "http://[::1",
    "https://", "mailto:a@b", "page.html", "doc.pdf",
]  # fmt: skip
SOURCES = st.one_of(st.sampled_from(READ_PATHS), RANDOM_PATH, st.sampled_from(ADDRESSES))
STDIN = st.one_of(
    st.none(),
    st.sampled_from([b"\xff\xfe", b"caf\xe9\n", b"note \x1b[2J\n", b"", b"\x00"]),
    st.binary(max_size=40),
)


def _values(param: click.Parameter) -> st.SearchStrategy[str]:
    """Hostile values of the kind `param` takes, and now and then of another kind."""
    kind = param.type
    if isinstance(kind, click.Choice):
        fitting = st.sampled_from([str(choice) for choice in kind.choices])
    elif isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        fitting = NUMBERS
    elif isinstance(kind, click.Path):
        named = READ_PATHS if kind.exists else WRITE_PATHS
        fitting = st.one_of(st.sampled_from(named), RANDOM_PATH)
    elif param.name == "sources" and isinstance(param, click.Argument):
        fitting = SOURCES  # `reader add`: files and addresses
    else:
        fitting = TEXT
    if isinstance(kind, click.Path):
        return fitting  # never a random string as a path: it could name anything
    return st.one_of(fitting, fitting, TEXT, st.just("-"))  # "-": read standard input


@st.composite
def invocations(draw: st.DrawFn, path: tuple[str, ...]) -> list[str]:
    """`path` with options and arguments drawn for its parameters, sometimes a stray extra."""
    command = _command(path)
    options: list[str] = []
    arguments: list[str] = []
    for param in command.params:
        if isinstance(param, click.Option):
            if param.name in ("version", "root"):  # -w is the sandbox's (fuzzed apart)
                continue
            name = max(param.opts, key=len)
            if param.is_flag:
                options += [name] if draw(st.booleans()) else []
                continue
            count = draw(st.integers(0, 2)) if param.multiple else draw(st.integers(0, 1))
            for _ in range(count):
                options += [name, draw(_values(param))]
        elif isinstance(param, click.Argument):
            if param.nargs == -1:
                arguments += draw(st.lists(_values(param), min_size=0, max_size=3))
            elif draw(st.integers(0, 9)) > 0:  # now and then left out
                arguments.append(draw(_values(param)))
    if draw(st.booleans()):
        arguments.insert(0, "--")  # what follows is never an option
    if draw(st.integers(0, 9)) == 0:  # a stray value, where a left-out argument could take it
        takes_a_path = any(
            isinstance(p, click.Argument) and isinstance(p.type, click.Path)
            for p in command.params
        )  # as a path it stays under ./ (never `reader init /` as root)
        arguments.append(draw(RANDOM_PATH if takes_a_path else TEXT))
    return [*path, *options, *arguments]


# The workspace every example starts from


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    """The sample corpus plus `2.txt` (its stem is also an id), two highlights with tags and
    notes, attributes; synced, with the files an input path may name beside it. Its rows."""
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "ws"
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    (root / "corpus" / "2.txt").write_text("A file called two.\n", "utf-8")
    runner = CliRunner()
    for args in (
        ["annotate", DOC, "--quote", "practically impossible", "--tag", "arms", "--note", "n"],
        ["annotate", "#1", "--quote", "Serbia", "--occurrence", "2", "--tag", "actor/russia"],
        ["attr", "set", DOC, "outlet=ECFR", "wave=2"],
        ["export", "--format", "json", "-o", str(base / "files" / "annotations.json")],
        ["tags", "export", "-o", str(base / "files" / "codebook.csv")],
        ["attr", "export", "-o", str(base / "files" / "attributes.csv")],
    ):
        result = runner.invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    files = base / "files"
    (files / "garbage.bin").write_bytes(bytes(range(256)) * 4)
    (files / "not-utf8.txt").write_bytes(b"caf\xe9 \xff\n")
    (files / "empty.txt").write_bytes(b"")
    (files / "a-folder").mkdir()
    (files / "a-file").write_text("a file where a folder is wanted\n", "utf-8")
    return base, store_rows(root)


@pytest.fixture
def sandbox(
    template: tuple[Path, dict[str, list[tuple]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Path, Path]]:
    """(the template, the folder each example runs in); no app, no network, a harmless
    editor."""
    monkeypatch.setattr("reader.ui.app.run_app", lambda *args, **kwargs: None)

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError(101, "the network is off in tests")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("READER_WORKSPACE", raising=False)
    work = tmp_path / "work"
    monkeypatch.chdir(tmp_path)
    yield template[0], work


def _fresh(template: Path, work: Path) -> Path:
    """The workspace as the template has it (copies keep their times: nothing to re-sync)."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work, symlinks=True)
    os.chdir(work / "files")
    _device_copies(work / "files")
    return work / "ws"


def _device_copies(folder: Path) -> None:
    """`dev-null` and `dev-full` beside the inputs: as root, new nodes of the same devices (a
    write reader wrongly took for a file would replace these, never the system's); otherwise
    FIFOs, which reader must refuse just the same (and non-root cannot replace /dev)."""
    for name, minor in (("dev-null", 3), ("dev-full", 7)):
        if os.geteuid() == 0:
            os.mknod(folder / name, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        else:
            os.mkfifo(folder / name)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "reader")
def test_every_command_survives_hostile_input(
    path: tuple[str, ...],
    sandbox: tuple[Path, Path],
    template: tuple[Path, dict[str, list[tuple]]],
) -> None:
    base, work = sandbox
    rows = template[1]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(args=invocations(path), stdin=STDIN)
    def survives(args: list[str], stdin: bytes | None) -> None:
        root = _fresh(base, work)
        result = CliRunner().invoke(cli, ["-w", str(root), *args], input=stdin, color=True)
        said = f"reader {args!r} (stdin {stdin!r}) said:\n{result.output}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(said) from result.exception
        assert result.exit_code in (0, 2), said
        assert "Traceback" not in result.output, said
        assert not LIVE_CONTROLS & set(result.stderr), said
        if result.exit_code != 0:
            assert store_rows(root) == rows, said

    survives()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    folder=st.one_of(st.sampled_from(WRITE_PATHS + READ_PATHS), RANDOM_PATH),
    command=st.sampled_from([["list"], ["sync"], ["show", DOC], ["tags"], ["config", "show"]]),
)
def test_a_workspace_that_is_none_is_one_line(
    folder: str, command: list[str], sandbox: tuple[Path, Path]
) -> None:
    """`-w FOLDER` that is no workspace: one line, exit status 1 (no corpus/ there: the
    workspace cannot be used) or 2 (a path the file system refuses)."""
    base, work = sandbox
    _fresh(base, work)
    result = CliRunner().invoke(cli, ["-w", folder, *command], color=True)
    said = f"reader -w {folder!r} {command} said:\n{result.output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(said) from result.exception
    assert result.exit_code in (0, 1, 2), said
    assert not LIVE_CONTROLS & set(result.stderr), said
    if result.exit_code:
        assert result.stderr.startswith(("reader: ", "Usage: ")), said


def test_every_command_is_fuzzed() -> None:
    """The walk finds the commands of every group, nested ones included."""
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "open", "show", "tag add", "tags rename", "attr import", "config edit"} <= names
    assert len(names) >= 40
