"""The TUI's corpus sync as a thread runs it: with its own connection to the store (the screen
keeps reading through its own), stopping at the next file once the app no longer wants it (a
user who quits mid-way must not wait for the rest of the corpus; batches already committed
stay), and hearing of each committed batch where the workspace tells of them, so documents
can be opened as they arrive."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from reader.models import SyncReport
from reader.workspace import Workspace

Count = Callable[[int, int], None]  # (done, total)


class SyncStopped(Exception):
    """The app stopped wanting the sync (it is closing): raised from the sync's callbacks."""


def tells_of_commits(sync: Callable[..., object]) -> bool:
    """Whether `Workspace.sync` takes `committed(done, total)`, called after each batch."""
    try:
        return "committed" in inspect.signature(sync).parameters
    except (TypeError, ValueError):
        return False


def run_sync(
    root: Path, progress: Count, committed: Count, stopped: Callable[[], bool]
) -> SyncReport:
    """Sync `root`'s corpus; `progress` hears of each file read, `committed` of each batch in
    the store; `SyncStopped` ends it early once `stopped()` says so."""

    def checked(tell: Count) -> Count:
        def call(done: int, total: int) -> None:
            if stopped():
                raise SyncStopped
            tell(done, total)

        return call

    with Workspace.open(root, sync=False) as workspace:
        if tells_of_commits(workspace.sync):
            return workspace.sync(checked(progress), committed=checked(committed))  # type: ignore[call-arg]
        return workspace.sync(checked(progress))
