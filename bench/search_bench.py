"""Search benchmark: latency, quality, index build and size at 1,000 and 10,000 articles.

For each corpus size (seeded synthetic articles from bench/search_corpus.py, ~900 words each,
Zipf vocabulary, accented Serbian names; 5 highlights per article with tags and notes) it times,
in one run:
- the first sync (import and index every file) against a first sync with the index left out,
  and the index build alone (a full rebuild);
- the index size against the raw text;
- per query kind (typo, missing accents, phrase with a typo, partial word, tag prefix, note
  fragment; planted right answers in the first 1,000 articles): median and worst latency of
  `Workspace.search` in process, warm (median of 5 runs per query), and whether the right
  paragraph or highlight is in the top 10;
- the baseline in the same run: a naive single-thread rapidfuzz `partial_ratio` scan over every
  paragraph and note (held in memory), with its own latency and top-10 hit rate.
At the largest size it also runs every query as one-shot processes, whole process each, with
peak memory, in rotating order: bench/search_oneshot.py (import, open without syncing, search,
print), the real `python -m reader search --json` (which syncs first: one stat per file), and
`fzf --filter` over the same paragraphs and notes; and a few one-shot runs that sync first, to
show what the sync adds.

Run `python bench/search_bench.py [SIZES...]` (default 1000 10000); prints figures, asserts
nothing. Needs fzf on PATH for the fzf column (Debian package `fzf`).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from search_corpus import (
    Highlight,
    PlantedQuery,
    make_annotations,
    make_corpus,
    make_vocabulary,
    plant_queries,
)

import reader.corpus.sync as sync_module
from reader.search import rebuild_search_index
from reader.search.results import SearchResult
from reader.workspace import Workspace

BENCH = Path(__file__).resolve().parent
ONESHOT = BENCH / "search_oneshot.py"
KINDS = ("typo", "accents", "phrase_typo", "partial", "tag_prefix", "note", "folded")
TYPED_ASCII = str.maketrans({"Đ": "Dj", "đ": "dj", "č": "c", "ć": "c", "š": "s", "ž": "z"})
DJ_NAME = re.compile(r"\b[Đđ][^\W_]{3,}")  # a name with Đ, typed the usual way with "Dj" (#16)
RUNS = 5
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SYNCED_ONESHOTS = 5


def hit(query: PlantedQuery, doc: str, start: int, end: int) -> bool:
    """Whether a result (document, span) is the planted answer: the highlight itself, or a span
    inside the planted paragraph."""
    if doc != query.doc:
        return False
    if query.highlight:
        return (start, end) == (query.start, query.end)
    return query.start <= start and end <= query.end


def first_hit(query: PlantedQuery, found: list[tuple[str, int, int]]) -> int | None:
    return next((i for i, (d, s, e) in enumerate(found[:10]) if hit(query, d, s, e)), None)


def spans(results: list[SearchResult] | list[dict]) -> list[tuple[str, int, int]]:
    out = []
    for r in results:
        if isinstance(r, dict):
            out.append((r["doc"], r["start"], r["end"]))
        elif r.kind in ("text", "quote", "note", "tag", "title"):
            out.append((r.doc, r.start, r.end))
    return out


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


def build(root: Path, count: int, source: Path) -> tuple[Workspace, list[Highlight], dict]:
    """Workspace of the first `count` articles of `source`, synced and annotated."""
    figures: dict[str, float] = {}
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
    start = time.perf_counter()
    with workspace.store.write() as db:
        rebuild_search_index(db)
    figures["index build"] = time.perf_counter() - start
    workspace.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return workspace, highlights, figures


def plant_folded_queries(
    corpus: Path, documents: int, per_kind: int = 6, seed: int = 16
) -> list[PlantedQuery]:
    """Names spelt with Đ (no Unicode decomposition) typed as people type them ("Djuric" for
    "Đurić", "Djordjevic" for "Đorđević") with a word of the same paragraph that alone would
    not find it (in 2-15% of the articles): only the name, found, tells the paragraph (#16)."""
    rng = random.Random(seed)
    texts = [(corpus / f"{i:05d}.txt").read_text("utf-8") for i in range(documents)]
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(re.findall(r"[^\W_]+", text)))
    usual = {w for w, n in df.items() if 0.02 <= n / documents <= 0.15 and w.islower()}
    queries: list[PlantedQuery] = []
    for i in rng.sample(range(documents), documents):
        if len(queries) >= per_kind:
            break
        at = 0
        for line in texts[i].split("\n"):
            names = DJ_NAME.findall(line)
            others = sorted({w for w in re.findall(r"[^\W_]+", line) if w in usual})
            if names and others:
                query = f"{rng.choice(names).translate(TYPED_ASCII)} {rng.choice(others)}"
                queries.append(PlantedQuery("folded", query, f"{i:05d}.txt", at, at + len(line)))
                break
            at += len(line) + 1
    return queries


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
        rows.append({"kind": query.kind, "time": statistics.median(times), "rank": rank})
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
        found = [lines[index][:3] for _, _, index in best]
        rows.append({"kind": query.kind, "time": elapsed, "rank": first_hit(query, found)})
    return rows


