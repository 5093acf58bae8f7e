"""Statistics by attribute: `stats_by_attribute` and the code matrix export against `corpus_stats`
(the tag × document statistics), 10,000 documents and 50,000 highlights, in one run.

Builds the store of bench/stats_bench.py (documents and highlights straight into SQLite), then
gives the documents a few attributes: a date (so `year` and `month`), a source address (so
`site`, 40 outlets), `country` (8 values), `wave` (a number, 1-5) and, for one in ten, a
whole-document tag. Times (median of 5 warm runs):
- `corpus_stats` (the baseline), at full depth;
- `stats_by_attribute` by `site`, `country`, `wave`, `year` and `month`, and by `site` at
  depth 1;
- the matrix export: every document's attributes, the code matrix and its CSV, as
  `reader export --format csv --matrix` makes it (less opening the store and writing the file).

Run `python bench/attribute_stats_bench.py [DOCUMENTS [HIGHLIGHTS]]` (default 10000 50000);
prints each time and its ratio to `corpus_stats` (the aim: at most 1.5x), and asserts that the
figures by attribute add up to those of `corpus_stats`.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils
from stats_bench import build_store, timed

from reader.analysis.by_attribute import code_matrix, stats_by_attribute
from reader.analysis.stats import corpus_stats
from reader.corpus.attributes import attributes_by_document
from reader.exchange.csv_export import attribute_names, export_matrix
from reader.store import open_store

COUNTRIES = ("DE", "FR", "RS", "RU", "UA", "UK", "US", "PL")
AIM = 1.5


def add_attributes(db: sqlite_utils.Database, seed: int = 13) -> None:
    """Dates over 2020-2025, 40 outlets by address, a country and a wave each, and a
    whole-document tag on one document in ten."""
    rng = random.Random(seed)
    ids = [row[0] for row in db.execute("SELECT id FROM documents")]
    db.conn.executemany(
        "UPDATE documents SET date = ?, source = ? WHERE id = ?",
        [
            (
                f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"https://www.outlet{doc_id % 40}.example/article/{doc_id}",
                doc_id,
            )
            for doc_id in ids
        ],
    )
    rows = []
    for doc_id in ids:
        rows.append((doc_id, "country", rng.choice(COUNTRIES), "t"))
        rows.append((doc_id, "wave", str(rng.randint(1, 5)), "t"))
    db.conn.executemany(
        "INSERT INTO document_attributes (document_id, name, value, updated) VALUES (?, ?, ?, ?)",
        rows,
    )
    tag_ids = [row[0] for row in db.execute("SELECT id FROM tags")]
    db.conn.executemany(
        "INSERT INTO document_tags (document_id, tag_id) VALUES (?, ?)",
        [(doc_id, rng.choice(tag_ids)) for doc_id in ids if rng.random() < 0.1],
    )


def matrix_csv(db: sqlite_utils.Database) -> str:
    attributes = attributes_by_document(db)
    return export_matrix(code_matrix(db), attributes, attribute_names(attributes))


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    highlights = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "annotations.db")
        began = time.perf_counter()
        with store.write() as db:
            build_store(db, documents, highlights)
            add_attributes(db)
        print(
            f"store: {documents:,} documents, {highlights:,} highlights, 5 attributes "
            f"(built in {time.perf_counter() - began:.1f} s)"
        )
        db = store.db
        baseline, stats = timed(lambda: corpus_stats(db))
        print(f"corpus_stats (baseline):   {baseline * 1000:6.0f} ms")

        def report(label: str, seconds: float, extra: str = "") -> None:
            ratio = seconds / baseline
            verdict = "ok" if ratio <= AIM else f"OVER {AIM}x"
            print(f"{label:<26} {seconds * 1000:6.0f} ms  {ratio:4.2f}x  {verdict}{extra}")

        by_tag = {t.path: t for t in stats.tags}
        for name in ("site", "country", "wave", "year", "month"):
            seconds, by_value = timed(lambda name=name: stats_by_attribute(db, name))
            for tag in by_value.tags:  # the values together hold every highlight of the tag
                total = sum(r.highlights for r in by_value.rows if r.tag == tag.tag)
                assert total == by_tag[tag.tag].highlights, (name, tag.tag)
            report(f"stats_by {name}", seconds, f"  ({len(by_value.values)} values)")
        seconds, _ = timed(lambda: stats_by_attribute(db, "site", depth=1))
        report("stats_by site, depth 1", seconds)
        seconds, by_value = timed(lambda: stats_by_attribute(db, "month").as_json())
        report("stats_by month + as_json", seconds, f"  ({len(by_value):,} objects)")
        seconds, content = timed(lambda: matrix_csv(db))
        lines = content.count("\n")
        report("matrix export (CSV)", seconds, f"  ({lines - 1:,} rows, {len(content):,} chars)")
        store.close()


if __name__ == "__main__":
    main()
