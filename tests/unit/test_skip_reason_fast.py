"""Why a file is skipped unread is decided from its name and size without a Path per file;
the answer is the one the full rule gives, for every kind of name and size."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reader.corpus.ingest import SUPPORTED, is_supported, too_large
from reader.corpus.scan import FileState, _suffix, skip_reason_unread

NAMES = [
    "a.txt",
    "A.TXT",
    "x/y/b.Md",
    "c.markdown",
    "d.html",
    "e.HTM",
    "f.epub",
    "g.pdf",
    "h.docx",
    "noext",
    ".txt",
    "x/.hidden.txt",
    "trailing.",
    "x.tar.gz",
    "dots..txt",
    "x/y.z/plain",
    "x/y.txt/z",
    "weird .txt",
    "ü/ñ.txt",
    "caf\\xe9.txt",
    "a.txt.",
    "a. txt",
    "é.PDF",
    "t.text",
]
SIZES = [0, 1, 2**20, 16 * 2**20, 64 * 2**20, 64 * 2**20 + 1, 200 * 2**20, 2**40]


def _full_rule(state: FileState, max_bytes: int | None) -> str | None:
    full = Path(state.path)
    if not is_supported(full):
        suffix = full.suffix or "(no extension)"
        return f"unsupported file type {suffix}: {SUPPORTED} are read"
    return too_large(full, state.size, max_bytes)


@pytest.mark.parametrize("max_bytes", [None, 1, 2**20, 100 * 2**20])
def test_the_quick_decision_is_the_full_rule(max_bytes: int | None) -> None:
    for name, size in itertools.product(NAMES, SIZES):
        state = FileState(name, size, 1)
        assert _suffix(name) == Path(name).suffix, name
        assert skip_reason_unread(state, max_bytes) == _full_rule(state, max_bytes), (name, size)


def test_a_reason_the_scan_gave_is_kept() -> None:
    state = FileState("a.txt", 1, 1, skip_reason="link to x, outside the workspace")
    assert skip_reason_unread(state, None) == "link to x, outside the workspace"
