"""What the live library watches: what the sync reads, nothing in hidden files or folders."""

from __future__ import annotations

from pathlib import Path

from reader.ui.widgets.corpus_watcher import corpus_filter


def test_hidden_files_and_anything_in_hidden_folders_are_not_watched(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    wanted = corpus_filter(corpus)
    assert wanted(None, str(corpus / "article.html"))
    assert wanted(None, str(corpus / "press" / "2024" / "article.pdf"))
    assert not wanted(None, str(corpus / ".reader-add-x.part"))
    assert not wanted(None, str(corpus / ".obsidian" / "workspace.json"))
    assert not wanted(None, str(corpus / "press" / ".git" / "index"))
