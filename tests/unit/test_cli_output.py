"""What the CLI prints of user and article text: inert on a terminal, exact into a pipe."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reader.cli import cli, output

DOC = "001_4310720f2bcf0b55"
# A clipboard write (OSC 52), a title set, a terminal reset, a cursor-position query (its
# answer arrives as typed input), an 8-bit CSI and a bidi override.
HOSTILE = "army chief \x1b]52;c;aGk=\x07 \x1b]0;owned\x07 \x1bc \x1b[6n \u009b31m \u202eevil"
LIVE = ["\x1b", "\x07", "\u009b", "\u202e"]


def run(root: Path, *args: str) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def hostile(workspace_root: Path) -> Path:
    run(workspace_root, "annotate", DOC, "--quote", "practically impossible", "--note", HOSTILE,
        "--tag", "arms")  # fmt: skip
    return workspace_root


def live_controls(text: str) -> list[str]:
    return [c for c in LIVE if c in text]


COMMANDS = [
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "--by", "tag"],
    ["annotations", "--json"],
    ["show", DOC, "--json"],
    ["search", "army chief", "--json"],
    ["annotations"],
    ["search", "army chief"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_printing_user_text_is_inert_on_a_terminal(
    hostile: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    exact = run(hostile, *args).stdout
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    shown = run(hostile, *args).stdout
    assert live_controls(shown) == []
    if "--json" in args or "json" in args:
        assert json.loads(shown) == json.loads(exact)  # the same JSON, written inertly
    elif args[0] == "export":  # Markdown escapes ] and = (␛\]52;c;aGk\=␇)
        assert "␛" in shown and "␇" in shown and shown.count("\n") == exact.count("\n")


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_into_a_pipe_the_export_is_exact(hostile: Path, fmt: str) -> None:
    exact = run(hostile, "export", "--format", fmt).stdout
    assert exact == run(hostile, "export", "--format", fmt, "-o", "-").stdout
    if fmt != "json":  # JSON escapes C0 controls itself; Markdown escapes ] and =
        assert "\x1b" in exact and "\x07" in exact
    assert "\u009b31m" in exact and "\u202eevil" in exact


@pytest.mark.skipif(sys.platform == "win32", reason="no pseudo-terminals")
@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_export_on_a_real_terminal_shows_stand_ins(hostile: Path, fmt: str) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "-w", str(hostile), "export", "--format", fmt],
            stdout=follower,
            stderr=subprocess.PIPE,
        )
        os.close(follower)
        chunks = []
        while True:  # until the command exits and the terminal has nothing more to read
            try:
                chunk = os.read(leader, 65536)
            except OSError as exc:
                assert exc.errno == errno.EIO
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    finally:
        os.close(leader)
    shown = b"".join(chunks).decode("utf-8")
    assert live_controls(shown) == [] and "␛" in shown and "␇" in shown


def test_text_helpers() -> None:
    assert output.for_terminal("a\r\nb\rc\x1b[2Jd\te\n") == "a\nb␍c␛[2Jd\te\n"
    text = json.dumps({"n": "x\u009by\u202ez\x7f"}, ensure_ascii=False)
    inert = output.json_for_terminal(text)
    assert live_controls(inert) == [] and "\x7f" not in inert
    assert json.loads(inert) == json.loads(text)
