"""A path as a user typed it: `~` and `~user` expanded as a shell would.

Python's `expanduser` raises RuntimeError for `~name` when no user has that name (and for `~`
with no home folder at all); a shell leaves such a word as it is, and so does `expand_home`:
the path is then a name like any other, which the caller finds or refuses as it would any.
"""

from __future__ import annotations

from pathlib import Path


def expand_home(path: str | Path) -> Path:
    """`path` with a leading `~` or `~user` expanded, or as typed when there is no such home."""
    typed = Path(path)
    try:
        return typed.expanduser()
    except RuntimeError:
        return typed
