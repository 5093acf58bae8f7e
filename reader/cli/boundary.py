"""Where what a user typed meets the program: arguments checked before a command runs, and every
error said in one safe line (no traceback, no live escape sequence, no unwritable byte)."""

from __future__ import annotations

import errno
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from reader.errors import ReaderError, UsageError, WouldReplace
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

MESSAGE_WIDTH = 500
"""Cells an error message may take: an argument of a megabyte is not echoed whole."""
USAGE = 2
"""The exit status of a command refused for what it was given (click's own, and ours)."""


def safe_message(text: str) -> str:
    """`text` as one line a terminal shows as it is: controls, bidi overrides and bytes that
    were not UTF-8 made visible stand-ins, and cut short."""
    return shorten(display_safe_line(text), MESSAGE_WIDTH)


class ReaderContext(click.Context):
    """A command's context that checks its arguments before its callback runs (so before the
    store is opened): text must be valid UTF-8."""

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        if callback is self.command.callback:
            check_arguments(self)
        return super().invoke(callback, *args, **kwargs)


def check_arguments(ctx: click.Context) -> None:
    """Refuse an argument the command could not use. On POSIX, Python decodes arguments that
    are not UTF-8 into lone surrogates, which SQLite and every output stream refuse: a note,
    tag or query with them is refused here. A path may be a real file name that is not UTF-8,
    so paths are let through (and shown with stand-ins)."""
    for param in ctx.command.params:
        if isinstance(param.type, click.Path):
            continue
        value = ctx.params.get(param.name or "")
        for item in value if isinstance(value, tuple | list) else (value,):
            if isinstance(item, str) and not _is_utf8(item):
                raise UsageError(f"{_label(ctx, param)} is not valid UTF-8")


def check_no_nul(args: list[str]) -> None:
    """A command line cannot hold a NUL (C strings end there), but a caller in Python can pass
    one (click's test runner, a script): refused before click takes a path with it to the
    file system, which raises ValueError."""
    if any("\0" in arg for arg in args):
        raise click.UsageError("an argument holds a NUL character")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _label(ctx: click.Context, param: click.Parameter) -> str:
    hint = param.get_error_hint(ctx).strip("'")
    return f"the argument {hint}" if isinstance(param, click.Argument) else f"the option {hint}"


def make_click_error_safe(exc: click.ClickException) -> click.ClickException:
    """click's own messages quote what was typed (`No such option: …`, `'…' is not a valid
    integer`): made safe in place, before click shows them."""
    exc.message = safe_message(exc.message)
    if isinstance(exc, click.FileError):
        exc.ui_filename = safe_message(exc.ui_filename)
    if isinstance(exc, click.BadParameter) and isinstance(exc.param_hint, str):
        exc.param_hint = safe_message(exc.param_hint)
    return exc


def fail(ctx: click.Context, message: str, code: int) -> NoReturn:
    click.echo(f"reader: {safe_message(message)}", err=True)
    ctx.exit(code)


def run_reporting_errors(ctx: click.Context, command: Callable[[], Any]) -> Any:
    """Run `command`; what goes wrong on the user's side becomes one line on stderr and an exit
    status (2: refused for what it was given; 1: the workspace or its store cannot be used)."""
    try:
        return command()
    except click.ClickException as exc:
        make_click_error_safe(exc)
        raise
    except WouldReplace as refused:  # every command lifts it the same way
        fail(ctx, f"{refused.shown} {refused.reason}; add --force to {refused.forced}", USAGE)
    except ReaderError as exc:
        fail(ctx, str(exc), exc.exit_code)
    except sqlite3.OperationalError as exc:
        fail(ctx, f"the annotation database is unavailable: {exc}", 1)
    except OverflowError:
        fail(ctx, "a number given is out of range", USAGE)
    except UnicodeError as exc:
        fail(ctx, _unicode_problem(exc), USAGE)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise  # the reader of our output left: click ends quietly
        fail(ctx, describe_os_error(exc), USAGE)


def _unicode_problem(exc: UnicodeError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 ({exc.reason})"
    return "a name or text that is not valid UTF-8 cannot be used here"


def describe_os_error(exc: OSError) -> str:
    """`path: reason`, as command-line tools say it (`…: File name too long`)."""
    reason = exc.strerror or str(exc)
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return ": ".join([*(shorten(display_safe_line(n), 120) for n in names), reason])


def read_stdin_text() -> str:
    """Standard input as text (`reader note ID -`), refused in one line if it is not UTF-8."""
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError:
        raise UsageError("standard input is not valid UTF-8") from None
    if not _is_utf8(text):  # read with surrogateescape, as Python does in the C locale
        raise UsageError("standard input is not valid UTF-8")
    return text
