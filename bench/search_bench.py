"""Search benchmark: latency, quality, index build and size at 1,000 and 10,000 articles.

For each corpus size (seeded synthetic articles from bench/search_corpus.py, ~900 words each,
Zipf vocabulary, accented Serbian names; 5 highlights per article with tags and notes) it times,
in one run:
- the first sync (import and index every file) against a first sync with the index left out,
  and the index build alone (a full rebuild);
- the index size against the raw text;
- per query kind (typo, missing accents, phrase with a typo, partial word, tag prefix, note
  fragment; names with Đ, Ł, Ø, ß, Æ, Þ typed in ASCII; a tag's name as a plain word, alone or
  with a word of the quote; a common word with a typo, alone; planted right answers in the first
  1,000 articles, see bench/search_planted.py): median and worst latency of `Workspace.search`
  in process, warm (median of 5 runs per query), and whether a right answer is in the top 10
  (each miss is printed); the same before #16's typo ranking, in the same run;
- the baseline in the same run: a naive single-thread rapidfuzz `partial_ratio` scan over every
  paragraph and note (held in memory), with its own latency and top-10 hit rate.
At the largest size it also runs every query as one-shot processes, whole process each, with
peak memory, in rotating order: bench/search_oneshot.py (import, open without syncing, search,
print), the real `python -m reader search --json` (which syncs first: one stat per file), and
`fzf --filter` over the same paragraphs and notes; and a few one-shot runs that sync first, to
show what the sync adds.

Run `python bench/search_bench.py [SIZES...]` (default 1000 10000); prints figures, asserts
nothing. Needs fzf on PATH for the fzf column (Debian package `fzf`). `--keep DIR` builds the
articles and each size's workspace in DIR once and reuses them in later runs (100,000 articles
take ~10 minutes to build); `--no-scan` leaves out the naive scan and the one-shot processes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from search_corpus import (
    Highlight,
    PlantedQuery,
    Vocabulary,
    make_annotations,
    make_corpus,
    make_vocabulary,
    plant_queries,
)
from search_hits import first_hit, spans
from search_planted import (
    identifiable,
    plant_common_typos,
    plant_folded_queries,
    plant_tag_name_queries,
)
from search_processes import measure_processes

import reader.corpus.sync as sync_module
import reader.search.vocabulary as vocabulary
from reader.search import rebuild_search_index
from reader.workspace import Workspace

BENCH = Path(__file__).resolve().parent
ONESHOT = BENCH / "search_oneshot.py"
KINDS = (
    "typo", "accents", "phrase_typo", "partial", "tag_prefix", "note", "folded", "tag_name",
    "tag_quote", "common_typo",
)  # fmt: skip
RUNS = 5
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SYNCED_ONESHOTS = 5
RARE_RANK = 20_000  # a name's paragraph is told apart by a word this rare in the Zipf order


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


class Timer:
    """Adds up the time spent in a wrapped function."""

    def __init__(self, fn: Callable) -> None:
        self.fn, self.total = fn, 0.0

    def __call__(self, *args: object) -> object:
        start = time.perf_counter()
        try:
            return self.fn(*args)
        finally:
            self.total += time.perf_counter() - start


def link_corpus(root: Path, count: int, source: Path) -> None:
    (root / "corpus").mkdir(parents=True)
    for i in range(count):
        os.link(source / f"{i:05d}.txt", root / "corpus" / f"{i:05d}.txt")


def sync_without_index(root: Path, count: int, source: Path) -> float:
    """The first sync with the search index left out: what sync cost before it."""
    link_corpus(root, count, source)
    index, settle = sync_module.index_document, sync_module.settle_search_index
    sync_module.index_document = lambda db, document_id: None  # type: ignore[assignment]
    sync_module.settle_search_index = lambda db: None  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        Workspace.open(root).close()
        return time.perf_counter() - start
    finally:
        sync_module.index_document, sync_module.settle_search_index = index, settle
        shutil.rmtree(root)


def build(
    root: Path, count: int, source: Path, timed: bool = True
) -> tuple[Workspace, list[Highlight], dict]:
    """Workspace of the first `count` articles of `source`, synced and annotated; `timed`
    also times a first sync without the index and a full rebuild of it."""
    figures: dict[str, float] = {}
    if timed:
        figures["first sync, no index"] = sync_without_index(root, count, source)
    link_corpus(root, count, source)
    index, settle = sync_module.index_document, sync_module.settle_search_index
    sync_module.index_document, sync_module.settle_search_index = Timer(index), Timer(settle)
    try:
        start = time.perf_counter()
        workspace = Workspace.open(root)
        figures["first sync"] = time.perf_counter() - start
        figures["of which indexing"] = (
            sync_module.index_document.total + sync_module.settle_search_index.total  # type: ignore[attr-defined]
        )
    finally:
        sync_module.index_document, sync_module.settle_search_index = index, settle
    start = time.perf_counter()
    with workspace.store.write() as db:
        highlights = make_annotations(db)
    figures["highlights added"] = time.perf_counter() - start
    if timed:
        start = time.perf_counter()
        with workspace.store.write() as db:
            rebuild_search_index(db)
        figures["index build"] = time.perf_counter() - start
    workspace.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return workspace, highlights, figures


@contextmanager
def expansions_ranked_by_edits_only() -> Iterator[None]:
    """Search as before #16's fix: near spellings ranked by edits alone, all of one quality."""
    kept = vocabulary.likely_meant

    def by_edits(conn: object, near: dict[str, int]) -> list[tuple[str, float]]:
        ranked = sorted(near.items(), key=lambda item: item[1])
        return [(term, vocabulary.FUZZY_QUALITY[edits]) for term, edits in ranked]

    vocabulary.likely_meant = by_edits  # type: ignore[assignment]
    try:
        yield
    finally:
        vocabulary.likely_meant = kept


