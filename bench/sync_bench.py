"""Sync benchmark (#16): the first sync against a plain FTS5 insert, and an unchanged corpus
against listing the folder.

For each N (default 1,000 and 10,000) the first N articles of bench/search_corpus.py (~930 words
each; hard links to /tmp/scale/w100k/corpus when it is there, written otherwise) are:
- synced into a fresh workspace in a child process: time and peak RSS (ru_maxrss);
- the baseline, in a child process too: a plain script reads the same files and inserts their
  text into a table and an FTS5 table in one transaction: time and peak RSS; the ratio;
- synced again unchanged (median of 5) against `find -printf '%s %T@'` and a Python
  scandir + stat of every file, in the same run;
- synced after one file changed.
`--code DIR` runs the syncs with another checkout's `reader` (say, a `git worktree` of the
commit before a change), to compare with it in the same run. `--runs K` repeats the first sync
and its baseline K times, one after the other, and prints medians and the range of the ratios
(the baseline alone moves by a third from run to run on a shared machine).

    python bench/sync_bench.py [--code DIR] [--runs K] [N ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path("/tmp/scale/w100k/corpus")  # made by the lead; only linked to, never written
REPO = Path(__file__).resolve().parents[1]

_SYNC = """
import resource, sys, time
from pathlib import Path
from reader.workspace import Workspace
with Workspace.open(Path(sys.argv[1]), sync=False) as ws:
    start = time.perf_counter()
    ws.sync()
    first = time.perf_counter() - start
    again = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        ws.sync()
        again.append(time.perf_counter() - start)
    assert ws.last_sync.unchanged == int(sys.argv[3]), ws.last_sync
    path = sorted((Path(sys.argv[1]) / "corpus").iterdir())[-1]
    text = path.read_text("utf-8")
    path.unlink()  # a hard link to a shared copy: a new file here, the shared one unchanged
    path.write_text(text + "One more line.\\n", "utf-8")
    start = time.perf_counter()
    ws.sync()
    changed = time.perf_counter() - start
    assert ws.last_sync.changed == [path.name], ws.last_sync
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
again.sort()
print(first, peak, again[len(again) // 2] if again else 0.0, changed)
"""

_FTS = """
import os, resource, sqlite3, sys, time
start = time.perf_counter()
corpus = sys.argv[1]
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE texts (id INTEGER PRIMARY KEY, path TEXT UNIQUE, text TEXT)")
db.execute("CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
with db:
    for n, name in enumerate(sorted(os.listdir(corpus))):
        with open(os.path.join(corpus, name), "rb") as handle:
            text = handle.read().decode("utf-8")
        db.execute("INSERT INTO texts VALUES (?, ?, ?)", (n, name, text))
        db.execute("INSERT INTO fts (rowid, body) VALUES (?, ?)", (n, text))
db.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(time.perf_counter() - start, peak)
"""


def corpus_of(count: int, folder: Path) -> Path:
    """`folder/corpus` with the first `count` articles (hard links to the shared copy)."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    if SHARED.is_dir() and len(os.listdir(SHARED)) >= count:
        for i in range(count):
            os.link(SHARED / f"{i:05d}.txt", corpus / f"{i:05d}.txt")
        return corpus
    sys.path.insert(0, str(REPO / "bench"))
    from search_corpus import make_corpus, make_vocabulary

    make_corpus(corpus, count, make_vocabulary())
    return corpus


def warm(corpus: Path) -> None:
    """Read every file once, so that the sync and its baseline both read from the page cache
    (whichever ran first used to read from disk alone: 1,400 ms against 300 for the baseline
    at 1,000 files in one run)."""
    for path in corpus.iterdir():
        path.read_bytes()


def child(code: str, args: list[str], reader: Path) -> list[float]:
    env = os.environ | {"PYTHONPATH": str(reader)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return [float(x) for x in out.stdout.split()]


def listing_times(corpus: Path) -> tuple[float, float]:
    """`find -printf` of the folder, and Python scandir + stat of every file (medians of 5)."""
    finds, scans = [], []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            ["find", str(corpus), "-printf", "%s %T@\n"], stdout=subprocess.DEVNULL, check=True
        )
        finds.append(time.perf_counter() - start)
        start = time.perf_counter()
        with os.scandir(corpus) as entries:
            for entry in entries:
                entry.stat(follow_symlinks=False)
        scans.append(time.perf_counter() - start)
    return statistics.median(finds), statistics.median(scans)


def run(count: int, reader: Path, scratch: Path, runs: int = 1) -> None:
    syncs: list[list[float]] = []
    bases: list[list[float]] = []
    for n in range(runs):
        folder = scratch / f"n{count}-{n}"
        corpus = corpus_of(count, folder / "ws")
        warm(corpus)
        syncs.append(child(_SYNC, [str(folder / "ws"), "5", str(count)], reader))
        bases.append(child(_FTS, [str(corpus), str(folder / "fts.db")], reader))
        if n < runs - 1:
            shutil.rmtree(folder)
    first, again, changed = (statistics.median(s[i] for s in syncs) for i in (0, 2, 3))
    base = statistics.median(b[0] for b in bases)
    peak, base_peak = max(s[1] for s in syncs), max(b[1] for b in bases)  # the highest seen
    find, scandir = listing_times(corpus)
    ratios = sorted(s[0] / b[0] for s, b in zip(syncs, bases, strict=True))
    spread = f" (runs {ratios[0]:.2f}-{ratios[-1]:.2f}x)" if runs > 1 else ""
    print(f"N={count:,}" + (f", median of {runs} runs" if runs > 1 else ""))
    print(f"  first sync      {first:8.2f} s   peak {peak:7.0f} MB")
    print(
        f"  FTS5 baseline   {base:8.2f} s   peak {base_peak:7.0f} MB   "
        f"ratio {first / base:.2f}x{spread}"
    )
    print(
        f"  unchanged sync  {again * 1000:8.0f} ms   find -printf {find * 1000:.0f} ms "
        f"({again / find:.2f}x)   scandir+stat {scandir * 1000:.0f} ms ({again / scandir:.2f}x)"
    )
    print(f"  one file changed{changed * 1000:8.0f} ms")
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose reader to sync")
    parser.add_argument("--scratch", type=Path, default=None, help="folder for the workspaces")
    parser.add_argument("--runs", type=int, default=1, help="first syncs and baselines, each")
    args = parser.parse_args()
    print(f"reader from {args.code}")
    with tempfile.TemporaryDirectory(dir=args.scratch) as tmp:
        for count in args.counts:
            run(count, args.code.resolve(), Path(tmp), max(1, args.runs))


if __name__ == "__main__":
    main()
