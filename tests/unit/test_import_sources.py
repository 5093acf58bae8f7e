"""`reader import FILE`: Kindle clippings, Readwise CSV and Hypothesis JSON (and W3C JSON, QDPX)
told by content, matched to a document, placed by their quote, reported when they cannot be,
and never imported twice."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import cli
from reader.errors import UsageError
from reader.exchange.sources import reading
from reader.exchange.sources.detect import UNKNOWN, detect_format
from reader.exchange.sources.kindle import read_kindle
from reader.exchange.sources.readwise import read_readwise
from reader.workspace import Workspace

SOURCES = Path(__file__).parents[1] / "fixtures" / "sources"
KINDLE = SOURCES / "My Clippings.txt"
READWISE = SOURCES / "readwise.csv"
HYPOTHESIS = SOURCES / "hypothesis.json"
SERBIA_URL = "https://www.example-news.org/serbia-distancing"


def _run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)


def _by_quote(workspace: Workspace, start: str) -> list:
    return [a for a in workspace.annotations() if a.quote.startswith(start)]


# Telling the format by content, never by name


@pytest.mark.parametrize(
    ("path", "fmt"), [(KINDLE, "kindle"), (READWISE, "readwise"), (HYPOTHESIS, "hypothesis")]
)
def test_each_format_is_told_by_its_content_whatever_the_file_is_called(
    tmp_path: Path, path: Path, fmt: str
) -> None:
    renamed = tmp_path / "export.dat"
    renamed.write_bytes(path.read_bytes())
    assert detect_format(renamed.read_bytes()) == fmt


def test_w3c_json_and_qdpx_are_recognised(tmp_path: Path) -> None:
    w3c = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection"}
    assert detect_format(json.dumps(w3c).encode()) == "w3c"
    assert detect_format(b'[{"type": "Annotation", "target": "x"}]') == "w3c"
    project = tmp_path / "p.qdpx"
    with zipfile.ZipFile(project, "w") as archive:
        archive.writestr("project.qde", "<Project/>")
    assert detect_format(project.read_bytes()) == "qdpx"


@pytest.mark.parametrize(
    "raw",
    [
        b"just some notes\nwith lines\n",
        b'{"rows": 3}',
        b"[1, 2, 3]",
        b"Title,Author\nx,y\n",
        b"==========\nno metadata line here\n==========\n",
    ],
)
def test_anything_else_is_not_a_format_reader_imports(raw: bytes) -> None:
    with pytest.raises(UsageError, match="not a format reader imports"):
        detect_format(raw)


def test_a_zip_without_a_project_is_not_qdpx(tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UsageError, match="not a format"):
        detect_format(other.read_bytes())


def test_an_unknown_file_is_one_line_and_exit_2(workspace_root: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("nothing to import\n")
    result = _run(workspace_root, "import", str(notes))
    assert result.exit_code == 2
    said = [line for line in result.stderr.splitlines() if not line.startswith("corpus synced")]
    assert len(said) == 1 and UNKNOWN in said[0]


def test_invalid_utf8_is_refused_with_its_byte(workspace_root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "clips.txt"
    bad.write_bytes(KINDLE.read_bytes() + b"\xff\xfe broken")
    result = _run(workspace_root, "import", str(bad))
    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr and "0xff" in result.stderr


# Kindle


def test_kindle_records_with_bom_crlf_and_several_languages() -> None:
    highlights, skipped = read_kindle(KINDLE.read_text(encoding="utf-8"))
    assert [h.item for h in highlights] == [1, 4, 5, 6, 7, 8, 9]
    first = highlights[0]
    assert first.title == "Bound to Russia: Serbia's disruptive neutrality"
    assert first.author == "Carnegie Europe"
    assert first.location == "12-14"
    assert first.created == "2025-01-12T10:01:02"
    assert first.note == "Compare with the **2014** Crimea line."  # the note at location 14
    german = highlights[2]
    assert german.location == "45-47" and german.created is None
    assert highlights[3].author == "Antoine de Saint-Exupéry"
    assert [(s.item, s.reason) for s in skipped] == [(3, "a bookmark holds no text")]
    assert "\r" not in "".join(h.quote + h.title for h in highlights)


def test_old_kindle_locations_and_a_note_with_no_highlight() -> None:
    text = (
        "Book (Someone)\n- Highlight Loc. 180-82 | Added on Monday, March 4, 2013, 10:01 PM\n\n"
        "a quote\n==========\nBook (Someone)\n- Note Loc. 182 | Added on …\n\nits note\n"
        "==========\nBook (Someone)\n- Note Loc. 999 | Added on …\n\nalone\n==========\n"
    )
    highlights, skipped = read_kindle(text)
    assert [(h.location, h.note) for h in highlights] == [("180-82", "its note")]
    assert [s.reason for s in skipped] == ["a note with no highlight at its location"]


def test_kindle_import_places_reports_and_keeps_orphans(workspace: Workspace) -> None:
    report = workspace.import_highlights(KINDLE)
    assert report.summary() == (
        "imported 5 (kindle): 4 placed, 1 orphaned, 2 not placed, 1 skipped"
    )
    # A straight apostrophe found the article's curly one; the stored quote is the article's.
    [placed] = _by_quote(workspace, "By refusing to condemn")
    text = workspace.text(workspace.document(placed.document_id))
    assert placed.status == "anchored"
    assert text[placed.start : placed.end] == placed.quote
    assert "Russia’s war" in placed.quote
    assert placed.note == "Compare with the **2014** Crimea line."
    # Found by content: its title names no document, its words are in one.
    [by_content] = _by_quote(workspace, "Serbia has now taken")
    assert by_content.doc == "001_4310720f2bcf0b55.txt"
    # Its document is known but the words are there twice: kept, not guessed.
    [twice] = _by_quote(workspace, "People drive cars")
    assert twice.status == "orphaned"
    reasons = {n.item: n.reason for n in report.not_placed}
    assert reasons[4].startswith("the quote occurs 2 times")
    assert reasons[6] == reasons[9] == "no document has this title, address or quote"


def test_importing_twice_adds_nothing(workspace: Workspace) -> None:
    first = workspace.import_highlights(KINDLE)
    count = len(workspace.annotations())
    again = workspace.import_highlights(KINDLE)
    assert len(workspace.annotations()) == count == first.imported
    assert again.imported == 0 and again.already_present == first.imported


def test_cli_names_each_unplaced_highlight_safely(workspace_root: Path) -> None:
    result = _run(workspace_root, "import", str(KINDLE))
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "imported 5 (kindle): 4 placed, 1 orphaned, 2 not placed, 1 skipped"
    )
    lines = result.stderr.splitlines()
    assert any(line.startswith('#6 "Le Petit Prince" “On ne voit bien') for line in lines)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert any("<script>" in line and "not placed" in line for line in lines)  # literal text


def test_dry_run_and_json_store_nothing(workspace_root: Path) -> None:
    result = _run(workspace_root, "import", str(KINDLE), "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert data["dry_run"] and data["imported"] == 5 and data["placed"] == {"anchored": 4}
    assert [n["item"] for n in data["not_placed"]] == [4, 6, 9]
    with Workspace.open(workspace_root) as ws:
        assert ws.annotations() == []


# Readwise


def test_readwise_rows_with_tags_colours_dates_and_a_formula_guard() -> None:
    highlights, skipped = read_readwise(READWISE.read_text(encoding="utf-8"))
    assert skipped == []
    first, second, _, fourth = highlights
    assert first.tags == ("serbia", "russia/kremlin", "news")
    assert first.color == "yellow" and first.created == "2025-01-10T09:15:00+00:00"
    assert second.note == '=HYPERLINK("http://evil.example","click")'  # guard taken off
    assert second.location == "location 12"
    assert fourth.created is None  # "not a date"


def test_readwise_import(workspace: Workspace) -> None:
    report = workspace.import_highlights(READWISE)
    assert report.summary() == "imported 3 (readwise): 3 placed, 1 not placed"
    [claim] = _by_quote(workspace, "The news medium")
    assert claim.tags == ["news", "russia/kremlin", "serbia"]
    assert claim.color == "#e5c07b" and claim.created == "2025-01-10T09:15:00+00:00"
    assert claim.note.startswith("**Key claim**")  # the user's Markdown, as written
    # Runs of spaces and a line break in the export still find the article's words.
    [spaced] = _by_quote(workspace, "For years, Western nations")
    assert spaced.status == "anchored" and spaced.tags == ["eu"]
    assert spaced.quote.endswith("have pushed Serbia")
    [formula] = _by_quote(workspace, "Most NATO members")
    assert formula.note.startswith("=HYPERLINK(")  # stored as text, never evaluated
    assert [n.title for n in report.not_placed] == ["Thinking Fast and Slow"]


# Hypothesis


def test_hypothesis_by_address_with_context_and_by_content(workspace: Workspace) -> None:
    serbia = workspace.document("000_1d5d00d34374701d")
    workspace.correct_metadata(serbia, {"source": SERBIA_URL})
    report = workspace.import_highlights(HYPOTHESIS)
    assert report.summary() == "imported 2 (hypothesis): 2 placed, 1 not placed, 1 skipped"
    [pressure] = _by_quote(workspace, "Western pressure")
    text = workspace.text(serbia)
    second = text.index("Western pressure", text.index("Western pressure") + 1)
    assert (pressure.document_id, pressure.start) == (serbia.id, second)  # the suffix chose
    assert pressure.tags == ["actor/west", "pressure"]
    assert pressure.created == "2025-01-12T18:40:12.315894+00:00"
    [pdf] = _by_quote(workspace, "We have terminated")
    assert pdf.doc == "001_4310720f2bcf0b55.txt" and pdf.tags == ["kremlin"]
    assert [s.reason for s in report.skipped] == ["a page note (it quotes no text)"]


def test_without_its_address_the_quote_finds_the_document(workspace: Workspace) -> None:
    workspace.import_highlights(HYPOTHESIS)  # no document has the page's address
    [pressure] = _by_quote(workspace, "Western pressure")
    assert pressure.doc == "000_1d5d00d34374701d.txt" and pressure.status == "anchored"


def test_a_repeated_quote_with_no_context_is_kept_not_guessed(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = json.loads(HYPOTHESIS.read_text())
    data["rows"][0]["target"][0]["selector"][2].update(prefix="", suffix="")
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(data))
    report = workspace.import_highlights(bare)
    [pressure] = _by_quote(workspace, "Western pressure")
    assert pressure.status == "orphaned"
    assert any(n.kept and "occurs 2 times" in n.reason for n in report.not_placed)


# Matching documents


def test_two_documents_with_one_title_are_a_tie_not_a_guess(
    workspace: Workspace, tmp_path: Path
) -> None:
    same = "Serbia begins distancing itself from Russia"
    workspace.correct_metadata(workspace.document("001_4310720f2bcf0b55"), {"title": same})
    clips = tmp_path / "clips.txt"
    clips.write_text(
        f"{same}\n- Your Highlight on page 1 | Location 1-2 | Added on x\n\nnot in either one\n"
        f"==========\n{same}\n- Your Highlight on page 1 | Location 3-4 | Added on x\n\n"
        "new purchases of Russian weapons have effectively become impossible\n==========\n"
    )
    report = workspace.import_highlights(clips)
    assert [n.reason for n in report.not_placed] == ["2 documents have this title"]
    [found] = _by_quote(workspace, "new purchases")  # the quote told which
    assert found.doc == "000_1d5d00d34374701d.txt"


def test_a_close_title_matches_a_distant_one_does_not(workspace: Workspace, tmp_path: Path) -> None:
    clips = tmp_path / "clips.txt"
    clips.write_text(
        "Time for Serbia to scale back military ties with Russia!\n"
        "- Your Highlight | Location 1 | Added on x\n\nnot in the article\n==========\n"
        "Time for Serbia\n- Your Highlight | Location 2 | Added on x\n\nnot in it either\n"
        "==========\n"
    )
    report = workspace.import_highlights(clips)
    kept, dropped = report.not_placed
    assert kept.kept and "004_9b4db2a2590667cc.txt" in kept.reason
    assert not dropped.kept


# W3C and QDPX through the same command, and files that cannot be read


def test_w3c_json_goes_through_the_w3c_importer(workspace: Workspace, tmp_path: Path) -> None:
    quote = "practically impossible"
    text = workspace.text(workspace.document("001_4310720f2bcf0b55"))
    start = text.index(quote)
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:3f1e1c52-8a0b-4d2e-9f7c-0a1b2c3d4e5f",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "mine"}],
        "target": {
            "source": "corpus/001_4310720f2bcf0b55.txt",
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote},
                {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            ],
        },
    }
    exported = tmp_path / "mine.json"
    exported.write_text(json.dumps([annotation]))
    assert workspace.import_highlights(exported, dry_run=True).total_placed == 1
    assert workspace.annotations() == []  # the dry run's writes were undone
    report = workspace.import_highlights(exported)
    assert report.format == "w3c" and report.total_placed == 1
    assert workspace.annotations()[0].note == "mine"
    assert workspace.import_highlights(exported).already_present == 1


def test_a_qdpx_project_goes_through_the_qdpx_importer(
    workspace: Workspace, empty_root: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project.qdpx"
    if not hasattr(Workspace, "import_qdpx"):  # the REFI-QDA part of #12 not there yet
        with zipfile.ZipFile(project, "w") as archive:
            archive.writestr("project.qde", "<Project/>")
        result = _run(empty_root, "import", str(project))
        assert result.exit_code == 2 and "QDPX import: not available yet" in result.stderr
        return
    workspace.import_highlights(READWISE)
    workspace.export_qdpx(project)
    refused = _run(empty_root, "import", str(project), "--dry-run")
    assert refused.exit_code == 2 and "--dry-run cannot try a QDPX project" in refused.stderr
    result = _run(empty_root, "import", str(project))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "imported 3 (qdpx): 3 placed, 0 not placed"
    again = _run(empty_root, "import", str(project))
    assert again.stdout.splitlines()[-1].endswith("3 already present")


def test_a_file_over_the_limit_is_refused(
    workspace_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading.read_bounded, "__defaults__", (2**20,))
    big = tmp_path / "big.txt"
    big.write_bytes(KINDLE.read_bytes() * (2**20 // len(KINDLE.read_bytes()) + 1))
    result = _run(workspace_root, "import", str(big))
    assert result.exit_code == 2 and "over 1 MB" in result.stderr


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        reading.read_bounded(fifo)
