"""The `reader` command: a thin click layer over `Workspace`. JSON for tools, tables for people.

The group lives in commands.py; the commands of the other modules are imported only when
looked up (`LAZY_COMMANDS` there), so `reader --help` and `--version` start quickly. `main`
starts listing the corpus before importing any of it (early_listing.py).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.cli.commands import cli

__all__ = ["cli", "main"]


def main() -> None:
    from reader.cli.early_listing import early_listing

    listing = early_listing(sys.argv[1:])
    from reader.cli.commands import run

    run(listing)


def __getattr__(name: str) -> Any:
    if name == "cli":
        from reader.cli.commands import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
