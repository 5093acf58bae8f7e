"""Writing Markdown exports into files: a file holding reader's blocks from an earlier export of
the same document (or scope) is merged (reader/exchange/vault_merge.py), never replaced; a file
holding another document's export is refused unless forced (then replaced, never merged), or
replaced when the ledger shows it unchanged since reader wrote it; any other file follows every
export's rule (reader/exchange/safe_write.py)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.errors import WouldReplace
from reader.exchange.ledger import ExportLedger
from reader.exchange.managed import ManagedFile, has_blocks
from reader.exchange.safe_write import shown, write_files
from reader.exchange.vault_merge import merge_markdown, other_export
from reader.text.sanitize import display_safe_line

MERGE_LIMIT = 64 << 20
"""A Markdown file larger than this is not read to merge into (it is refused unless forced)."""


def existing_markdown(path: Path) -> tuple[str, os.stat_result] | None:
    """The text of the regular UTF-8 file at `path` and its state when read, or None (nothing
    there, a link, a device, too large, unreadable, not UTF-8)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            seen = os.fstat(handle.fileno())
            if not stat.S_ISREG(seen.st_mode) or seen.st_size > MERGE_LIMIT:
                return None
            data = handle.read(MERGE_LIMIT + 1)
        except OSError:
            return None
    try:
        return data.decode("utf-8"), seen
    except UnicodeDecodeError:
        return None


def write_markdown(
    files: Sequence[tuple[Path, ManagedFile]],
    force: bool = False,
    ledger: ExportLedger | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write each Markdown export; where the file already holds reader's blocks, merge into it
    (keeping every line of the user's). What the merge has to say goes to `on_note`, a line
    each, once the files are written. Returns the paths written."""
    texts: list[tuple[Path, str]] = []
    merged_from: dict[Path, os.stat_result] = {}
    digests: dict[Path, dict[str, str]] = {}
    notes: list[str] = []
    refusals: list[WouldReplace] = []
    for path, managed in files:
        text = managed.text()
        found = existing_markdown(path)
        ours = found is not None and has_blocks(found[0])
        whose = other_export(found[0], managed) if found is not None and ours else None
        if found is not None and whose is not None:
            size = found[1].st_size
            unchanged = ledger is not None and ledger.unchanged_since_written(path, size)
            if not force and not unchanged:
                reason = f"exists and holds another document's export ({display_safe_line(whose)})"
                refusals.append(WouldReplace(shown(path), reason, "replace it"))
        elif found is not None and ours:
            base = ledger.managed_digests(path) if ledger is not None else {}
            result = merge_markdown(found[0], managed, base)
            text, merged_from[path] = result.text, found[1]
            notes += [f"{shown(path)}: {note}" for note in result.notes]
        texts.append((path, text))
        digests[path] = managed.digests()
    if refusals:
        raise _first(refusals)
    written = write_files(texts, force, ledger, merged_from, digests)
    for note in notes:
        if on_note is not None:
            on_note(note)
    return written


def _first(refusals: list[WouldReplace]) -> WouldReplace:
    first, more = refusals[0], len(refusals) - 1
    if not more:
        return first
    reason = f"{first.reason}, and {more} more file(s) like it"
    return WouldReplace(first.shown, reason, "replace them")