def measure_engine(workspace: Workspace, queries: list[PlantedQuery]) -> list[dict]:
    rows = []
    workspace.search("warm up")
    for query in queries:
        workspace.search(query.query, limit=10)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            results = workspace.search(query.query, limit=10)
            times.append(time.perf_counter() - start)
        rank = first_hit(query, spans(results))
        rows.append(
            {"kind": query.kind, "time": statistics.median(times), "rank": rank, "query": query}
        )
        if rank is None:
            top = ", ".join(f"{r.kind} {r.doc}" for r in results[:3])
            print(f"    missed {query.kind} {query.query!r} ({query.doc}): top {top}")
    return rows


def searchable_lines(workspace: Workspace) -> list[tuple[str, int, int, str]]:
    """Every paragraph and note as (doc, start, end, text): what the baselines search."""
    conn = workspace.store.conn
    lines = []
    for path, text in conn.execute(
        "SELECT d.path, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
    ):
        at = 0
        for line in text.split("\n"):
            if line.strip():
                lines.append((path, at, at + len(line), line))
            at += len(line) + 1
    for path, start, end, note in conn.execute(
        'SELECT d.path, a.start, a."end", a.note FROM annotations a '
        "JOIN documents d ON d.id = a.document_id WHERE a.note <> ''"
    ):
        lines.append((path, start, end, note))
    return lines


def measure_naive(lines: list[tuple[str, int, int, str]], queries: list[PlantedQuery]) -> list:
    choices = [line[3] for line in lines]
    rows = []
    for query in queries:
        start = time.perf_counter()
        best = process.extract(
            query.query,
            choices,
            scorer=fuzz.partial_ratio,
            processor=utils.default_process,
            limit=10,
        )
        elapsed = time.perf_counter() - start
        found = [(*lines[index][:3], "text", lines[index][3]) for _, _, index in best]
        rows.append({"kind": query.kind, "time": elapsed, "rank": first_hit(query, found)})
    return rows


