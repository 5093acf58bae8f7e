"""Where each document's file goes in a `--split` folder. The file already holding that
document's export (found by its head block's key) keeps it, so a corrected title never starts a
second file beside the one the user has been writing in; a new file is named after the title,
never with the name of a file that holds another document's export."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from reader.exchange.filenames import safe_stem
from reader.exchange.markdown import document_key
from reader.models import Document

_HEAD = re.compile(r"^<!-- reader:head (doc-[0-9]+) -->", re.MULTILINE)
_HEAD_WITHIN = 64 * 1024  # the head block follows the front matter, near the top


def files_by_document(folder: Path) -> dict[str, Path]:
    """The Markdown files directly in `folder` that hold one document's export, by head key.
    Only regular files are read, and only their first 64 KB; an unreadable one is passed by."""
    found: dict[str, Path] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.lower().endswith(".md"):
            continue
        try:
            if not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                continue
            with open(entry.path, "rb") as handle:
                top = handle.read(_HEAD_WITHIN).decode("utf-8", "replace")
        except OSError:
            continue
        if (match := _HEAD.search(top)) and match.group(1) not in found:
            found[match.group(1)] = Path(entry.path)
    return found


def split_paths(folder: Path, documents: Sequence[Document], suffix: str = ".md") -> list[Path]:
    """One path in `folder` per document, in order: its existing file, else a name from its
    title (" (2)", " (3)"… on a clash, ignoring case) that no other document's file has."""
    existing = files_by_document(folder)
    keys = [document_key(d) for d in documents]
    taken = {path.name.casefold() for key, path in existing.items()}
    paths: list[Path] = []
    for document, key in zip(documents, keys, strict=True):
        if key in existing:
            paths.append(existing[key])
            continue
        stem = safe_stem(document.title)
        name, n = f"{stem}{suffix}", 2
        while name.casefold() in taken:
            name, n = f"{stem} ({n}){suffix}", n + 1
        taken.add(name.casefold())
        paths.append(folder / name)
    return paths
