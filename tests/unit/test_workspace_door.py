"""The Workspace methods the faces use instead of reaching into reader/exchange,
reader/codebook/csv_io and reader/search themselves: exports, citations, codebook CSV, searching
from a thread."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from reader.errors import ReaderError, StoreError
from reader.workspace import Workspace

ARMS = "001_4310720f2bcf0b55"  # "Russian Ally Withdraws Support, Suspends Arms Contracts"


@pytest.fixture
def highlighted(workspace: Workspace) -> Workspace:
    """The sample workspace with two highlights on one document, one tagged and noted."""
    document = workspace.document(ARMS)
    workspace.annotate_quote(document, "close ties", tags=["history"], note="old *friends*")
    workspace.annotate_quote(document, "practically impossible")
    return workspace


# Exports


def test_export_writes_one_file_and_returns_it(highlighted: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "out" / "all.json"
    written = highlighted.export("json", output=target)
    assert written == [target]
    items = json.loads(target.read_text("utf-8"))
    assert len(items["items"] if isinstance(items, dict) else items) == 2


def test_export_by_tag_keeps_the_tagged_highlight_only(
    highlighted: Workspace, tmp_path: Path
) -> None:
    target = tmp_path / "history.md"
    highlighted.export("markdown", tag="history", group_by="tag", output=target)
    text = target.read_text("utf-8")
    assert "close ties" in text and "practically impossible" not in text


def test_export_split_writes_a_file_per_document(highlighted: Workspace, tmp_path: Path) -> None:
    written = highlighted.export("markdown", output=tmp_path / "notes", split=True)
    assert len(written) == 1 and written[0].parent == tmp_path / "notes"


def test_import_annotations_reads_back_an_export(
    highlighted: Workspace, empty_root: Path, tmp_path: Path
) -> None:
    target = tmp_path / "all.json"
    highlighted.export("json", output=target)
    (empty_root / "corpus" / f"{ARMS}.txt").write_bytes(
        (highlighted.corpus_dir / f"{ARMS}.txt").read_bytes()
    )
    with Workspace.open(empty_root) as other:
        report = other.import_annotations(target.read_text("utf-8"))
        again = other.import_annotations(target.read_text("utf-8"))
        assert report.total_added == 2 and again.total_added == 0
        assert {a.quote for a in other.annotations()} == {"close ties", "practically impossible"}


def test_export_stem_is_the_title_or_the_workspace_name(workspace: Workspace) -> None:
    document = workspace.document(ARMS)
    assert workspace.export_stem(document) == document.title
    assert workspace.export_stem() == workspace.root.resolve().name


def test_highlights_markdown_counts_the_document_highlights(highlighted: Workspace) -> None:
    text, count = highlighted.highlights_markdown(highlighted.document(ARMS))
    assert count == 2 and "close ties" in text and "practically impossible" in text
    other = next(d for d in highlighted.documents() if d.path != f"{ARMS}.txt")
    assert highlighted.highlights_markdown(other) == ("", 0)


def test_export_search_results_writes_the_found_highlights(highlighted: Workspace) -> None:
    found = [a.id for a in highlighted.annotations() if a.quote == "close ties"]
    target = highlighted.export_search_results("ties / bonds", found)
    assert target.parent == highlighted.root / "exports"
    assert "/" not in target.name and target.suffix == ".md"
    text = target.read_text("utf-8")
    assert "close ties" in text and "practically impossible" not in text


# Citations


def test_citation_for_annotation_quotes_and_cites(highlighted: Workspace) -> None:
    annotation = next(a for a in highlighted.annotations() if a.note)
    cited = highlighted.citation_for_annotation(annotation.id)
    title = highlighted.document(ARMS).title
    assert cited.startswith("> close ties\n>\n> — ")
    assert title in cited and "old \\*friends\\*" in cited


def test_citation_for_span_quotes_the_words_or_the_title(workspace: Workspace) -> None:
    document = workspace.document(ARMS)
    text = workspace.text(document)
    start = text.index("close ties")
    assert workspace.citation_for_span(document, start - 1, start + 11).startswith("> close ties\n")
    assert workspace.citation_for_span(document, 5, 5).startswith(f"> {document.title}")


def test_citation_for_an_unknown_highlight_is_a_reader_error(workspace: Workspace) -> None:
    with pytest.raises(ReaderError):
        workspace.citation_for_annotation(10_000)


# Codebook CSV


def test_codebook_csv_round_trip(highlighted: Workspace, empty_root: Path, tmp_path: Path) -> None:
    highlighted.describe_tag("history", "the past, as the article tells it")
    target = highlighted.export_codebook_csv(tmp_path / "codebook.csv")
    assert target.read_bytes().decode("utf-8") == highlighted.codebook_csv()  # CRLF kept
    with Workspace.open(empty_root) as other:
        report = other.import_codebook_csv(target.read_text("utf-8"))
        assert report.created == ["history"]
        assert [n.description for n in other.codebook()] == ["the past, as the article tells it"]


# Searching from a worker thread


def test_search_from_thread_matches_search(workspace: Workspace) -> None:
    found: list[list] = []
    worker = threading.Thread(target=lambda: found.append(workspace.search_from_thread("arms")))
    worker.start()
    worker.join()
    assert found[0] and found[0] == workspace.search("arms")


def test_search_from_thread_reports_a_broken_store_as_store_error(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.store.path = tmp_path / "no such folder" / "annotations.db"
    with pytest.raises(StoreError):
        workspace.search_from_thread("arms")
