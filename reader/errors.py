"""Errors a user can cause or fix; the CLI prints their message, never a traceback."""


class ReaderError(Exception):
    """A problem explained in one line to the user; `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(ReaderError):
    """The user asked for something that cannot be done as asked (bad quote, unknown id)."""

    exit_code = 2


class WorkspaceError(ReaderError):
    """The workspace folder is not usable (no corpus/, not a directory)."""


class StoreError(ReaderError):
    """The annotation database cannot be opened or written safely."""


class TagConflict(UsageError):
    """A rename or move would land on tags that already exist: done only when merging is asked."""

    def __init__(self, existing: list[str]) -> None:
        self.existing = existing
        names = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
        super().__init__(f"already exists: {names} (merge to combine them)")


class NothingToDo(ReaderError):
    """The edit would change nothing (the tag is already there, the undo stack is empty)."""


class WouldReplace(UsageError):
    """An export would replace what it may not without being told: a file reader did not write
    (or that changed since), or a symbolic link. Each face says how to go ahead anyway
    (`--force`, the dialog's second ctrl+s); `forced` says what that would do."""

    def __init__(self, shown: str, reason: str, forced: str) -> None:
        self.shown = shown  # the path, display-safe
        self.reason = reason
        self.forced = forced
        super().__init__(f"{shown} {reason}: nothing written")
