"""One-shot processes of the search benchmark: each planted query as a whole process (import,
open, search, print), the real `reader search` (which syncs first) and `fzf --filter` over the
same paragraphs, with wall time and peak memory. Used by bench/search_bench.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from search_corpus import PlantedQuery
from search_hits import first_hit, spans

BENCH = Path(__file__).resolve().parent
ONESHOT = BENCH / "search_oneshot.py"
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
SYNCED_ONESHOTS = 5


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
                doc, start, end, text = line.split("\t", 3)
                found.append((doc, int(start), int(end), "text", text))
            row |= {"fzf": elapsed, "fzf_peak": peak, "fzf_rank": first_hit(query, found)}
        rows.append(row)
    synced = [run_process([*reader, q.query, "--sync"]) for q in queries[:SYNCED_ONESHOTS]]
    rows.append({"synced": [(t, peak, json.loads(o)["timings"]) for t, peak, o in synced]})
    return rows
