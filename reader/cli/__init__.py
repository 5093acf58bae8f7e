"""The `reader` command: a thin click layer over `Workspace`. JSON for tools, tables for people.

The group lives in commands.py; the commands of the other modules are imported only when
looked up (`LAZY_COMMANDS` there), so `reader --help` and `--version` start quickly.
"""

from reader.cli.commands import cli, main

__all__ = ["cli", "main"]
