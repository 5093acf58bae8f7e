"""Shared fixtures: every test works in its own temporary workspace, never the user's files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.workspace import Workspace

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture
def workspace_root(tmp_path: Path) -> Path:
    """A workspace folder holding a copy of the bundled sample corpus."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    return root


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    root = tmp_path / "empty"
    (root / "corpus").mkdir(parents=True)
    return root


@pytest.fixture
def workspace(workspace_root: Path) -> Iterator[Workspace]:
    with Workspace.open(workspace_root) as ws:
        yield ws
