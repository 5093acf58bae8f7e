"""Import benchmark: pages per second for web pages, PDF and EPUB through reader's whole import
(the sync: extraction in the worker process, metadata, the store and the search index) against
calling the extraction library alone, in one process, in the same run; then the F1 of our own
page set.

    python bench/ingest_bench.py [--copies N] [--benchmark DIR_OR_GIT_MIRROR]

"Library alone" is trafilatura.extract for web pages and pypdf's extract_text for each PDF
page. No library reads EPUB for us, so there it is reader's own `extract_epub` in-process; a
last line shows the floor of merely parsing each spine chapter with lxml. Reader's figure includes
starting the worker process and writing every document to the store; the target is at most
1.5x the library alone. With --benchmark the web pages are ScrapingHub's 181 real pages.

    python bench/ingest_bench.py --parse [CORPUS_DIR] [--count N] [--runs R]

measures plain-text parsing instead (bench/parse_bench.py): files/s and MB/s of reading alone,
the old and new in-process parse and `parse_files` with its worker processes, in one run.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction_f1 import benchmark_pages, own_pages, report  # noqa: E402
from reader.workspace import Workspace  # noqa: E402

Files = dict[str, bytes]


def html_files(copies: int, benchmark: Path | None) -> Files:
    pages = benchmark_pages(benchmark) if benchmark else own_pages()
    return {
        f"{n:03}-{name[:40]}.html": html
        for n in range(copies if not benchmark else 1)
        for name, (html, _body) in pages.items()
    }


def pdf_files(count: int) -> Files:
    from tests.unit.test_format_pdf import article_pdf

    return {f"report-{n:03}.pdf": article_pdf(pages=3 + n % 3) for n in range(count)}


def epub_files(count: int) -> Files:
    """Books of two long chapters (about 10,000 words each book)."""
    import random

    from tests.unit.test_format_epub import book, chapter

    words = ("sea lamp storm keeper harbour night ship light rope island wind tide stone "
             "village letter winter coast bell").split()  # fmt: skip
    rng = random.Random(3)

    def long_chapter(heading: str) -> str:
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(words) for _ in range(80)).capitalize() + ".</p>"
            for _ in range(60)
        )
        return chapter(f"<h1>{heading}</h1>{paragraphs}")

    return {
        f"book-{n:03}.epub": book(**{
            "OEBPS/text/chapter 1.xhtml": long_chapter("Chapter One"),
            "OEBPS/text/chapter2.xhtml": long_chapter("Prologue"),
        })
        for n in range(count)
    }


def library_html(data: bytes) -> None:
    import trafilatura

    trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False)


def library_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text()


def extractor_epub(data: bytes) -> None:
    """No library reads EPUB for us (it is a zip of XHTML): the extractor is reader's own."""
    from reader.corpus.formats.epub import extract_epub

    extract_epub(data)


def lxml_floor_epub(data: bytes) -> None:
    import lxml.html
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    package = etree.fromstring(archive.read(opf_path))
    folder = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    hrefs = {item.get("id"): item.get("href") for item in package.iter("{*}item")}
    for ref in package.iter("{*}itemref"):
        href = hrefs[ref.get("idref")].replace("%20", " ")
        lxml.html.fromstring(archive.read(folder + href)).text_content()


def time_library(files: Files, extract: Callable[[bytes], None]) -> float:
    extract(next(iter(files.values())))  # imports are not timed
    start = time.perf_counter()
    for data in files.values():
        extract(data)
    return time.perf_counter() - start


def time_reader(files: Files) -> tuple[float, int]:
    """Seconds for a first sync of a workspace holding `files`, and how many were imported."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        for name, data in files.items():
            (root / "corpus" / name).write_bytes(data)
        start = time.perf_counter()
        with Workspace.open(root) as workspace:
            seconds = time.perf_counter() - start
            imported = sum(d.status == "ok" for d in workspace.documents())
    return seconds, imported


def compare(label: str, files: Files, extract: Callable[[bytes], None], runs: int) -> None:
    library = statistics.median(time_library(files, extract) for _ in range(runs))
    timings = [time_reader(files) for _ in range(runs)]
    reader = statistics.median(seconds for seconds, _ in timings)
    imported = timings[0][1]
    print(
        f"{label:<10} {len(files):>6} {imported:>8} {len(files) / library:>12.1f} "
        f"{len(files) / reader:>12.1f} {reader / library:>7.2f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=10, help="copies of our pages (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="median of this many runs")
    parser.add_argument("--benchmark", type=Path, metavar="DIR_OR_GIT_MIRROR")
    parser.add_argument(
        "--parse", nargs="?", const="", metavar="CORPUS_DIR",
        help="instead: plain-text parse throughput (bench/parse_bench.py) of CORPUS_DIR, or of "
        "--count generated articles",
    )  # fmt: skip
    parser.add_argument("--count", type=int, default=10_000, help="articles for --parse")
    args = parser.parse_args(argv)
    if args.parse is not None:
        from bench.parse_bench import main as parse_main

        return parse_main(Path(args.parse) if args.parse else None, args.count, args.runs)
    print(f"{'format':<10} {'files':>6} {'imported':>8} {'library/s':>12} {'reader/s':>12} "
          f"{'ratio':>8}")  # fmt: skip
    compare("HTML", html_files(args.copies, args.benchmark), library_html, args.runs)
    compare("PDF", pdf_files(10 * args.copies), library_pdf, args.runs)
    books = epub_files(10 * args.copies)
    compare("EPUB", books, extractor_epub, args.runs)
    floor = statistics.median(time_library(books, lxml_floor_epub) for _ in range(args.runs))
    print(f"{'':<10} EPUB floor (lxml parse + text of each chapter): {len(books) / floor:.0f}/s")
    print()
    report("F1, our pages (tests/fixtures/pages)", own_pages(), split=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
