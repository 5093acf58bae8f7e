"""A workspace folder before it is opened: where it is, creating one, and its settings files
(read without opening the store, for commands that run outside any workspace)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.config.loading import (
    config_path,
    config_template,
    load_settings,
    workspace_config_path,
)
from reader.errors import UsageError
from reader.store import open_store
from reader.text.typed_path import expand_home

if TYPE_CHECKING:
    from reader.config.records import Settings

from reader.workspace.names import (  # the names every face uses, re-exported
    CORPUS_DIR as CORPUS_DIR,
)
from reader.workspace.names import DATABASE_FILE as DATABASE_FILE
from reader.workspace.names import EXPORTS_DIR as EXPORTS_DIR
from reader.workspace.names import WORKSPACE_ENV as WORKSPACE_ENV
from reader.workspace.names import default_root as default_root


def init_workspace(root: Path) -> Path:
    """Create `root/corpus/` and an empty store; an existing workspace is left as it is. A
    folder that cannot be one is a UsageError (the user named it)."""
    try:
        if root.exists() and not root.is_dir():
            raise UsageError(f"{root} exists and is not a folder")
        (root / CORPUS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a name too long, a file where a folder should be, no permission
        raise UsageError(f"cannot create {root / CORPUS_DIR}: {exc.strerror or exc}") from exc
    open_store(root / DATABASE_FILE).close()
    return root


def user_config_path() -> Path:
    """The user's config file (`$READER_CONFIG`, else reader.toml in the config folder)."""
    return config_path()


def folder_config_path(root: Path | None = None) -> Path | None:
    """The `reader.toml` of the workspace folder `root` (default: the current workspace), if
    that folder is a workspace (has corpus/) and has one."""
    root = expand_home(root or default_root())
    path = workspace_config_path(root)
    return path if (root / CORPUS_DIR).is_dir() and path.is_file() else None


def create_user_config() -> Path:
    """The user's config file, first written (when missing) as a commented template naming
    every setting and its default; a folder that cannot be created is a UsageError."""
    path = config_path()
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:
                handle.write(config_template())
        except FileExistsError:
            pass  # written meanwhile: leave it as it is
        except OSError as exc:
            raise UsageError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def folder_settings(root: Path | None = None) -> Settings:
    """The settings in effect for the folder `root`, without opening its store: the user's
    file, overridden by the folder's reader.toml when the folder is a workspace. For commands
    that work outside any workspace (`reader config`)."""
    root = expand_home(root or default_root())
    return load_settings(root if (root / CORPUS_DIR).is_dir() else None)
