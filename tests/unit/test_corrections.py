"""Metadata a user corrects: kept apart from the file's, through re-syncs, edits and renames."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.corpus.corrections import correct_metadata
from reader.errors import UsageError
from reader.store.migrations import MIGRATIONS
from reader.workspace import Workspace

ARTICLE = "001_4310720f2bcf0b55.txt"


def test_a_correction_is_used_everywhere_and_survives_an_edit_of_the_file(
    workspace_root: Path,
) -> None:
    with Workspace.open(workspace_root) as ws:
        doc = ws.correct_metadata(ws.document(ARTICLE), {"title": "Fixed", "site": "ECFR"})
        assert (doc.title, doc.site, doc.corrected) == ("Fixed", "ECFR", ("site", "title"))
        assert [r.document_id for r in ws.search("ECFR") if r.kind == "title"] == [doc.id]
    path = workspace_root / "corpus" / ARTICLE
    path.write_text(path.read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.changed == [ARTICLE]
        doc = ws.document(ARTICLE)
        assert (doc.title, doc.site) == ("Fixed", "ECFR")
        own_title = ws.file_metadata(doc)["title"]
        assert own_title == "Russian Ally Withdraws Support, Suspends Arms Contracts"


def test_a_correction_follows_a_renamed_file(workspace_root: Path) -> None:
    with Workspace.open(workspace_root) as ws:
        ws.correct_metadata(ws.document(ARTICLE), {"author": "Someone Else"})
    corpus = workspace_root / "corpus"
    os.rename(corpus / ARTICLE, corpus / "renamed.txt")
    with Workspace.open(workspace_root) as ws:
        assert ws.document("renamed.txt").author == "Someone Else"


def test_clearing_brings_back_what_the_file_says(workspace: Workspace) -> None:
    doc = workspace.document(ARTICLE)
    original = doc.date
    workspace.correct_metadata(doc, {"date": "2024-02-29"})
    doc = workspace.correct_metadata(doc, {}, ["date"])
    assert (doc.date, doc.corrected) == (original, ())


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("date", "2025-13-01", "YYYY-MM-DD"),
        ("date", "January 2025", "YYYY-MM-DD"),
        ("source", "file:///etc/passwd", "http(s) URL"),
        ("source", "javascript:alert(1)", "http(s) URL"),
        ("title", "   ", "--clear title"),
        ("title", "x" * 501, "limit is 500"),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    workspace: Workspace, field: str, value: str, reason: str
) -> None:
    doc = workspace.document(ARTICLE)
    with pytest.raises(UsageError) as refused:
        workspace.correct_metadata(doc, {field: value})
    assert reason in str(refused.value)
    assert workspace.document(ARTICLE) == doc


def test_control_characters_in_a_correction_become_spaces(workspace: Workspace) -> None:
    doc = workspace.correct_metadata(workspace.document(ARTICLE), {"title": "A\x1b[31m\nB"})
    assert doc.title == "A [31m B"


def test_cli_meta_sets_clears_and_prints_json(workspace_root: Path) -> None:
    runner = CliRunner()
    base = ["-w", str(workspace_root)]
    result = runner.invoke(cli, [*base, "meta", ARTICLE, "--site", "ECFR", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["site"], data["corrected"], data["file"]["site"]) == ("ECFR", ["site"], None)
    listed = json.loads(runner.invoke(cli, [*base, "list", "--json"]).stdout)
    row = next(d for d in listed if d["path"] == ARTICLE)
    assert {"title", "author", "date", "source", "site"} <= set(row)
    assert row["site"] == "ECFR"
    result = runner.invoke(cli, [*base, "meta", ARTICLE, "--date", "soon"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_migrating_reads_again_skipped_files_and_web_pages_saved_as_text(tmp_path: Path) -> None:
    """Version 5 marks them changed, so the next sync reads them with the new extractors."""
    db = tmp_path / "annotations.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for migration in MIGRATIONS[:4]:
        migration(conn)
    conn.execute("PRAGMA user_version = 4")
    now = "2025-01-01T00:00:00Z"
    for doc_id, path, status, text in (
        (1, "plain.txt", "ok", "Plain words.\n"),
        (2, "page.txt", "ok", "\n\n  <!DOCTYPE html><html><body><p>x</p></body></html>\n"),
        (3, "report.pdf", "skipped", None),
    ):
        conn.execute(
            "INSERT INTO documents (id, path, status, size, mtime_ns, title, author, added, "
            "updated) VALUES (?, ?, ?, 1, 1, ?, 'An Author', ?, ?)",
            [doc_id, path, status, f"Title {doc_id}", now, now],
        )
        if text:
            conn.execute("INSERT INTO document_texts VALUES (?, ?)", [doc_id, text])
    conn.close()
    from reader.store import open_store

    store = open_store(db)
    rows = dict(store.conn.execute("SELECT path, mtime_ns FROM documents").fetchall())
    kinds = dict(store.conn.execute("SELECT path, kind FROM documents").fetchall())
    assert rows == {"plain.txt": 1, "page.txt": None, "report.pdf": None}
    assert kinds["plain.txt"] == "text"
    # What the files said is kept as theirs: a first correction leaves the other fields be.
    correct_metadata(store.db, 1, {"title": "Better"}, [])
    row = store.conn.execute("SELECT title, author FROM documents WHERE id = 1").fetchone()
    assert row == ("Better", "An Author")
    correct_metadata(store.db, 1, {}, ["title"])
    assert store.conn.execute("SELECT title FROM documents WHERE id = 1").fetchone()[0] == "Title 1"
    store.close()
