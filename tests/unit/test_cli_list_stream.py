"""`reader list --json` writes its documents as they are read (issue #16): the same JSON as one
dump, the first lines out before the last document is read, and a reader that leaves early
(`| head`) ends it quietly."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import output
from reader.workspace import Workspace

SHAPES = [
    [],
    [1],
    [{"a": [1, {"b": "x\ny"}], "c": {}, "d": []}, "é\u202e", None, [], {}],
    [{"id": n, "title": f"T{n}"} for n in range(700)],
]


def printed(monkeypatch: pytest.MonkeyPatch, write: object, data: object) -> str:
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    write(data)  # type: ignore[operator]
    return buffer.getvalue()


@pytest.mark.parametrize("items", SHAPES)
@pytest.mark.parametrize("terminal", [False, True])
def test_the_streamed_array_is_the_one_dump_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch, items: list[object], terminal: bool
) -> None:
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: terminal)
    whole = printed(monkeypatch, output.echo_json, items)
    streamed = printed(monkeypatch, output.echo_json_array, iter(items))
    assert streamed == whole
    assert json.loads(streamed) == items


def test_the_first_items_are_written_before_the_last_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stdout", buffer)
    written_before_the_end: list[str] = []

    def items() -> Iterator[dict[str, int]]:
        yield from ({"n": n} for n in range(1000))
        written_before_the_end.append(buffer.getvalue())

    output.echo_json_array(items())
    assert written_before_the_end[0].startswith('[\n  {\n    "n": 0\n  },')


def test_list_json_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    corpus = tmp_path / "ws" / "corpus"
    corpus.mkdir(parents=True)
    for n in range(300):  # far more JSON than a pipe buffers
        (corpus / f"article-{n:03d}.txt").write_text(f"Article {n}.\n" * 3, "utf-8")
    Workspace.open(tmp_path / "ws").close()
    reader = subprocess.Popen(
        [sys.executable, "-c", "from reader.cli import main; main()", "list", "--json"],
        cwd=tmp_path / "ws",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "READER_WORKSPACE": str(tmp_path / "ws")},
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.readline() == b"[\n"
    reader.stdout.close()  # as `head -1` does
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=60) in (0, 1)
    assert stderr == ""


def test_list_json_lists_every_document_in_path_order(tmp_path: Path) -> None:
    corpus = tmp_path / "ws" / "corpus"
    corpus.mkdir(parents=True)
    for name in ("b.txt", "a.md", "c.txt"):
        (corpus / name).write_text("Some words.\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from reader.cli import main; main()", "list", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_WORKSPACE": str(tmp_path / "ws")},
        check=True,
    )
    listed = json.loads(done.stdout)
    assert [d["path"] for d in listed] == ["a.md", "b.txt", "c.txt"]
    assert all(d["annotations"] == 0 and d["status"] == "ok" for d in listed)
