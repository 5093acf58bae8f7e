"""Parse throughput of a plain-text corpus (#16): files/s and MB/s for reading alone, the old
in-process parse, the new one, and `parse_files` with its worker processes, all in one run.

    python bench/ingest_bench.py --parse [CORPUS_DIR] [--count N] [--runs R]

Without CORPUS_DIR, N articles (default 10,000) of the search benchmark's generator are written
to a temporary folder. Every figure reads the files from disk the same way (the page cache
warm after the first pass, which is not timed). "Old" is today's code with the word count,
the header-line split and the date look-up of before #16 put back, so the baseline is measured
on this machine, under this load, in this run.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.corpus import metadata, parse_pool
from reader.corpus.dates import DATE_PATTERNS, FoundDate, _as_found
from reader.corpus.file_parse import read_and_parse
from reader.corpus.ingest import extract_in_process
from reader.corpus.scan import FileState
from reader.text.decoding import decode_bytes

_OLD_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def states_of(corpus: Path) -> list[FileState]:
    found = []
    for entry in sorted(os.scandir(corpus), key=lambda entry: entry.name):
        info = entry.stat()
        found.append(FileState(entry.name, info.st_size, info.st_mtime_ns))
    return found


@contextmanager
def old_parse() -> Iterator[None]:
    """The word count by regex, the whole-text line split and every date regex tried on every
    header line, as before #16's changes."""
    saved = metadata.count_words, metadata._lines, metadata.date_at_start
    metadata.count_words = lambda text: len(_OLD_WORD.findall(text))  # type: ignore[assignment]
    metadata._lines = lambda text: iter(text.split("\n"))  # type: ignore[assignment]
    metadata.date_at_start = _old_date_at_start
    try:
        yield
    finally:
        metadata.count_words, metadata._lines, metadata.date_at_start = saved


def _old_date_at_start(text: str) -> FoundDate | None:
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match and (date := _as_found(match)):
            return date
    return None


def read_only(corpus: Path, states: list[FileState]) -> None:
    for state in states:
        decode_bytes((corpus / state.path).read_bytes())


def in_process(corpus: Path, states: list[FileState]) -> None:
    for state in states:
        read_and_parse(corpus, state.path, False, extract_in_process, None)


def old_in_process(corpus: Path, states: list[FileState]) -> None:
    with old_parse():
        in_process(corpus, states)


def pooled(corpus: Path, states: list[FileState]) -> None:
    """Workers started inside the timing: a sync pays for them too."""
    for state in parse_pool.parse_files(corpus, iter(states), None, None):
        assert state.parsed is not None


def run(corpus: Path, runs: int) -> None:
    states = states_of(corpus)
    megabytes = sum(state.size for state in states) / 2**20
    read_only(corpus, states)  # warm the page cache; not timed
    rows: list[tuple[str, Callable[[Path, list[FileState]], None]]] = [
        ("read_bytes + decode (floor)", read_only),
        ("old parse, in process (baseline)", old_in_process),
        ("new parse, in process", in_process),
        (f"parse_files, {parse_pool.PARSE_WORKERS} workers", pooled),
    ]
    timings: dict[str, list[float]] = {label: [] for label, _ in rows}
    cpu: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in rows}
    for _ in range(runs):  # interleaved, so a burst of load falls on every row alike
        for label, parse in rows:
            start, own, workers = time.perf_counter(), time.process_time(), _children_cpu()
            parse(corpus, states)
            timings[label].append(time.perf_counter() - start)
            cpu[label].append((time.process_time() - own, _children_cpu() - workers))
    print(f"{len(states):,} files, {megabytes:,.1f} MB, {os.cpu_count()} cores, "
          f"median of {runs} run(s)")  # fmt: skip
    print(f"{'':<36} {'seconds':>8} {'files/s':>9} {'MB/s':>7} {'vs baseline':>12} "
          f"{'CPU s: this process':>20} {'workers':>8}")  # fmt: skip
    baseline = statistics.median(timings[rows[1][0]])
    for label, _ in rows:
        seconds = statistics.median(timings[label])
        print(
            f"{label:<36} {seconds:>8.2f} {len(states) / seconds:>9,.0f} "
            f"{megabytes / seconds:>7.1f} {baseline / seconds:>11.2f}x "
            f"{statistics.median(own for own, _ in cpu[label]):>20.2f} "
            f"{statistics.median(workers for _, workers in cpu[label]):>8.2f}"
        )
    print("A sync writes SQLite in this process: CPU taken off it is what the workers give, "
          "even when a busy machine has no idle core to shorten the wall time.")


def _children_cpu() -> float:
    """CPU seconds of the worker processes that have ended (the pool's end with each run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(corpus: Path | None, count: int, runs: int) -> int:
    if corpus is not None:
        run(corpus, runs)
        return 0
    from bench.search_corpus import make_corpus, make_vocabulary

    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        make_corpus(folder, count, make_vocabulary())
        run(folder, runs)
    return 0
