"""The corpus listing started before click and the commands import (~30 ms sooner): the
workspace folder is read from the arguments the way the group reads them (`-w DIR`,
`--workspace DIR`, `--workspace=DIR`, `-wDIR`, else READER_WORKSPACE, else here). A wrong
guess costs only a listing stopped unused: `open_workspace` takes the listing only when it is
of the corpus it opens (reader/workspace/__init__.py, `start_corpus_listing`)."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.workspace import ListingCheck

_NO_LISTING = {"-h", "--help", "--version"}
_NO_WORKSPACE = {"init", "config"}  # commands that never sync a corpus
_FLAGS = {"--no-resume"}


def workspace_argument(args: list[str]) -> tuple[Path | None, str | None] | None:
    """The `-w` folder given before the command, and the command; None when no listing is
    wanted (help, version, an option this guess does not know)."""
    root: Path | None = None
    rest = iter(args)
    for arg in rest:
        if arg in _NO_LISTING:
            return None
        if arg in ("-w", "--workspace"):
            value = next(rest, None)
            if value is None:
                return None
            root = Path(value)
        elif arg.startswith("--workspace="):
            root = Path(arg.partition("=")[2])
        elif arg.startswith("-w") and not arg.startswith("--"):
            root = Path(arg[2:])
        elif arg in _FLAGS:
            continue
        elif arg.startswith("-"):
            return None
        else:
            return root, arg
    return root, None


def early_listing(args: list[str]) -> ListingCheck | None:
    """A listing of the corpus the command will sync, started now; None for the app (it syncs
    after its first frame), help, version and commands that open no workspace."""
    guess = workspace_argument(args)
    if guess is None or guess[1] is None or guess[1] in _NO_WORKSPACE:
        return None
    if any(arg in _NO_LISTING for arg in args):
        return None
    import reader.workspace  # light: what it holds loads on first use

    listing = reader.workspace.start_corpus_listing(guess[0])
    if listing is not None:
        atexit.register(listing.close)  # a command that never opened the workspace
    return listing
