"""`reader import` streams a large W3C JSON array instead of reading it whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.exchange.sources import reading, w3c_streamed
from reader.workspace import Workspace
from tests.conftest import SAMPLE_CORPUS

DOC = "001_4310720f2bcf0b55"
HYPOTHESIS = Path(__file__).parents[1] / "fixtures" / "sources" / "hypothesis.json"


def _exported(workspace: Workspace, tmp_path: Path) -> Path:
    doc = workspace.document(DOC)
    workspace.annotate_quote(doc, "practically impossible", tags=["energy"], note="a note")
    workspace.annotate_quote(doc, "close ties")
    workspace.set_document_annotation(doc, ["whole"], "the document's note")
    path = tmp_path / "export.json"
    path.write_text(workspace.export_text("json"), "utf-8")
    return path


def _import(tmp_path: Path, name: str, file: Path, *options: str) -> tuple[str, int]:
    root = tmp_path / name
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    result = CliRunner().invoke(cli, ["-w", str(root), "import", str(file), *options])
    assert result.exit_code == 0, result.output
    with Workspace.open(root, sync=False) as ws:
        return result.stdout, len(ws.annotations())


def _never_whole(path: Path, limit: int = 0) -> bytes:
    raise AssertionError("read whole")


def test_a_large_w3c_array_is_streamed_with_the_same_result(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _exported(workspace, tmp_path)
    whole = _import(tmp_path, "whole", file)
    monkeypatch.setattr(w3c_streamed, "STREAM_FROM", 0)
    monkeypatch.setattr(w3c_streamed, "HEAD_BYTES", 2000)  # ends inside the second annotation
    monkeypatch.setattr(reading, "read_bounded", _never_whole)
    assert _import(tmp_path, "streamed", file) == whole
    assert whole[1] == 2
    dry, stored = _import(tmp_path, "dry", file, "--dry-run")
    assert stored == 0
    assert dry.splitlines()[-1] == whole[0].splitlines()[-1].replace("imported", "would import")


def test_only_a_w3c_array_is_streamed(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _exported(workspace, tmp_path)
    assert not w3c_streamed.is_large_w3c_array(file)  # small: read whole
    monkeypatch.setattr(w3c_streamed, "STREAM_FROM", 0)
    assert w3c_streamed.is_large_w3c_array(file)
    assert not w3c_streamed.is_large_w3c_array(HYPOTHESIS)
    monkeypatch.setattr(w3c_streamed, "HEAD_BYTES", 20)  # not even one annotation
    assert not w3c_streamed.is_large_w3c_array(file)
    assert not w3c_streamed.is_large_w3c_array(tmp_path)
