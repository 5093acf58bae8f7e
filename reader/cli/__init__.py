"""The `reader` command: a thin click layer over `Workspace`. JSON for tools, tables for people."""

from reader.cli.commands import cli, main

__all__ = ["cli", "main"]
