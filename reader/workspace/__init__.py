"""The one domain API the CLI and the TUI share: a folder with `corpus/` and `annotations.db`.

`Workspace` is the faces' one door (checked by import-linter). Its core (the store, settings,
corpus, documents, metadata and attributes) is `WorkspaceBase` in base.py; the folder before it
is opened (creating one, its settings files) is folder.py.

The package loads lazily (PEP 562): `Workspace` and the folder's helpers are imported on first
use, so that a command can start listing the corpus (`start_corpus_listing`) before the store,
the search engine and the rest are imported: at 100,000 files the listing then runs on the other
core while they load.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.corpus.listing_check import ListingCheck
    from reader.workspace.api import Workspace
    from reader.workspace.base import WorkspaceBase
    from reader.workspace.folder import (
        CORPUS_DIR,
        DATABASE_FILE,
        EXPORTS_DIR,
        WORKSPACE_ENV,
        create_user_config,
        default_root,
        folder_config_path,
        folder_settings,
        init_workspace,
        user_config_path,
    )

__all__ = [
    "CORPUS_DIR",
    "DATABASE_FILE",
    "EXPORTS_DIR",
    "WORKSPACE_ENV",
    "Workspace",
    "WorkspaceBase",
    "create_user_config",
    "default_root",
    "folder_config_path",
    "folder_settings",
    "init_workspace",
    "start_corpus_listing",
    "user_config_path",
]
_HOMES = {"Workspace": "reader.workspace.api", "WorkspaceBase": "reader.workspace.base"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name, "reader.workspace.folder" if name in __all__ else None)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def start_corpus_listing(
    root: Path | None, started: ListingCheck | None = None
) -> ListingCheck | None:
    """Start listing the corpus of the workspace `Workspace.open(root)` would open, for it to
    take (`listing=`): a command calls this before importing the rest. `started`, a listing
    begun on a guess, is that listing if it is of the same corpus, else stopped."""
    import os

    from reader.corpus.listing_check import start_listing
    from reader.workspace.names import CORPUS_DIR, workspace_root

    corpus = workspace_root(root) / CORPUS_DIR
    if started is not None:
        if started.corpus_dir == os.path.abspath(corpus):
            return started
        started.close()
    return start_listing(corpus)
