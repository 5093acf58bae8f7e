"""What reader last wrote where, so an export replaces its own earlier file and nothing else.

A small JSON file in the workspace (`.reader/exports.json`) maps each file an export wrote
(its real, absolute path) to the size and SHA-256 of what was written. A file still holding
exactly that is reader's to replace; one edited since, or never written by reader, is not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path

LEDGER_FILE = Path(".reader") / "exports.json"
_CHUNK = 1 << 20


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file at `path`, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def ledger_key(path: Path) -> str:
    """One name per file however it was reached: the absolute path, links in it resolved."""
    return os.path.realpath(path)


class ExportLedger:
    """The workspace's record of its exports; `save` writes it back (best effort: an export
    that worked is not undone because its record could not be kept)."""

    def __init__(self, file: Path, root: Path | None = None) -> None:
        self.file = file
        self.root = root  # the workspace whose own files no export may replace
        self._entries = self._read()
        self._written: dict[str, dict[str, object]] = {}

    @classmethod
    def of_workspace(cls, root: Path) -> ExportLedger:
        return cls(root / LEDGER_FILE, root)

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, dict)}

    def unchanged_since_written(self, path: Path, size: int) -> bool:
        """Whether the file at `path` (`size` bytes now) holds what reader last wrote there."""
        entry = self._written.get(ledger_key(path)) or self._entries.get(ledger_key(path))
        if entry is None or entry.get("size") != size:
            return False
        return file_digest(path) == entry.get("sha256")

    def record(self, path: Path, data: bytes, managed: dict[str, str] | None = None) -> None:
        """Remember that `data` is now the content of `path`, and for a Markdown export the
        digests of reader's blocks in it (`managed`), which tell a later export the user's
        edits from reader's old version."""
        entry: dict[str, object] = {"size": len(data), "sha256": content_digest(data)}
        if managed:
            entry["managed"] = dict(managed)
        self._written[ledger_key(path)] = entry

    def managed_digests(self, path: Path) -> dict[str, str]:
        """What reader last wrote in the blocks of the Markdown file at `path` ({}: unknown)."""
        entry = self._written.get(ledger_key(path)) or self._entries.get(ledger_key(path)) or {}
        found = entry.get("managed")
        if not isinstance(found, dict):
            return {}
        return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}

    def save(self) -> None:
        """Write the record back, merged with what other runs wrote meanwhile; entries for
        files that are gone are dropped."""
        if not self._written:
            return
        entries = self._read() | self._written
        entries = {key: value for key, value in entries.items() if os.path.isfile(key)}
        # ASCII: a path that is not UTF-8 (surrogate-escaped bytes) is kept as \udcXX escapes,
        # which read back to the same path
        text = json.dumps(entries, ensure_ascii=True, indent=1, sort_keys=True) + "\n"
        temp = self.file.parent / f".exports-{secrets.token_hex(6)}.tmp"
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(text, encoding="utf-8")
            os.replace(temp, self.file)
        except OSError:  # a read-only workspace: the next export asks again
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        self._entries, self._written = entries, {}
