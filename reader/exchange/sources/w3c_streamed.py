"""`reader import` of a large W3C JSON array without reading it whole: told from its first
annotations, then imported as `reader import-annotations` does, in batches as it is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol

from reader.errors import UsageError
from reader.exchange.json_stream import BOM, AnnotationValues, ByteSource, utf8_chunks
from reader.exchange.sources.detect import detect_format
from reader.models import ImportReport
from reader.store import Store

STREAM_FROM = 32 * 2**20
"""Files at least this large are streamed when they are a W3C JSON array; smaller ones are
read whole (and told by their whole content)."""
HEAD_BYTES = 2**20
"""How much of the file tells its format: the annotations wholly inside it."""
MAX_STREAMED_BYTES = 1 << 30


class StreamTarget(Protocol):
    store: Store

    def import_annotations_file(self, stream: ByteSource, limit: int) -> ImportReport: ...


def is_large_w3c_array(path: Path) -> bool:
    """Whether the regular file at `path` is large and starts as a W3C JSON array (its first
    annotations, those within HEAD_BYTES, are all W3C annotations)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size < STREAM_FROM:
            return False
        with os.fdopen(fd, "rb", closefd=False) as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    return _head_is_w3c_array(head)


def _head_is_w3c_array(head: bytes) -> bool:
    if not head.removeprefix(BOM).lstrip(b" \t\r\n").startswith(b"["):
        return False
    items = []
    try:
        for item in AnnotationValues(utf8_chunks(_Once(head), limit=len(head))):
            items.append(item)
    except UsageError:  # the head ends inside an annotation: those before it tell
        pass
    if not items:
        return False
    try:
        return detect_format(_as_json_bytes(items)) == "w3c"
    except UsageError:
        return False


def _as_json_bytes(items: list[object]) -> bytes:
    import json

    try:
        return json.dumps(items, ensure_ascii=False, default=repr).encode("utf-8", "replace")
    except ValueError:
        return b""


class _Once:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int, /) -> bytes:
        part, self.data = self.data[:size], self.data[size:]
        return part


def import_large_w3c(workspace: StreamTarget, path: Path) -> ImportReport:
    """Import the W3C array at `path` as it is read."""
    try:
        with path.open("rb") as handle:
            return workspace.import_annotations_file(handle, MAX_STREAMED_BYTES)
    except OSError as exc:
        raise UsageError(f"cannot read it: {exc.strerror or exc}") from None