def report_kinds(
    title: str, rows: list[dict], time_key: str = "time", rank_key: str = "rank"
) -> None:
    print(f"  {title}")
    print(f"    {'kind':12} {'median ms':>9} {'worst ms':>9} {'top-10':>7}")
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    for kind in (*KINDS, "all"):
        group = rows if kind == "all" else by_kind[kind]
        if not group:
            continue
        times = [r[time_key] for r in group]
        hits = sum(r[rank_key] is not None for r in group)
        print(
            f"    {kind:12} {ms(statistics.median(times))} {ms(max(times))} "
            f"{hits:>3}/{len(group):<3}"
        )


def kept_workspace(root: Path, size: int, source: Path) -> tuple[Workspace, list[Highlight], dict]:
    """The workspace built at `root` by an earlier run with --keep (opened without syncing, its
    highlights read back), else a new one built there."""
    if not (root / "annotations.db").exists():
        return build(root, size, source, timed=False)
    workspace = Workspace.open(root, sync=False)
    rows = workspace.store.conn.execute(
        'SELECT d.path, a.start, a."end", a.quote, a.note, group_concat(t.name, char(10)) '
        "FROM annotations a JOIN documents d ON d.id = a.document_id "
        "LEFT JOIN annotation_tags x ON x.annotation_id = a.id LEFT JOIN tags t ON t.id = x.tag_id "
        "GROUP BY a.id ORDER BY a.id"
    ).fetchall()
    highlights = [(*row[:5], row[5].split("\n") if row[5] else []) for row in rows]
    return workspace, highlights, {}