def run_process(args: list[str], stdin: Path | None = None) -> tuple[float, int, str]:
    """Wall time, peak resident KiB (0 if unknown) and stdout of one process.

    The peak comes from GNU time: a child forked from this (large) process would report this
    process's memory as its own peak, exec or not. Python may keep compiled bytecode (in a
    temporary folder), as an installed reader does, even where PYTHONDONTWRITEBYTECODE is set.
    """
    with (
        open(stdin or os.devnull, "rb") as feed,
        tempfile.TemporaryFile() as out,
        tempfile.NamedTemporaryFile("r") as peak,
    ):
        timed = [GNU_TIME, "-f", "%M", "-o", peak.name, *args] if GNU_TIME else args
        start = time.perf_counter()
        subprocess.run(
            timed, stdin=feed, stdout=out, stderr=subprocess.DEVNULL, check=False, env=CHILD_ENV
        )
        elapsed = time.perf_counter() - start
        out.seek(0)
        kib = int((peak.read().split() or ["0"])[-1]) if GNU_TIME else 0  # after any exit note
        return elapsed, kib, out.read().decode("utf-8", "replace")


def measure_processes(root: Path, lines: list, queries: list[PlantedQuery]) -> list[dict]:
    fzf = shutil.which("fzf")
    feed = root / "fzf-input.txt"
    with feed.open("w", encoding="utf-8") as out:
        for doc, start, end, text in lines:
            out.write(f"{doc}\t{start}\t{end}\t{' '.join(text.split())}\n")
    reader = [sys.executable, str(ONESHOT), str(root)]
    cli = [sys.executable, "-m", "reader", "-w", str(root), "search", "--json", "--limit", "10"]
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    run_process([*reader, "warm up"])  # compiles the bytecode once
    run_process([*cli, "--", "warm up"])
    rows = []
    for n, query in enumerate(queries):
        runs = {}
        order = ("reader", "cli", "fzf")
        for who in order[n % 3 :] + order[: n % 3]:  # who goes first rotates
            if who == "reader":
                runs[who] = run_process([*reader, query.query])
            elif who == "cli":
                runs[who] = run_process([*cli, "--", query.query])
            elif fzf:
                args = [fzf, "--filter", query.query, "--delimiter", "\t", "--nth", "4.."]
                runs[who] = run_process(args, stdin=feed)
        row: dict = {"kind": query.kind}
        elapsed, peak, output = runs["reader"]
        data = json.loads(output)
        row |= {
            "reader": elapsed,
            "reader_peak": peak,
            "reader_rank": first_hit(query, spans(data["results"])),
            "timings": data["timings"],
        }
        elapsed, peak, output = runs["cli"]
        results = json.loads(output) if output.strip() else []
        row |= {"cli": elapsed, "cli_peak": peak, "cli_rank": first_hit(query, spans(results))}
        if "fzf" in runs:
            elapsed, peak, output = runs["fzf"]
            found = []
            for line in output.splitlines()[:10]:
                doc, start, end, _ = line.split("\t", 3)
                found.append((doc, int(start), int(end)))
            row |= {"fzf": elapsed, "fzf_peak": peak, "fzf_rank": first_hit(query, found)}
        rows.append(row)
    synced = [run_process([*reader, q.query, "--sync"]) for q in queries[:SYNCED_ONESHOTS]]
    rows.append({"synced": [(t, peak, json.loads(o)["timings"]) for t, peak, o in synced]})
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


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10_000]
    started = time.perf_counter()
    print(
        f"search benchmark: sizes {sizes}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        vocab = make_vocabulary()
        source = tmp_path / "articles"
        t0 = time.perf_counter()
        raw_bytes = make_corpus(source, max(sizes), vocab)
        made = time.perf_counter() - t0
        print(f"articles generated: {max(sizes)} ({raw_bytes / 1e6:.1f} MB) in {made:.1f} s")
        medians: dict[int, float] = {}
        for size in sizes:
            root = tmp_path / f"ws{size}"
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
            queries = plant_queries(source, vocab, highlights, documents=min(1000, size))
            queries += plant_folded_queries(source, documents=min(1000, size))
            engine = measure_engine(workspace, queries)
            medians[size] = statistics.median(r["time"] for r in engine)
            report_kinds("Workspace.search, in process, warm", engine)
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
