"""Every format through the sync: one canonical text each, skipped files listed with their
reason while the rest of the corpus syncs, highlights re-placed when a page changes."""

from __future__ import annotations

from pathlib import Path

from reader.text.canonical import canonical_text
from reader.workspace import Workspace
from tests.unit.test_format_docx import article_docx
from tests.unit.test_format_epub import CONTAINER, PACKAGE, book, make_epub
from tests.unit.test_format_pdf import article_pdf, scanned_pdf

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def _corpus(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / "corpus" / name).write_bytes(data)


def test_every_format_becomes_a_document_with_its_metadata(empty_root: Path) -> None:
    news = (PAGES / "news_article.html").read_bytes()
    _corpus(empty_root, {
        "news.html": news,
        "saved-as.txt": (PAGES / "serbian_cyrillic.html").read_bytes(),
        "book.epub": book(),
        "report.pdf": article_pdf(),
        "memo.docx": article_docx(),
        "notes.md": b"---\ntitle: My notes\n---\n# Heading\n\nSome *words*.\n",
    })  # fmt: skip
    with Workspace.open(empty_root) as ws:
        docs = {d.path: d for d in ws.documents()}
        assert {p: d.status for p, d in docs.items()} == dict.fromkeys(docs, "ok")
        kinds = {p: d.kind for p, d in docs.items()}
        assert kinds == {
            "news.html": "html", "saved-as.txt": "html", "book.epub": "epub",
            "report.pdf": "pdf", "memo.docx": "docx", "notes.md": "markdown",
        }  # fmt: skip
        assert docs["news.html"].title.startswith("City council approves new tram line")
        assert docs["news.html"].site == "The Riverside Gazette"
        assert docs["saved-as.txt"].title.startswith("Нови мост")
        assert (docs["book.epub"].title, docs["book.epub"].site) == (
            "The Lighthouse Keeper", "Harbour Press"
        )  # fmt: skip
        assert docs["report.pdf"].author == "Ana Petrovic"
        assert docs["memo.docx"].title == "Serbia between East and West"
        for document in docs.values():
            text = ws.text(document)
            assert "<p>" not in text and "<html" not in text.lower()
            assert document.words >= 3
        assert "sanctions" in ws.text(docs["report.pdf"])
        # Plain text and Markdown keep the file as their text: old offsets never move.
        notes = (empty_root / "corpus" / "notes.md").read_text("utf-8")
        assert ws.text(docs["notes.md"]) == canonical_text(notes)


def test_bad_files_are_skipped_with_a_reason_and_the_rest_syncs(empty_root: Path) -> None:
    bomb = make_epub({
        "META-INF/container.xml": CONTAINER,
        "OEBPS/content.opf": PACKAGE,
        "OEBPS/text/chapter2.xhtml": b"\0" * (4 * 1024 * 1024),
    })  # fmt: skip
    _corpus(empty_root, {
        "scan.pdf": scanned_pdf(),
        "bomb.epub": bomb,
        "fake.docx": b"plain words in a .docx",
        "broken.pdf": article_pdf()[:900],
        "empty-page.html": b"<html><body><nav>Home</nav></body></html>",
        "good.txt": b"A Good Title\n\nWords here.\n",
    })  # fmt: skip
    with Workspace.open(empty_root) as ws:
        docs = {d.path: d for d in ws.documents()}
        report = ws.last_sync
    assert docs["good.txt"].status == "ok"
    reasons = {p: d.warning for p, d in docs.items() if d.status == "skipped"}
    assert set(reasons) == {"scan.pdf", "bomb.epub", "fake.docx", "broken.pdf", "empty-page.html"}
    assert "scanned PDF without a text layer" in reasons["scan.pdf"]
    assert "zip bomb" in reasons["bomb.epub"]
    assert "zip" in reasons["fake.docx"]
    assert "PDF" in reasons["broken.pdf"]
    assert "no article text" in reasons["empty-page.html"]
    assert sorted(report.skipped) == sorted(reasons)


def test_highlights_on_a_web_page_are_re_placed_when_the_page_changes(empty_root: Path) -> None:
    page = (PAGES / "news_article.html").read_text("utf-8")
    _corpus(empty_root, {"news.html": page.encode()})
    with Workspace.open(empty_root) as ws:
        document = ws.document("news.html")
        text = ws.text(document)
        start = text.index("tram")
        highlight = ws.annotate(document, start, start + 4, ["transport"])
    first = page.index("<p>", page.index("<article"))
    edited = page[:first] + "<p>A correction was added at the top of this story.</p>" + page[first:]
    (empty_root / "corpus" / "news.html").write_text(edited, "utf-8")
    with Workspace.open(empty_root) as ws:
        assert ws.last_sync.changed == ["news.html"]
        moved = ws.annotation(highlight.id)
        new_text = ws.text(ws.document("news.html"))
        assert moved.status in ("anchored", "moved")
        assert new_text[moved.start : moved.end] == "tram"
        assert new_text.startswith("A correction was added")


def test_many_pages_are_read_by_parallel_workers_with_progress_in_order(
    empty_root: Path, monkeypatch
) -> None:
    from reader.corpus import parse_pool as sync_module  # where the workers are started

    monkeypatch.setattr(sync_module, "EXTRACTION_WORKERS", 2)
    page = (PAGES / "news_article.html").read_text("utf-8")
    files = {
        f"page-{n:02}.html": page.replace("tram line", f"tram line {n}").encode()
        for n in range(2 * sync_module.RICH_FILES_PER_WORKER)
    }
    files["broken.pdf"] = b"%PDF-1.7 nothing else"
    _corpus(empty_root, files)
    heard: list[tuple[int, int]] = []
    with Workspace.open(empty_root, sync=False) as ws:
        report = ws.sync(lambda done, total: heard.append((done, total)))
        docs = {d.path: d for d in ws.documents()}
    total = len(files)
    assert heard == [(n, total) for n in range(total + 1)]
    assert len(report.added) == total - 1 and report.skipped == ["broken.pdf"]
    assert "tram line 7" in docs["page-07.html"].title


def test_an_oversized_file_is_skipped_unread(empty_root: Path) -> None:
    huge = empty_root / "corpus" / "huge.pdf"
    with huge.open("wb") as sparse:  # 300 MB that take no room on disk
        sparse.truncate(300 * 2**20)
    with Workspace.open(empty_root) as ws:
        document = ws.document("huge.pdf")
    assert document.status == "skipped"
    assert document.warning == "PDF file is 300 MB; the limit is 256 MB"


def test_control_characters_in_a_file_s_title_never_reach_the_store(empty_root: Path) -> None:
    page = (PAGES / "news_article.html").read_text("utf-8")
    hostile = page.replace("<title>", "<title>\x1b]0;pwned\x07\x1b[31mRed ", 1)
    _corpus(empty_root, {"news.html": hostile.encode()})
    with Workspace.open(empty_root) as ws:
        title = ws.document("news.html").title
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in title)


def test_adding_a_file_already_in_corpus_but_not_synced_names_its_document(
    empty_root: Path,
) -> None:
    article = empty_root / "corpus" / "a.txt"
    article.write_text("An Article\n\nWith words.\n", "utf-8")
    copy = empty_root / "copy.txt"
    copy.write_bytes(article.read_bytes())
    with Workspace.open(empty_root, sync=False) as ws:
        [result] = ws.add([str(copy)])
        assert (result.outcome, result.path) == ("already", "a.txt")
        assert ws.document(result.path).title == "An Article"
