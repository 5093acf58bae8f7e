"""Time to the TUI's first frame (issue #16: <= 0.5 s on any corpus), as a user meets it: the real
`reader` started in a pseudo-terminal (160x48), timed from the process's start to the first
output that shows the library pane, against a baseline measured in the same run: a minimal
Textual app with one Static, started the same way.

    .venv/bin/python bench/tui_start_bench.py [N ...] [--runs 3] [--w100k DIR] [--scratch DIR]

Cases per N (default 1000 10000): a fresh corpus never synced (the first sync then runs in the
background; also timed: the first library rows, and the whole sync), and an already synced one.
`--w100k DIR` adds a synced 100k case from a copy of that read-only workspace (its store is
copied, its corpus hard-linked). Corpora come from `/tmp/scale/w<N>/corpus` when there (hard
links), else bench/search_corpus.py writes them under --scratch.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
READER = str(Path(sys.executable).parent / "reader")
ROWS, COLUMNS = 48, 160
TIMEOUT_SECONDS = 600.0
BASELINE_APP = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    "class Baseline(App):\n    BINDINGS = [('q', 'quit')]  # as reader quits: not waited on\n"
    "    def compose(self):\n        yield Static('baseline-ready')\n"
    "Baseline().run()\n"
)
FROM_SOURCE = (  # `reader` from another checkout's package, past this venv's editable install
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
    "from reader.cli import main; sys.exit(main())"
)
LIBRARY_COUNT = re.compile(rb"Library \xc2\xb7 ([\d,]+)")  # "Library · 3,200"


@dataclass
class Started:
    """When (seconds after the process started) the marks showed, None if never."""

    first_frame: float | None = None
    first_rows: float | None = None
    all_rows: float | None = None
    counts: list[int] = field(default_factory=list)


def _read(fd: int, wait: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


def run_in_pty(command: list[str], cwd: Path, marker: bytes, expect_rows: int = 0) -> Started:
    """Start `command` in a pty; time `marker`'s first appearance, then (with `expect_rows`)
    the library's first non-zero count and the count reaching `expect_rows`; then press q."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, in its own terminal
        os.chdir(cwd)
        os.environ["TERM"] = "xterm-256color"
        os.execvp(command[0], command)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    found = Started()
    seen = b""
    scanned = 0  # where the next search for a library count starts (a count may span reads)
    while time.perf_counter() - start < TIMEOUT_SECONDS:
        chunk = _read(fd, 0.02)
        now = time.perf_counter() - start
        seen += chunk
        if found.first_frame is None and marker in seen:
            found.first_frame = now
        for match in LIBRARY_COUNT.finditer(seen, scanned):
            if match.end() == len(seen):
                break  # the number may go on in the next read
            scanned = match.end()
            count = int(match.group(1).replace(b",", b""))
            found.counts.append(count)
            if count and found.first_rows is None:
                found.first_rows = now
            if expect_rows and count >= expect_rows and found.all_rows is None:
                found.all_rows = now
        if found.first_frame is not None and (not expect_rows or found.all_rows is not None):
            break
    _quit(pid, fd)
    return found


def _quit(pid: int, fd: int) -> None:
    os.write(fd, b"q")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _read(fd, 0.05)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


def corpus_of(count: int, scratch: Path) -> Path:
    """A corpus of `count` articles: the machine's shared one, else generated once here."""
    shared = Path(f"/tmp/scale/w{count // 1000}k/corpus")
    if count % 1000 == 0 and shared.is_dir() and len(os.listdir(shared)) == count:
        return shared
    made = scratch / f"corpus-{count}"
    if not made.is_dir():
        sys.path.insert(0, str(HERE))
        from search_corpus import make_corpus, make_vocabulary

        make_corpus(made, count, make_vocabulary())
    return made


def fresh_workspace(corpus: Path, scratch: Path, store: Path | None = None) -> Path:
    """A new workspace folder whose corpus/ hard-links `corpus` (and holds a copy of `store`)."""
    root = Path(tempfile.mkdtemp(prefix="ws-", dir=scratch))
    subprocess.run(["cp", "-al", str(corpus), str(root / "corpus")], check=True)
    if store is not None:
        shutil.copy2(store, root / "annotations.db")
        for suffix in ("-wal", "-shm"):
            side = store.with_name(store.name + suffix)
            if side.exists():
                shutil.copy2(side, root / f"annotations.db{suffix}")
    return root


def synced_workspace(corpus: Path, scratch: Path) -> Path:
    root = fresh_workspace(corpus, scratch)
    subprocess.run([READER, "list", "--json"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    return root


def _median(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.median(known) * 1000:8.0f}" if known else "       -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--w100k", type=Path, help="a synced 100k workspace (read only)")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/tui-start-bench"))
    parser.add_argument("--src", type=Path, help="run the reader package in DIR (a 'before')")
    args = parser.parse_args()
    reader = [READER] if args.src is None else [sys.executable, "-c", FROM_SOURCE, str(args.src)]
    args.scratch.mkdir(parents=True, exist_ok=True)
    baseline_script = args.scratch / "baseline_app.py"
    baseline_script.write_text(BASELINE_APP, "utf-8")
    synced = {n: synced_workspace(corpus_of(n, args.scratch), args.scratch) for n in args.sizes}
    if args.w100k:
        synced[100_000] = fresh_workspace(
            args.w100k / "corpus", args.scratch, args.w100k / "annotations.db"
        )
    results: dict[str, list[Started]] = {}
    for _ in range(args.runs):  # interleaved, so the machine's load weighs on each case alike
        results.setdefault("baseline: Textual app, one Static", []).append(
            run_in_pty([sys.executable, str(baseline_script)], args.scratch, b"baseline-ready")
        )
        for n in args.sizes:
            root = fresh_workspace(corpus_of(n, args.scratch), args.scratch)
            results.setdefault(f"fresh corpus, {n:,} never synced", []).append(
                run_in_pty(reader, root, b"Library", expect_rows=n)
            )
            shutil.rmtree(root)
        for n, root in synced.items():
            results.setdefault(f"synced corpus, {n:,}", []).append(
                run_in_pty(reader, root, b"Library")
            )
    baseline = statistics.median(
        r.first_frame for r in results["baseline: Textual app, one Static"] if r.first_frame
    )
    print(f"{'case':<36} {'frame ms':>8} {'× base':>7} {'rows ms':>8} {'all ms':>8}"
          f"   (median of {args.runs}; rows: the first library rows; all: every document)")
    for name, runs in results.items():
        frames = [r.first_frame for r in runs]
        known = [f for f in frames if f is not None]
        ratio = f"{statistics.median(known) / baseline:7.2f}" if known else "      -"
        print(f"{name:<36} {_median(frames)} {ratio} {_median([r.first_rows for r in runs])}"
              f" {_median([r.all_rows for r in runs])}")  # fmt: skip
    for root in synced.values():
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
