"""What the CLI prints of user and article text: exact into a pipe or a file, inert on a terminal.

Articles, notes, tags and titles may hold escape sequences: an OSC 52 clipboard write, a window
title set, a terminal reset, a query whose answer the terminal types back in. Into a pipe or a
file they pass byte for byte, so `reader export > notes.md` is exact; on a terminal every
control character but newline and tab becomes a visible stand-in (reader/text/sanitize.py), as
`reader show` always did. A write that fails (a full disk, stdout on /dev/full) is one line on
stderr, not a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sys
from collections.abc import Iterable

from reader.errors import UsageError
from reader.text.sanitize import display_safe

# What json.dumps(ensure_ascii=False) leaves raw that a terminal acts on or reorders: DEL, the
# C1 controls (0x9b is a CSI on its own) and the bidi controls. C0 controls it escapes itself.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (a closed or odd stream is not)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def for_terminal(text: str) -> str:
    """`text` with no live control character left but newline and tab (CRLF counts as one)."""
    return display_safe(text.replace("\r\n", "\n"))


def json_for_terminal(text: str) -> str:
    """JSON text whose raw C1 and bidi controls are written as \\uXXXX: the same JSON, inert."""
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _stop_writing_stdout() -> None:
    """Point file descriptor 1 at the null device, so Python's last flush on exit cannot fail
    again on what is still buffered (and print a traceback after our one line)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def write_stdout(text: str) -> None:
    """Write and flush `text` to standard output; a failed write is a UsageError saying why.
    A closed pipe (`| head`) is left to click, which ends the command quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        _stop_writing_stdout()
        raise UsageError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def echo_text(text: str, nl: bool = False, is_json: bool = False) -> None:
    """Print user or article text: exactly into a pipe or file, inert on a terminal (JSON
    text stays the same JSON); `nl` adds a newline unless the text already ends with one."""
    if nl and not text.endswith("\n"):
        text += "\n"
    if stdout_is_terminal():
        text = json_for_terminal(text) if is_json else for_terminal(text)
    write_stdout(text)


def echo_json(data: object) -> None:
    """Print `data` as indented JSON (non-ASCII as itself), inert on a terminal."""
    echo_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", is_json=True)


def echo_json_array(items: Iterable[object], batch: int = 256) -> None:
    """Print `items` as `echo_json` prints their list, byte for byte, written as they come (a
    batch at a time): `reader list --json | head` shows its first lines at once and stops
    when the pipe closes, instead of reading 100,000 documents first."""
    lines: list[str] = []
    first = True
    for item in items:
        element = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        lines.append(("[\n  " if first else ",\n  ") + element)
        first = False
        if len(lines) >= batch:
            echo_text("".join(lines), is_json=True)
            lines.clear()
    lines.append("[]\n" if first else "\n]\n")
    echo_text("".join(lines), is_json=True)
