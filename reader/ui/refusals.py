"""How every screen turns a refused domain action into a notification instead of a crash."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from reader.errors import NothingToDo, ReaderError

T = TypeVar("T")


def notify_refusal(node: DOMNode, exc: ReaderError | sqlite3.Error) -> None:
    """A user mistake says what was not done; a database error says it was not saved."""
    if isinstance(exc, NothingToDo):
        node.notify(str(exc), markup=False)
    elif isinstance(exc, ReaderError):
        node.notify(str(exc), title="Not done", severity="error", markup=False)
    else:
        node.notify(
            f"The database refused: {exc}", title="Not saved", severity="error", markup=False
        )


def run_safely(node: DOMNode, action: Callable[[], T]) -> T | None:
    """Run one domain action; a refusal becomes a notification on `node` and None."""
    try:
        return action()
    except (ReaderError, sqlite3.Error) as exc:
        notify_refusal(node, exc)
    return None
