"""Sync benchmark: what opening a workspace costs when the corpus has not changed.

Builds a synthetic corpus (default 10,000 articles of ~900 words), then times in one run:
- the first sync (every file read, decoded, parsed and stored),
- a no-change sync (reader's design: one stat per file plus one SELECT),
- the baseline a naive design would pay on every start: read and hash every file,
- a sync after one file changed.
Prints figures; run with `make bench` or `python bench/sync_bench.py [N]`.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reader.workspace import Workspace

WORDS = (
    "serbia russia belgrade moscow sanctions arms contracts energy gas pipeline defense minister "
    "president government analysts policy european union neutrality weapons purchases military "
    "relations cooperation pressure western balkans kremlin ukraine war security council"
).split()


def make_corpus(corpus: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    corpus.mkdir(parents=True)
    for i in range(count):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 120))).capitalize() + "."
            for _ in range(10)
        ]
        title = " ".join(rng.choice(WORDS) for _ in range(7)).title()
        body = f"{title}\n\nBy Jane Doe\n\nMarch {1 + i % 28}, 2024\n\n" + "\n\n".join(paragraphs)
        (corpus / f"{i:05d}.txt").write_text(body + "\n", encoding="utf-8")


def timed(fn, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def naive_rescan(corpus: Path) -> None:
    for path in sorted(corpus.iterdir()):
        hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        make_corpus(root / "corpus", count)
        size_mb = sum(p.stat().st_size for p in (root / "corpus").iterdir()) / 1e6
        print(f"corpus: {count} files, {size_mb:.1f} MB (made in {time.perf_counter() - t0:.1f} s)")

        [first] = timed(lambda: Workspace.open(root).close())
        print(f"first sync (import everything):  {first:8.2f} s")

        unchanged = timed(lambda: Workspace.open(root).close(), repeat=5)
        naive = timed(lambda: naive_rescan(root / "corpus"), repeat=5)
        median_unchanged, median_naive = statistics.median(unchanged), statistics.median(naive)
        print(f"no-change sync (stat per file):  {median_unchanged * 1000:8.1f} ms  (median of 5)")
        print(f"baseline: read+hash every file:  {median_naive * 1000:8.1f} ms  (median of 5)")
        print(f"speed-up over baseline:          {median_naive / median_unchanged:8.1f}x")

        target = root / "corpus" / "00042.txt"
        target.write_text(target.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        [one_changed] = timed(lambda: Workspace.open(root).close())
        print(f"sync with one file changed:      {one_changed * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
