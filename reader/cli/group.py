"""The `reader` group's class: safe errors, checked arguments, and commands imported on demand.

A command's module is imported only when the command is looked up (click's LazyGroup pattern),
so `reader --version` loads none of them and `reader search` loads only search's.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

from reader.cli.boundary import (
    ReaderContext,
    check_no_nul,
    make_click_error_safe,
    run_reporting_errors,
)


class ReaderGroup(click.Group):
    """Turns what goes wrong on the user's side into one safe line on stderr and an exit code,
    never a traceback; every command under it checks its arguments before it runs.

    `lazy_commands` maps a command's name to "module:attribute", imported on first lookup."""

    context_class = ReaderContext
    group_class = type  # `@cli.group()` makes a ReaderGroup too

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        _check_arguments_of(cmd)
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module_name, _, attribute = self.lazy_commands[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):  # a wrong table entry is our bug
                raise TypeError(f"{self.lazy_commands[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            if parent is None:
                check_no_nul(args)
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:  # the main command's own options
            make_click_error_safe(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        return run_reporting_errors(ctx, lambda: super(ReaderGroup, self).invoke(ctx))


def _check_arguments_of(cmd: click.Command) -> None:
    """Give `cmd` and every command under it the context that checks arguments."""
    cmd.context_class = ReaderContext
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _check_arguments_of(sub)