def plant_all(
    source: Path, vocab: Vocabulary, highlights: list[Highlight], size: int, workspace: Workspace
) -> list[PlantedQuery]:
    """Every kind of planted query whose right answer the measured corpus can tell apart."""
    documents = min(1000, size)
    rank = {w: i for i, w in enumerate(vocab.words)}
    rare = {w for w, i in rank.items() if i >= RARE_RANK and len(w) >= 6}
    rarer = {w for w in rare if rank[w] >= 3 * RARE_RANK}  # a name is in thousands of paragraphs
    surplus = 3  # planted three times over; the first six fair ones of a kind are measured
    queries = plant_queries(source, vocab, highlights, documents=documents, per_kind=6 * surplus)
    queries += plant_folded_queries(source, documents, rarer, per_letter=3 * surplus)
    queries += plant_tag_name_queries(highlights, rare, per_kind=6 * surplus)
    queries += plant_common_typos()
    kept, dropped = identifiable(workspace.store.conn, queries)
    if dropped:
        left_out = ", ".join(f"{kind} {n}" for kind, n in sorted(dropped.items()))
        print(
            f"  planted queries left out as ambiguous at this size (right words in >3 "
            f"paragraphs): {left_out}"
        )
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    parser.add_argument("--keep", type=Path, help="build (or reuse) articles and workspaces here")
    parser.add_argument(
        "--no-scan", action="store_true", help="skip the naive scan and the one-shot processes"
    )
    args = parser.parse_args()
    sizes = args.sizes
    started = time.perf_counter()
    print(
        f"search benchmark: sizes {sizes}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = args.keep or Path(tmp)
        vocab = make_vocabulary()
        source = tmp_path / "articles"
        t0 = time.perf_counter()
        if args.keep and (source / f"{max(sizes) - 1:05d}.txt").exists():
            print(f"articles kept in {source}")
        else:
            raw_bytes = make_corpus(source, max(sizes), vocab)
            made = time.perf_counter() - t0
            print(f"articles generated: {max(sizes)} ({raw_bytes / 1e6:.1f} MB) in {made:.1f} s")
        medians: dict[int, float] = {}
        for size in sizes:
            root = tmp_path / f"ws{size}"
            if args.keep:
                workspace, highlights, figures = kept_workspace(root, size, source)
            else:
                workspace, highlights, figures = build(root, size, source)
            conn = workspace.store.conn
            text_bytes = conn.execute(
                "SELECT sum(length(CAST(text AS BLOB))) FROM document_texts"
            ).fetchone()[0]
            stats = workspace.search_index_stats()
            words = conn.execute("SELECT sum(words) FROM documents").fetchone()[0]
            print(
                f"\n{size} articles: {words / 1e6:.1f} M words, {stats.passages} paragraphs, "
                f"{stats.annotations} highlights, {stats.terms} terms"
            )
            for name, value in figures.items():
                print(f"  {name:22} {value:8.2f} s")
            index_bytes = stats.index_bytes or 0
            share = index_bytes / text_bytes
            print(
                f"  {'index size':22} {index_bytes / 1e6:8.1f} MB = {share:.2f}x the raw text "
                f"({text_bytes / 1e6:.1f} MB)"
            )
            queries = plant_all(source, vocab, highlights, size, workspace)
            with expansions_ranked_by_edits_only():
                before = measure_engine(workspace, queries)
            report_kinds(
                "before #16's typo ranking (near spellings by edits only), same run", before
            )
            engine = measure_engine(workspace, queries)
            medians[size] = statistics.median(r["time"] for r in engine)
            report_kinds("Workspace.search, in process, warm", engine)
            if args.no_scan:
                workspace.close()
                continue
            lines = searchable_lines(workspace)
            naive = measure_naive(lines, queries)
            report_kinds(f"baseline: rapidfuzz partial_ratio over {len(lines)} lines", naive)
            speedups = [n["time"] / e["time"] for n, e in zip(naive, engine, strict=True)]
            print(
                f"  speed-up over the naive scan: median {statistics.median(speedups):.0f}x, "
                f"least {min(speedups):.0f}x"
            )
            if size == max(sizes):
                workspace.close()
                rows = measure_processes(root, lines, queries)
                synced = rows.pop()["synced"]
                report_kinds(
                    "one-shot process: search_oneshot.py (no sync)", rows, "reader", "reader_rank"
                )
                report_kinds(
                    "one-shot process: python -m reader search (syncs first)",
                    rows,
                    "cli",
                    "cli_rank",
                )
                if "fzf" in rows[0]:
                    report_kinds("one-shot process: fzf --filter", rows, "fzf", "fzf_rank")
                    for who, label in (("reader", "search_oneshot.py"), ("cli", "reader search")):
                        wins = sum(r[who] < r["fzf"] for r in rows)
                        ratio = statistics.median(r["fzf"] / r[who] for r in rows)
                        print(
                            f"  {label} faster than fzf in {wins}/{len(rows)} paired runs "
                            f"(median {ratio:.1f}x)"
                        )
                    print(f"  fzf peak memory: {max(r['fzf_peak'] for r in rows) / 1024:.0f} MiB")
                oneshot_peak = max(r["reader_peak"] for r in rows) / 1024
                cli_peak = max(r["cli_peak"] for r in rows) / 1024
                print(f"  one-shot peak memory: {oneshot_peak:.0f} MiB")
                print(f"  reader search peak memory: {cli_peak:.0f} MiB")
                for phase in ("import", "open", "search"):
                    values = [r["timings"][phase] for r in rows]
                    print(f"  one-shot {phase:8} median {ms(statistics.median(values))} ms")
                start_up = [r["timings"]["open"] + r["timings"]["search"] for r in rows]
                print(
                    f"  search start-up (open + first search, after imports): median "
                    f"{ms(statistics.median(start_up))} ms, worst {ms(max(start_up))} ms"
                )
                print(
                    f"  one-shot with sync first ({len(synced)} runs): median "
                    f"{ms(statistics.median(t for t, _, _ in synced))} ms whole process, sync+open "
                    f"{ms(statistics.median(x['open'] for _, _, x in synced))} ms, peak "
                    f"{max(p for _, p, _ in synced) / 1024:.0f} MiB"
                )
            else:
                workspace.close()
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            before, after = medians[small], medians[large]
            print(
                f"\ngrowth: {large // small}x the articles costs {after / before:.2f}x the median "
                f"query time ({ms(before).strip()} → {ms(after).strip()} ms)"
            )
    print(f"\nbenchmark ran in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
