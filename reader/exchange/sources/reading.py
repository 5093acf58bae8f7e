"""`reader import FILE` from the top: read the file under a size limit, tell its format by its
content, and hand it to the importer for that format (W3C and QDPX have their own)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Protocol

from reader.errors import UsageError
from reader.exchange.json_stream import ByteSource
from reader.exchange.sources.detect import decode_text, detect_format
from reader.exchange.sources.importing import import_source_text
from reader.exchange.sources.records import NotPlaced, SourceImport, Unreadable
from reader.models import Document, ImportReport
from reader.store import Store

MAX_IMPORT_BYTES = 512 * 2**20
"""The largest file `reader import` reads: about two million Kindle clippings."""


class SourceTarget(Protocol):
    store: Store

    def documents(self) -> list[Document]: ...

    def import_annotations(self, raw: str | bytes) -> ImportReport: ...

    def import_annotations_file(self, stream: ByteSource, limit: int) -> ImportReport: ...


class _DryRun(Exception):
    pass


def read_bounded(path: Path, limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit`; a UsageError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"cannot read it: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError("it is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"cannot read it: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise UsageError(f"it is over {limit >> 20} MB")
    return raw


def import_highlights(workspace: SourceTarget, path: Path, dry_run: bool = False) -> SourceImport:
    """Import the file at `path`, whatever tool wrote it; `dry_run` stores nothing. A large
    W3C JSON array is imported as it is read (w3c_streamed.py)."""
    from reader.exchange.sources.w3c_streamed import import_large_w3c, is_large_w3c_array

    if is_large_w3c_array(path):
        report = SourceImport(format="w3c", dry_run=dry_run)
        if not dry_run:  # each batch its own transaction
            _from_w3c(import_large_w3c(workspace, path), report)
            return report
        try:
            with workspace.store.write():  # each batch a savepoint in this one transaction
                _from_w3c(import_large_w3c(workspace, path), report)
                raise _DryRun
        except _DryRun:
            pass
        return report
    raw = read_bounded(path)
    fmt = detect_format(raw)
    if fmt in ("kindle", "readwise", "hypothesis"):
        return import_source_text(workspace, fmt, decode_text(raw), dry_run)
    report = SourceImport(format=fmt, dry_run=dry_run)
    if fmt == "qdpx":  # its import adds sources to corpus/: files no rollback takes back
        if dry_run:
            raise UsageError("--dry-run cannot try a QDPX project: its import adds files")
        _from_qdpx(workspace, path, report)
        return report
    try:
        with workspace.store.write():  # the W3C importer's own write nests in this one
            _from_w3c(workspace.import_annotations(raw), report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _from_w3c(done: ImportReport, report: SourceImport) -> None:
    report.read = done.total_added + done.already_present + done.total_refused
    report.already_present = done.already_present
    for status, count in done.added.items():
        if status == "orphaned":
            report.other_orphans += count
        else:
            report.placed[status] += count
    for refusal in done.refused:
        if refusal.kept:  # came in without a tag it had
            report.skipped.append(Unreadable(refusal.item, refusal.id or "", refusal.reason))
        else:
            report.not_placed.append(NotPlaced(refusal.item, refusal.id or "", "", refusal.reason))


def _from_qdpx(workspace: Any, path: Path, report: SourceImport) -> None:
    """Through `Workspace.import_qdpx` (reader/exchange/refi/), its report in this one's terms."""
    importer = getattr(workspace, "import_qdpx", None)
    if importer is None:
        raise UsageError("QDPX import: not available yet")
    done = importer(path)
    report.already_present = done.already_present
    for status, count in done.added.items():
        if status == "orphaned":
            report.other_orphans += count
        else:
            report.placed[status] += count
    report.read = report.imported + report.already_present
    for number, reason in enumerate(done.refused, start=1):
        report.not_placed.append(NotPlaced(number, "", "", reason))
    report.details = [line for line in done.lines if not line.startswith("refused: ")]
