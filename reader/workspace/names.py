"""Where a workspace's parts are, known without importing anything heavy: a command starts its
corpus listing from these before the store and the rest load."""

from __future__ import annotations

import os
from pathlib import Path

from reader.text.typed_path import expand_home

CORPUS_DIR = "corpus"
DATABASE_FILE = "annotations.db"
WORKSPACE_ENV = "READER_WORKSPACE"
EXPORTS_DIR = "exports"  # where the TUI writes exports it names itself


def default_root() -> Path:
    return Path(os.environ.get(WORKSPACE_ENV) or ".")


def workspace_root(root: Path | None) -> Path:
    """The folder `Workspace.open(root)` opens."""
    return expand_home(root or default_root())
