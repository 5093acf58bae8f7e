"""Statistics benchmark: `corpus_stats` over 10,000 documents and 50,000 highlights.

Builds a seeded synthetic store in a temporary folder (documents and highlights written straight
into SQLite: statistics never read the texts), then times, in one run:
- `corpus_stats` end to end (median of 5 warm runs), at full depth and rolled up to depth 1;
- its co-occurrence part alone: the sort-and-sweep against the baseline, an all-pairs loop over
  each document's highlights (same input, same answer, checked);
- one dense document (5,000 highlights over 60,000 code points, ~4 overlaps each), sweep
  against all pairs, where the quadratic baseline shows.

Run `python bench/stats_bench.py [DOCUMENTS [HIGHLIGHTS]]` (default 10000 50000); prints
figures, asserts only that both methods agree.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from reader.analysis.stats import Highlight, cooccurrence, corpus_stats
from reader.store import open_store

TAGS = (
    "actor/russia actor/serbia actor/serbia/government actor/serbia/vucic actor/eu actor/usa "
    "actor/china frame/history frame/security frame/economy/energy frame/economy/arms "
    "frame/sanctions tone/critical tone/neutral method/quote method/statistic key-claim background"
).split()
RUNS = 5


def build_store(db: sqlite_utils.Database, documents: int, highlights: int, seed: int = 7) -> None:
    """`documents` articles of ~900 words (~6,000 code points) and `highlights` spread over them
    at random (20-400 code points long, so some overlap), with 0-3 tags each, a third noted and
    one in fifty orphaned."""
    rng = random.Random(seed)
    tag_ids = []
    for name in TAGS:
        cursor = db.execute(
            "INSERT INTO tags (name, key, color) VALUES (?, ?, '#e5c07b')", [name, name.casefold()]
        )
        tag_ids.append(int(cursor.lastrowid or 0))
    db.conn.executemany(
        "INSERT INTO documents (id, path, status, title, source, words, added, updated) "
        "VALUES (?, ?, 'ok', ?, ?, ?, 't', 't')",
        [
            (i, f"{i:05d}.txt", f"Article {i}", f"Outlet {i % 40}", rng.randint(600, 1200))
            for i in range(1, documents + 1)
        ],
    )
    annotation_rows, tag_rows = [], []
    for ann_id in range(1, highlights + 1):
        start = rng.randrange(6000)
        annotation_rows.append(
            (
                ann_id,
                f"h{ann_id}",
                rng.randint(1, documents),
                start,
                start + rng.randint(20, 400),
                "check this" if rng.random() < 0.33 else "",
                "orphaned" if rng.random() < 0.02 else "anchored",
            )
        )
        for tag_id in rng.sample(tag_ids, rng.choice((0, 1, 1, 2, 3))):
            tag_rows.append((ann_id, tag_id))
    db.conn.executemany(
        'INSERT INTO annotations (id, uid, document_id, start, "end", quote, content_hash, note, '
        "status, created, updated) VALUES (?, ?, ?, ?, ?, 'q', 'h', ?, ?, 't', 't')",
        annotation_rows,
    )
    db.conn.executemany("INSERT INTO annotation_tags VALUES (?, ?)", tag_rows)


def all_pairs(highlights: list[Highlight]) -> dict[tuple[str, str], int]:
    """The baseline: every pair of highlights of a document (itself included), checked."""
    by_document: dict[int, list[Highlight]] = {}
    for h in highlights:
        if h.tags:
            by_document.setdefault(h.document_id, []).append(h)
    counts: dict[tuple[str, str], int] = {}
    for items in by_document.values():
        for i, j in itertools.combinations_with_replacement(range(len(items)), 2):
            h1, h2 = items[i], items[j]
            overlap = h1.start < h2.end and h2.start < h1.end
            if i != j and (h1.orphaned or h2.orphaned or not overlap):
                continue
            for pair in {tuple(sorted((a, b))) for a in h1.tags for b in h2.tags if a != b}:
                counts[pair] = counts.get(pair, 0) + 1
    return counts


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    """Median seconds of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def input_highlights(db: sqlite_utils.Database) -> list[Highlight]:
    names = dict(db.execute("SELECT id, key FROM tags").fetchall())
    tags: dict[int, set[str]] = {}
    for ann_id, tag_id in db.execute("SELECT annotation_id, tag_id FROM annotation_tags"):
        tags.setdefault(ann_id, set()).add(names[tag_id])
    return [
        Highlight(doc, start, end, frozenset(tags.get(ann_id, ())), status == "orphaned")
        for ann_id, doc, start, end, status in db.execute(
            'SELECT id, document_id, start, "end", status FROM annotations'
        )
    ]


def dense_document(count: int = 5000, span: int = 60_000, seed: int = 11) -> list[Highlight]:
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        start = rng.randrange(span)
        tags = frozenset(rng.sample(TAGS, rng.choice((1, 1, 2, 3))))
        made.append(Highlight(1, start, start + rng.randint(10, 50), tags))
    return made


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    highlights = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "annotations.db")
        began = time.perf_counter()
        with store.write() as db:
            build_store(db, documents, highlights)
        print(
            f"store: {documents:,} documents, {highlights:,} highlights "
            f"(built in {time.perf_counter() - began:.1f} s)"
        )
        seconds, stats = timed(lambda: corpus_stats(store.db))
        print(
            f"corpus_stats:          {seconds * 1000:7.0f} ms  ({len(stats.tags)} tag rows, "
            f"{len(stats.cooccurrence)} pairs, {len(stats.documents):,} documents)"
        )
        seconds, _ = timed(lambda: corpus_stats(store.db, depth=1))
        print(f"corpus_stats depth=1:  {seconds * 1000:7.0f} ms")
        seconds, _ = timed(lambda: stats.as_json())
        print(f"as_json:               {seconds * 1000:7.0f} ms")

        given = input_highlights(store.db)
        sweep_s, swept = timed(lambda: cooccurrence(given))
        naive_s, naive = timed(lambda: all_pairs(given))
        assert swept == naive, "the sweep and the all-pairs baseline disagree"
        print(
            f"co-occurrence, corpus: sweep {sweep_s * 1000:6.0f} ms · all pairs per document "
            f"{naive_s * 1000:6.0f} ms (same answer)"
        )
        dense = dense_document()
        sweep_s, swept = timed(lambda: cooccurrence(dense), runs=3)
        naive_s, naive = timed(lambda: all_pairs(dense), runs=1)
        assert swept == naive, "the sweep and the all-pairs baseline disagree"
        print(
            f"co-occurrence, one document with {len(dense):,} highlights: sweep "
            f"{sweep_s * 1000:6.0f} ms · all pairs {naive_s * 1000:6.0f} ms (same answer)"
        )
        store.close()


if __name__ == "__main__":
    main()
