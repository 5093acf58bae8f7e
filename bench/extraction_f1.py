"""How much of each article `extract_html` keeps, against trafilatura's defaults.

The figure is ScrapingHub's shingle F1 (article-extraction-benchmark's evaluate.py): texts are
tokenised as `\\w+`, cut into 4-word shingles, and each page gets a precision and a recall
(normalised so long pages weigh no more than short ones); F1 is that of the mean precision and
the mean recall.

    python bench/extraction_f1.py                   # our pages, tests/fixtures/pages
    python bench/extraction_f1.py --benchmark DIR   # also ScrapingHub's pages

DIR is a checkout of scrapinghub/article-extraction-benchmark or a bare git mirror of it. Its
pages are split in two by the first byte of their id (even: tuning half, odd: held-out half);
the options in `reader/corpus/formats/html.py` were chosen on the tuning half only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
_TOKEN = re.compile(r"\w+", re.UNICODE)

Scores = tuple[float, float, float]  # true positives, false positives, false negatives


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_scores(true: str, pred: str) -> Scores:
    """One page's shingle TP/FP/FN, normalised to sum to 1 (evaluate.py's definition)."""
    expected, found = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in expected.keys() | found.keys():
        want, got = expected.get(key, 0), found.get(key, 0)
        tp += min(want, got)
        fp += max(0, got - want)
        fn += max(0, want - got)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def f1_precision_recall(scores: list[Scores]) -> tuple[float, float, float]:
    """F1 of the mean precision and mean recall over pages, as evaluate.py reports it."""
    precision = statistics.mean([_precision(*s) for s in scores if s[0] + s[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*s) for s in scores if s[0] + s[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def own_pages(folder: Path = PAGES) -> dict[str, tuple[bytes, str]]:
    """Our committed pages: name -> (HTML bytes, hand-made article body)."""
    return {
        page.name.removesuffix(".html"): (
            page.read_bytes(),
            page.with_suffix(".body.txt").read_text(encoding="utf-8"),
        )
        for page in sorted(folder.glob("*.html"))
    }


def benchmark_pages(location: Path) -> dict[str, tuple[bytes, str]]:
    """ScrapingHub's pages (id -> HTML, ground-truth body) from a checkout or a bare mirror."""
    if (location / "ground-truth.json").exists():
        truth = json.loads((location / "ground-truth.json").read_text(encoding="utf-8"))
        return {
            key: (
                gzip.decompress((location / "html" / f"{key}.html.gz").read_bytes()),
                value.get("articleBody", ""),
            )
            for key, value in truth.items()
        }

    def show(path: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(location), "show", f"HEAD:{path}"], capture_output=True, check=True
        ).stdout

    truth = json.loads(show("ground-truth.json"))
    return {
        key: (gzip.decompress(show(f"html/{key}.html.gz")), value.get("articleBody", ""))
        for key, value in truth.items()
    }


def reader_extract(data: bytes) -> str:
    """`extract_html`'s body, or nothing when it refuses the page."""
    from reader.corpus.formats import Unreadable
    from reader.corpus.formats.html import extract_html

    try:
        return extract_html(data).text
    except Unreadable:
        return ""


def trafilatura_defaults(data: bytes) -> str:
    """Trafilatura as the benchmark runs it: defaults, comments left out."""
    import trafilatura

    return trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False) or ""


def measure(
    pages: dict[str, tuple[bytes, str]], extractor: Callable[[bytes], str]
) -> tuple[dict[str, Scores], float]:
    """Each page's scores, and the seconds the extractor took over all of them."""
    scores: dict[str, Scores] = {}
    spent = 0.0
    extractor(b"<html><body><p>Warm-up: imports are not timed.</p></body></html>")
    for key, (html, truth) in pages.items():
        start = time.perf_counter()
        predicted = extractor(html)
        spent += time.perf_counter() - start
        scores[key] = shingle_scores(truth, predicted)
    return scores, spent


def _row(label: str, scores: dict[str, Scores], keys: list[str], seconds: float | None) -> str:
    f1, precision, recall = f1_precision_recall([scores[key] for key in keys])
    timing = f"{seconds:8.2f}" if seconds is not None else " " * 8
    return f"{label:<34} {len(keys):>5} {f1:7.4f} {precision:7.4f} {recall:7.4f} {timing}"


def report(name: str, pages: dict[str, tuple[bytes, str]], split: bool) -> None:
    """Print F1 (and precision, recall, seconds) for both extractors on `pages`."""
    print(f"{name:<34} {'pages':>5} {'F1':>7} {'prec':>7} {'recall':>7} {'seconds':>8}")
    keys = sorted(pages)
    for label, extractor in (
        ("reader extract_html", reader_extract),
        ("trafilatura defaults", trafilatura_defaults),
    ):
        scores, seconds = measure(pages, extractor)
        print(_row(f"  {label}: all", scores, keys, seconds))
        if split:
            tune = [key for key in keys if int(key[:2], 16) % 2 == 0]
            held = [key for key in keys if int(key[:2], 16) % 2 == 1]
            print(_row(f"  {label}: tuning half", scores, tune, None))
            print(_row(f"  {label}: held-out half", scores, held, None))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--benchmark",
        type=Path,
        metavar="DIR_OR_GIT_MIRROR",
        help="also score ScrapingHub's article-extraction-benchmark pages",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    report("our pages (tests/fixtures/pages)", own_pages(), split=False)
    if args.benchmark is not None:
        if not args.benchmark.exists():
            parser.error(f"no benchmark at {args.benchmark}")
        report("ScrapingHub benchmark", benchmark_pages(args.benchmark), split=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
