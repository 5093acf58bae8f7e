"""Keep sqlite-utils from loading pandas and numpy.

sqlite-utils imports both at start-up whenever they are installed, only to map their types to
column types; that is ~300 ms of every command (more than the rest of `reader search`), and
reader hands sqlite-utils plain Python values only. This import hook tells sqlite-utils, and
no other importer, that they are absent; anything else still imports them as usual.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType

SKIPPED = frozenset({"pandas", "numpy"})
"""What sqlite-utils would load for nothing."""
IMPORTER = "sqlite_utils.db"
_FRAMES_TO_LOOK = 40  # the import machinery's frames between the importer and this hook


class SqliteUtilsWithoutPandas:
    """A meta path finder that answers "not installed" to sqlite-utils' pandas and numpy."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> None:
        if name in SKIPPED and _imported_by(IMPORTER):
            raise ModuleNotFoundError(f"No module named {name!r} (for {IMPORTER})", name=name)
        return None  # the other finders decide


def _imported_by(module: str) -> bool:
    """Whether `module`'s code is what asks for the import."""
    frame = sys._getframe(2)
    for _ in range(_FRAMES_TO_LOOK):
        if frame is None:
            return False
        if frame.f_globals.get("__name__") == module:
            return True
        frame = frame.f_back
    return False


def install() -> None:
    """Put the hook first on sys.meta_path, once."""
    if SqliteUtilsWithoutPandas not in sys.meta_path:
        sys.meta_path.insert(0, SqliteUtilsWithoutPandas)  # type: ignore[arg-type]
