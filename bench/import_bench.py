"""Import benchmark: W3C JSON files of N annotations into a workspace, against baselines measured
in the same run, and the cost of writing highlights with and without the search triggers.

A workspace of `--docs` articles (bench/search_corpus.py's, ~930 words each) is synced once; a
W3C file of N annotations is written next to it (every annotation quotes 3-12 words of an
article, with its position; one in five has a note, one in four a tag). For each N, each in a
child process with its peak resident memory:
- `reader import-annotations`'s work (`Workspace.import_annotations_file`) into a fresh copy;
- with `--before DIR`, the same with another checkout's `reader` (say, a `git worktree` of the
  commit before a change), and whether both stored the same thing (a digest of the rows, tags,
  links and search index);
- baseline: `json.load` of the same file alone;
- baseline: `json.load` and a plain `executemany` INSERT of the same rows into a bare table.
Then, in process, 10,000 highlights written in one transaction through the store's own insert,
per highlight: with the schema's triggers (no notes, and one in five with a note), with the
note triggers of schema v10 (which ran for every highlight), with the notes indexed in one pass
at the end (what an import does per batch), and with no search triggers.
Run `python bench/import_bench.py [N ...] [--docs D] [--dir DIR] [--before DIR]` (default N:
100000 1000000);
prints a table, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from search_corpus import make_article, make_vocabulary  # noqa: E402


def _child(code: str, *args: str, reader: Path = BENCH.parent) -> dict:
    """Run `code` in a fresh Python with `reader` from that checkout (started there: `-c` puts
    the working folder first on the path, before PYTHONPATH); it sets `result`, to which its
    peak RSS and CPU time are added."""
    script = (
        "import json, sys, time\n"
        + PEAK_MB
        + code
        + "\nresult['peak_mb'] = peak_mb()\nresult['cpu'] = cpu_seconds()\n"
        "result['reader'] = getattr(sys.modules.get('reader'), '__file__', None)\n"
        "print(json.dumps(result))\n"
    )
    env = os.environ | {"PYTHONPATH": str(reader)}
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env, cwd=reader, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


PEAK_MB = """
def peak_mb():  # VmHWM: ru_maxrss would keep the parent's peak across fork and exec
    with open('/proc/self/status') as status:
        line = next(line for line in status if line.startswith('VmHWM:'))
    return int(line.split()[1]) / 1024

def cpu_seconds():  # the machine is shared: CPU time says what wall time cannot
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
"""

READER_IMPORT = """
from pathlib import Path
from reader.workspace import Workspace
with Workspace.open(Path(sys.argv[1]), sync=False) as ws, open(sys.argv[2], 'rb') as f:
    start = time.perf_counter()
    report = ws.import_annotations_file(f, 1 << 31)
    result = {'seconds': time.perf_counter() - start, 'added': report.total_added,
              'refused': report.total_refused}
"""

STORED_DIGEST = """
import hashlib, sqlite3
conn = sqlite3.connect(sys.argv[1])
queries = [
    'SELECT id, uid, document_id, start, "end", quote, prefix, suffix, content_hash, note, '
    'color, status, created, updated, creator FROM annotations ORDER BY id',
    'SELECT id, name, key, color FROM tags ORDER BY id',
    'SELECT annotation_id, tag_id FROM annotation_tags ORDER BY 1, 2',
    'SELECT term, df FROM search_terms ORDER BY 1',
    'SELECT reversed FROM search_suffixes ORDER BY 1',
]
for n, table in enumerate(('search_quotes', 'search_notes')):
    conn.execute(f'CREATE VIRTUAL TABLE temp.v{n} USING fts5vocab(main, {table}, "instance")')
    queries.append(f'SELECT * FROM temp.v{n} ORDER BY 1, 2, 3, 4')
digest = hashlib.sha256()
for sql in queries:
    for row in conn.execute(sql):
        digest.update(repr(row).encode())
result = {'digest': digest.hexdigest()}
"""

JSON_LOAD = """
start = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    items = json.load(f)
result = {'seconds': time.perf_counter() - start, 'items': len(items)}
"""

PLAIN_INSERT = """
import sqlite3
start = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    items = json.load(f)
conn = sqlite3.connect(sys.argv[2])
conn.execute('CREATE TABLE a (uid TEXT UNIQUE, source TEXT, quote TEXT, start INT, "end" INT, '
             'note TEXT)')
def rows():
    for item in items:
        target = item['target']
        quote, position = target['selector']
        yield (item['id'], target['source'], quote['exact'], position['start'], position['end'],
               item.get('bodyValue', ''))
with conn:
    conn.executemany('INSERT INTO a VALUES (?, ?, ?, ?, ?, ?)', rows())
