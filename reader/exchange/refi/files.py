"""REFI-QDA files on disk: written under every export's rules (safe_write.py: atomically, over
a file reader did not write only with `force`), read as regular files under a size limit, each
trouble one UsageError line."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Protocol

from reader.errors import UsageError
from reader.exchange.ledger import ExportLedger
from reader.exchange.refi.codebook import CodebookImport, import_codes, read_qdc, write_qdc
from reader.exchange.refi.common import RefiError
from reader.exchange.refi.importing import ProjectTarget, QdpxImport, import_qdpx
from reader.exchange.refi.project import ProjectExport, ProjectSource, build_project
from reader.exchange.safe_write import examine, shown, write_target


class Workspace(ProjectSource, ProjectTarget, Protocol):
    """What these functions use: `reader.workspace.Workspace` is one."""

    root: Path


MAX_INPUT_BYTES = 512 * 1024 * 1024


def _write(workspace: Workspace, path: Path, data: bytes, force: bool) -> Path:
    ledger = ExportLedger.of_workspace(workspace.root)
    target = examine(path, data, force, ledger)
    try:
        write_target(target, data)
        ledger.record(target.real, data)
    finally:
        ledger.save()
    return target.path


def export_qdc(workspace: Workspace, path: Path, force: bool = False) -> Path:
    return _write(workspace, path, write_qdc(workspace.store.db), force)


def export_qdpx(workspace: Workspace, path: Path, force: bool = False) -> ProjectExport:
    built = build_project(workspace, workspace.store.db, path.stem or workspace.root.name)
    _write(workspace, path, built.data, force)
    return built


def read_input(path: Path) -> bytes:
    """A file's bytes: a regular file of at most MAX_INPUT_BYTES."""
    try:
        with path.open("rb") as file:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"cannot import {shown(path)}: not a regular file")
            data = file.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot import {shown(path)}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"cannot import {shown(path)}: larger than {MAX_INPUT_BYTES:,} bytes")
    return data


def import_qdc_file(workspace: Workspace, path: Path) -> CodebookImport:
    data = read_input(path)
    try:
        read = read_qdc(data)
    except RefiError as exc:
        raise UsageError(f"cannot import {shown(path)}: {exc}") from None
    with workspace.store.write() as db:
        return import_codes(db, read)


def import_qdpx_file(workspace: Workspace, path: Path) -> QdpxImport:
    data = read_input(path)
    try:
        return import_qdpx(workspace, data)
    except RefiError as exc:
        raise UsageError(f"cannot import {shown(path)}: {exc}") from None
