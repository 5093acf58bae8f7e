"""The floor of a first sync (#16): what the store's own writes cost, against the plain FTS5
insert sync_bench compares the sync with (its very script, in a child process), measured in the
same run, interleaved.

The first N articles (as sync_bench takes them) go into a fresh workspace's store with every
row prepared beforehand: no parsing, no per-file Python, no worker, one transaction; only the
INSERTs a first sync makes (documents, texts, paragraphs and their index, titles) and the
vocabulary recount that typo search needs. What a sync costs above this floor is its own
overhead; where the floor alone is above 1.3x the baseline, no sync of this schema can be under.

    python bench/store_floor.py [--runs K] [N ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_bench import _FTS, REPO, child, corpus_of, warm

from reader.search.index import VOCABULARY_STALE, finish_bulk_index
from reader.text.paragraphs import passage_spans
from reader.workspace import Workspace

_COLUMNS = (
    "id, path, status, size, mtime_ns, content_hash, encoding, title, author, date, source, "
    "words, reading_minutes, added, updated, kind, site, description, file_metadata"
)


def store_floor(corpus: Path, root: Path) -> tuple[float, float]:
    """(the store's writes, of which the vocabulary recount), rows made before timing."""
    names = sorted(os.listdir(corpus))
    texts = [(corpus / name).read_text("utf-8") for name in names]
    now = "2026-01-01T00:00:00Z"
    documents = [
        (
            *(n, name, "ok", len(text), 0, f"{n:064x}", "utf-8", name, "Author", "2026-01-01"),
            *(None, len(text.split()), 4, now, now, "text", "site", None, '{"title": "t"}'),
        )
        for n, (name, text) in enumerate(zip(names, texts, strict=True), 1)
    ]
    passages, bodies = [], []
    for n, text in enumerate(texts, 1):
        for start, end in passage_spans(text):
            passages.append((len(passages) + 1, n, start, end, None))
            bodies.append((len(bodies) + 1, text[start:end]))
    (root / "corpus").mkdir(parents=True)
    with Workspace.open(root, sync=False) as ws:
        conn = ws.store.conn
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO search_text (search_text, rank) VALUES ('hashsize', ?)", (2**24,))
        conn.executemany(
            f"INSERT INTO documents ({_COLUMNS}) VALUES ({', '.join('?' * 19)})", documents
        )
        conn.executemany(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)",
            list(enumerate(texts, 1)),
        )
        conn.executemany(
            'INSERT INTO search_passages (id, document_id, start, "end", body) '
            "VALUES (?, ?, ?, ?, ?)",
            passages,
        )
        conn.executemany("INSERT INTO search_text (rowid, body) VALUES (?, ?)", bodies)
        conn.executemany(
            "INSERT INTO search_titles (rowid, body) VALUES (?, ?)",
            [(n, f"{name} · Author") for n, name in enumerate(names, 1)],
        )
        conn.execute(
            "INSERT INTO ui_state (name, value, updated) VALUES (?, '1', ?)",
            (VOCABULARY_STALE, now),
        )
        counted = time.perf_counter()
        finish_bulk_index(conn)
        vocabulary = time.perf_counter() - counted
        conn.execute("COMMIT")
        return time.perf_counter() - start, vocabulary


def run(count: int, scratch: Path, runs: int) -> None:
    folder = scratch / f"n{count}"
    corpus = corpus_of(count, folder / "source")
    warm(corpus)
    bases, floors, vocabularies = [], [], []
    for n in range(runs):
        bases.append(child(_FTS, [str(corpus), str(folder / f"fts{n}.db")], REPO)[0])
        floor, vocabulary = store_floor(corpus, folder / f"ws{n}")
        floors.append(floor)
        vocabularies.append(vocabulary)
        shutil.rmtree(folder / f"ws{n}")
    base, floor = statistics.median(bases), statistics.median(floors)
    vocabulary = statistics.median(vocabularies)
    print(f"N={count:,}, median of {runs}")
    print(f"  FTS5 baseline      {base * 1000:8.0f} ms")
    print(f"  store floor        {floor * 1000:8.0f} ms   {floor / base:.2f}x the baseline")
    print(
        f"  of which vocabulary{vocabulary * 1000:8.0f} ms   "
        f"without it {(floor - vocabulary) / base:.2f}x"
    )
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scratch", type=Path, default=None, help="folder for the workspaces")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        for count in args.counts:
            run(count, Path(tmp), max(1, args.runs))


if __name__ == "__main__":
    main()