result = {'seconds': time.perf_counter() - start}
"""


def make_workspace(root: Path, docs: int) -> list[str]:
    """A synced workspace of `docs` articles; returns their texts."""
    from reader.workspace import Workspace

    vocab = make_vocabulary()
    texts = [make_article(i, vocab) for i in range(docs)]
    if not (root / "annotations.db").exists():
        shutil.rmtree(root, ignore_errors=True)
        (root / "corpus").mkdir(parents=True)
        for i, text in enumerate(texts):
            (root / "corpus" / f"{i:05d}.txt").write_text(text, "utf-8")
        Workspace.open(root).close()
    return texts


def write_annotations(path: Path, count: int, texts: list[str], seed: int = 5) -> int:
    """Write a W3C JSON array of `count` annotations quoting `texts`, one at a time."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(count):
            doc = rng.randrange(len(texts))
            text = texts[doc]
            start = rng.randrange(0, len(text) - 200)
            start = text.index(" ", start) + 1
            end = start
            for _ in range(rng.randint(3, 12)):
                end = text.index(" ", end + 1)
            item: dict = {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                "created": "2025-01-02T03:04:05Z",
                "target": {
                    "source": f"corpus/{doc:05d}.txt",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": text[start:end]},
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            }
            if n % 5 == 0:
                item["bodyValue"] = f"note {n}: {text[end : end + 60]}"
            if n % 4 == 0:
                item["body"] = {"type": "TextualBody", "value": f"tag{n % 40}",
                                "purpose": "tagging"}  # fmt: skip
            out.write(("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")
    return path.stat().st_size


def triggers_per_highlight(template: Path, scratch: Path, texts: list[str]) -> dict[str, float]:
    """Milliseconds per highlight, 10,000 written in one transaction, for each trigger set."""
    from reader.annotate.annotations import insert_annotation
    from reader.store.migrations import _search_note_triggers
    from reader.workspace import Workspace

    old_notes = _search_note_triggers("annotations", "search_notes", "id")
    cases = {
        "schema triggers, no notes": ([], 0),
        "schema triggers, 1 in 5 noted": ([], 5),
        "1 in 5 noted, notes in bulk": ("bulk", 5),
        "v10 note triggers, no notes": (old_notes, 0),
        "no search triggers": (None, 0),
    }
    figures = {}
    for name, (replace, noted) in cases.items():
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(template, scratch)
        with Workspace.open(scratch, sync=False) as ws:
            conn = ws.store.conn
            if replace is None or (isinstance(replace, list) and replace):
                for kind in ("added", "removed", "changed"):
                    conn.execute(f"DROP TRIGGER search_notes_{kind}")
                    if replace is None:
                        conn.execute(f"DROP TRIGGER search_quotes_{kind}")
                for statement in replace or []:
                    conn.execute(statement)
            doc_ids = [d.id for d in ws.documents()]
            start = time.perf_counter()
            with ws.store.write() as db, _deferred(conn, replace == "bulk"):
                for n in range(10_000):
                    text = texts[n % len(texts)]
                    note = (
                        f"note {n} {text[n % 500 : n % 500 + 60]}"
                        if noted and n % noted == 0
                        else ""
                    )
                    insert_annotation(db, document_id=doc_ids[n % len(doc_ids)],
                                      span=(100, 140), quote=text[100:140], context=("", ""),
                                      content_hash="h", note=note)  # fmt: skip
            figures[name] = (time.perf_counter() - start) / 10_000 * 1000
    return figures


def _import(template: Path, work: Path, path: Path, reader: Path) -> tuple[dict, str]:
    """Import `path` into a fresh copy of `template` with `reader`'s code; the child's
    figures, and a digest of what it stored."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)
    figures = _child(READER_IMPORT, str(work), str(path), reader=reader)
    if not figures["reader"].startswith(str(reader.resolve())):
        raise SystemExit(f"{reader} did not provide reader: {figures['reader']}")
    digest = _child(STORED_DIGEST, str(work / "annotations.db"))["digest"]
    shutil.rmtree(work)
    return figures, digest


def _figures(result: dict) -> str:
    return f"{result['seconds']:.1f} s ({result['cpu']:.1f} s) {result['peak_mb']:,.0f} MB"


def _deferred(conn: Any, bulk: bool) -> Any:
    from reader.search.bulk_notes import notes_indexed_at_the_end

    return notes_indexed_at_the_end(conn) if bulk else contextlib.nullcontext()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/import-bench"))
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    template = args.dir / "template"
    texts = make_workspace(template, args.docs)
    print(f"workspace: {args.docs:,} articles; each measure in its own child process")
    print("each: wall s (CPU s of the whole child, start-up included), peak MB")
    before = f"{'--before':>26} | " if args.before else ""
    print(f"{'annotations':>12} {'file MB':>8} | {'reader import':>26} | {before}"
          f"{'json.load':>24} | {'json.load+INSERT':>24} | stored")  # fmt: skip
    for size in args.sizes:
        path = args.dir / f"annotations-{size}.json"
        if not path.exists():
            write_annotations(path, size, texts)
        mine, digest = _import(template, args.dir / "work", path, BENCH.parent)
        figures = f"{_figures(mine):>26} | "
        if args.before:
            theirs, their_digest = _import(template, args.dir / "before", path, args.before)
            print(f"  --before: reader from {theirs['reader']}")
            figures += f"{_figures(theirs):>26} | "
        loaded = _child(JSON_LOAD, str(path))
        plain_db = args.dir / "plain.db"
        plain_db.unlink(missing_ok=True)
        plain = _child(PLAIN_INSERT, str(path), str(plain_db))
        same = ""
        if args.before:
            same = ", the same as --before's" if digest == their_digest else ", NOT as --before's"
        print(f"{size:>12,} {path.stat().st_size / 2**20:>8.0f} | {figures}"
              f"{_figures(loaded):>24} | {_figures(plain):>24} | "
              f"{mine['added']:,} added, {mine['refused']:,} refused{same}")  # fmt: skip
    print("\nwriting 10,000 highlights in one transaction (ms per highlight, highlights/s):")
    for name, ms in triggers_per_highlight(template, args.dir / "triggers", texts).items():
        print(f"  {name:<32} {ms:6.3f} ms  {1000 / ms:>9,.0f}/s")


if __name__ == "__main__":
    main()
