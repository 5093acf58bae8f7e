"""Scale benchmark (#16): what 1,000, 10,000 and 100,000 articles cost, each figure beside a
baseline measured in the same run. Prints the README's table.

Articles are bench/search_corpus.py's (~930 words each), through sync_bench's `corpus_of` (hard
links to a shared copy when there is one). For each size, in a fresh workspace:
- first sync in a child process, time and peak RSS, against sync_bench's plain FTS5 insert of
  the same files (a table and an FTS5 table, one transaction; also a child, with its peak);
  every file is read once before either, so both read from the page cache;
- re-sync of the unchanged corpus (median of 5) against `find -printf '%s %T@'` of the folder;
- `reader search sancitons` as a whole process (median and worst of 7), against
  `python -c 'import click'`;
- the query in process, median and worst over QUERIES (words, typos, names typed without their
  accents, a phrase), against a bare FTS5 MATCH on the paragraph index for the same words;
- the TUI's first frame in a 160x48 pseudo-terminal (tui_start_bench's measure) on the synced
  workspace and on a fresh copy never synced (with the first library rows), against a Textual
  app holding one Static.

    python bench/scale_bench.py [SIZES...] [--scratch DIR]      (default 1000 10000)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from sync_bench import _FTS, _SYNC, REPO, child, corpus_of, listing_times, warm  # noqa: E402
from tui_start_bench import BASELINE_APP, READER, run_in_pty  # noqa: E402

QUERIES = (
    "sanctions",
    "sancitons",
    "belgrade energy",
    "pipeline",
    "Djuric",
    "Dordevic",
    "vucic",
    '"european union"',
    "neutrality kremlin",
    "goverment",
)

_QUERY_TIMES = """
import json, sqlite3, statistics, sys, time
from pathlib import Path
from reader.workspace import Workspace
root, queries = Path(sys.argv[1]), json.loads(sys.argv[2])
with Workspace.open(root, sync=False) as ws:
    for q in queries:
        ws.search(q)  # warm
    times = []
    for q in queries:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            ws.search(q)
            runs.append(time.perf_counter() - start)
        times.append(statistics.median(runs))
conn = sqlite3.connect(root / "annotations.db")
bare = []
for q in queries:
    words = " ".join('"' + w.strip('"') + '"' for w in q.split())
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        conn.execute("SELECT rowid FROM search_text WHERE search_text MATCH ? ORDER BY rank "
                     "LIMIT 50", [words]).fetchall()
        runs.append(time.perf_counter() - start)
    bare.append(statistics.median(runs))
print(json.dumps({"query": times, "bare": bare}))
"""


def _whole_process(argv: list[str], runs: int = 7) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _frames(root: Path, fresh: Path, scratch: Path) -> dict[str, str]:
    """TUI first frame on the synced workspace and on a never-synced copy, median of 3, beside
    the one-Static Textual app, runs interleaved so the machine's load weighs on each alike."""
    baseline = scratch / "baseline_app.py"
    baseline.write_text(BASELINE_APP, "utf-8")
    base, synced, first, rows = [], [], [], []
    for _ in range(3):
        base.append(run_in_pty([sys.executable, str(baseline)], scratch, b"baseline-ready"))
        synced.append(run_in_pty([READER, "--no-resume"], root, b"Library"))
        if fresh.exists():
            shutil.rmtree(fresh / ".reader", ignore_errors=True)
            for stale in fresh.glob("annotations.db*"):
                stale.unlink()
            got = run_in_pty([READER, "--no-resume"], fresh, b"Library", expect_rows=1)
            first.append(got.first_frame)
            rows.append(got.first_rows)

    def median(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return statistics.median(known) if known else None

    return {
        "TUI first frame, synced": _ms(median([s.first_frame for s in synced])),
        "TUI first frame, never synced (first rows)": f"{_ms(median(first))} ({_ms(median(rows))})",
        "one-Static Textual app (baseline)": _ms(median([b.first_frame for b in base])),
    }


def run(size: int, scratch: Path) -> dict[str, str]:
    folder = scratch / f"n{size}"
    shutil.rmtree(folder, ignore_errors=True)
    corpus = corpus_of(size, folder / "ws")
    warm(corpus)
    fts_db = folder / "fts.db"
    base, base_peak = child(_FTS, [str(corpus), str(fts_db)], REPO)
    for leftover in folder.glob("fts.db*"):
        leftover.unlink()
    first, peak, again, _changed = child(_SYNC, [str(folder / "ws"), "5", str(size)], REPO)
    find, _scandir = listing_times(corpus)
    queries = subprocess.run(
        [sys.executable, "-c", _QUERY_TIMES, str(folder / "ws"), json.dumps(QUERIES)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    timed = json.loads(queries.stdout.strip().splitlines()[-1])
    search = _whole_process([READER, "-w", str(folder / "ws"), "search", "sancitons"])
    click = _whole_process([sys.executable, "-c", "import click"])
    fresh = folder / "fresh"
    (fresh / "corpus").mkdir(parents=True)
    for path in corpus.iterdir():
        (fresh / "corpus" / path.name).hardlink_to(path)
    row = {
        "articles": f"{size:,}",
        "first sync (peak memory)": f"{_ms(first)} ({peak:,.0f} MB)",
        "plain FTS5 insert (baseline)": f"{_ms(base)} ({base_peak:,.0f} MB)",
        "first sync / FTS5 insert": f"{first / base:.2f}x",
        "re-sync, unchanged": _ms(again),
        "find -printf (baseline)": _ms(find),
        "`reader search` whole process (worst)": (
            f"{_ms(statistics.median(search))} ({_ms(max(search))})"
        ),
        "python -c 'import click' (baseline)": _ms(statistics.median(click)),
        "query in process, p50 / worst": (
            f"{_ms(statistics.median(timed['query']))} / {_ms(max(timed['query']))}"
        ),
        "bare FTS5 MATCH p50 (baseline)": _ms(statistics.median(timed["bare"])),
    }
    row |= _frames(folder / "ws", fresh, scratch)
    shutil.rmtree(folder)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/reader-scale-bench"))
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        rows.append(run(size, args.scratch))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print("\n| at | " + " | ".join(row["articles"] for row in rows) + " |")
    print("| --- |" + " --- |" * len(rows))
    for key in rows[0]:
        if key != "articles":
            print(f"| {key} | " + " | ".join(row[key] for row in rows) + " |")


if __name__ == "__main__":
    main()
