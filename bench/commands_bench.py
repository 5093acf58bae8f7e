"""Every command quick at scale (issue #16): `reader search`, `reader list --json | head`,
`reader annotations` and `reader annotate` (by id, file name and stem) as whole processes on an
unchanged corpus of N articles, against baselines measured in the same run: a Python that
imports click alone, `find corpus -printf '%s %T@\\n'` (listing the folder with its stats) and
the same work done in process on an open workspace (the query alone).

    .venv/bin/python bench/commands_bench.py [N ...] [--runs 7] [--keep DIR]
    .venv/bin/python bench/commands_bench.py --copy-of /tmp/scale/w100k
    .venv/bin/python bench/commands_bench.py 10000 --before /tmp/old  # git archive REV reader

Each N builds a workspace (bench/search_corpus.py's articles, highlights on one document in a
hundred) and syncs it once; --keep DIR keeps and reuses them. --copy-of PATH measures a
hard-link copy of an existing workspace instead (its corpus linked, its database copied), so
the original is never written. Every case runs --runs times, the cases in a rotating order;
median and worst in ms, and the median's ratio to `find`. --before DIR times another
checkout's `reader` (a folder holding its reader/ package) in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_corpus import make_corpus, make_vocabulary
from reader.workspace import Workspace

READER = str(Path(sys.executable).parent / "reader")
QUERY = "energy sanctions"
BUDGET_MS = 500.0


def build(root: Path, count: int) -> None:
    """A synced workspace of `count` articles with highlights on one document in a hundred."""
    if (root / "annotations.db").exists():
        return
    started = time.perf_counter()
    make_corpus(root / "corpus", count, make_vocabulary())
    workspace = Workspace.open(root)
    for document in workspace.iter_documents():
        if document.id % 100 == 0:
            workspace.annotate(document, 0, 20, tags=["bench/few"], note="A highlight.")
    workspace.close()
    print(f"built {count:,} articles in {time.perf_counter() - started:.0f} s", flush=True)


def copy_of(source: Path, into: Path) -> Path:
    """`source` as a workspace this bench may write: the corpus hard-linked, the store copied."""
    root = into / source.name
    if not root.exists():
        root.mkdir(parents=True)
        subprocess.run(["cp", "-al", str(source / "corpus"), str(root / "corpus")], check=True)
        for name in ("annotations.db", "annotations.db-wal"):  # the log too, if one is left
            if (source / name).exists():
                shutil.copy2(source / name, root / name)
                (root / name).chmod(0o644)
    return root


PROCESS_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "commands-bench-pycache"),
}
"""As an installed reader runs: from compiled bytecode (kept out of the repository), even where
the environment says not to write it; without it every run compiles reader's modules anew."""


def timed_process(command: list[str], shell: bool = False, cwd: Path | None = None) -> float:
    """Wall time of one whole process in ms; a failing command stops the bench."""
    started = time.perf_counter()
    subprocess.run(
        command if not shell else " ".join(command),
        shell=shell,
        check=True,
        cwd=cwd,
        env=PROCESS_ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - started) * 1000


def in_process(root: Path) -> dict[str, Callable[[], object]]:
    """The commands' own work on an already open workspace: the floor a process can reach."""
    workspace = Workspace.open(root, sync=False)
    document = workspace.document("#1")
    name = Path(document.path).name
    return {
        "in process: search": lambda: workspace.search(QUERY),
        "in process: list, first 10": lambda: list(islice(workspace.iter_documents(), 10)),
        "in process: annotations": lambda: workspace.annotations(),
        "in process: resolve name": lambda: workspace.document(name),
        "in process: resolve stem": lambda: workspace.document(Path(name).stem),
    }


def reader_command(checkout: Path) -> list[str]:
    """`reader` as run from the package in `checkout` (this one's, or another's to compare)."""
    code = f"import sys; sys.path.insert(0, {str(checkout)!r}); from reader.cli import main; main()"
    return [sys.executable, "-c", shlex.quote(code)]


def cases(root: Path, before: Path | None) -> dict[str, Callable[[], float]]:
    # The older reader's copy first: opening `root` below may migrate it to a schema the
    # older reader refuses.
    before_root = copy_of(root, root.parent / f"{root.name}-before") if before else None
    workspace = Workspace.open(root, sync=False)
    paths = [d.path for d in islice(workspace.iter_documents(), 3)]
    ids = [workspace.document(p).id for p in paths]
    workspace.close()
    found = {
        "python -c 'import click'": lambda: timed_process([sys.executable, "-c", "import click"]),
        "find corpus -printf": lambda: timed_process(
            ["find", "corpus", "-printf", "'%s %T@\\n'", ">", "/dev/null"], shell=True, cwd=root
        ),
    }
    span = ("--start", "0", "--end", "5")
    checkouts = {"": (Path(__file__).resolve().parent.parent, root)}
    if before is not None and before_root is not None:  # its own copy: its own sync state
        checkouts["before: "] = (before, before_root)
    for label, (checkout, workspace_root) in checkouts.items():
        reader = [*reader_command(checkout), "-w", shlex.quote(str(workspace_root))]

        def run(*args: str, reader: list[str] = reader) -> Callable[[], float]:
            return lambda: timed_process([*reader, *map(shlex.quote, args)], shell=True)

        found |= {
            f"{label}reader search": run("search", QUERY),
            f"{label}reader list --json | head": lambda reader=reader: timed_process(
                [*reader, "list", "--json", "|", "head", "-20", ">", "/dev/null"], shell=True
            ),
            f"{label}reader annotations": run("annotations"),
            f"{label}reader annotate #ID": run("annotate", f"#{ids[0]}", *span),
            f"{label}reader annotate NAME.txt": run("annotate", Path(paths[1]).name, *span),
            f"{label}reader annotate STEM": run("annotate", Path(paths[2]).stem, *span),
        }
    return found


def measure(root: Path, runs: int, before: Path | None) -> None:
    whole = cases(root, before)
    for case in whole.values():  # warm the file cache (and settle the store) once; not counted
        case()
    times: dict[str, list[float]] = {name: [] for name in whole}
    names = list(whole)
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(whole[name]())
    inside = in_process(root)
    for name, work in inside.items():
        work()
        times[name] = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - started) * 1000)
    floor = statistics.median(times["find corpus -printf"])
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'case':<34} {'median ms':>10} {'worst ms':>9} {'× find':>7}   ({runs} runs)")
    for name, values in times.items():
        median = statistics.median(values)
        timed_reader = name.startswith(("reader", "before: reader"))
        mark = "" if not timed_reader else ("  ok" if median <= BUDGET_MS else "  SLOW")
        print(f"{name:<34} {median:>10.1f} {max(values):>9.1f} {median / floor:>7.2f}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build workspaces here and reuse them")
    parser.add_argument("--copy-of", type=Path, help="measure a hard-link copy of this workspace")
    parser.add_argument(
        "--before", type=Path, help="a checkout of reader to time beside this one (its root)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="commands-bench-") as scratch:
        base = args.keep or Path(scratch)
        roots = []
        if args.copy_of:
            roots.append(copy_of(args.copy_of.resolve(), base / "copies"))
        for count in args.counts or ([] if args.copy_of else [10_000]):
            root = base / f"w{count}"
            build(root, count)
            roots.append(root)
        for root in roots:
            documents = sum(1 for _ in os.scandir(root / "corpus"))
            print(f"\n== {root} ({documents:,} files)", flush=True)
            measure(root, args.runs, args.before)


if __name__ == "__main__":
    main()
