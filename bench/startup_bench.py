"""Start-up of the `reader` command as a whole process (issue #16: `--help` and `--version` within
150 ms on an idle machine), against the baseline of a Python that imports click alone, measured
in the same run so that the machine's load weighs on both alike.

    .venv/bin/python bench/startup_bench.py [--runs 21] [--reader PATH] [--python PATH]

Each case runs --runs times, interleaved (one of each per round); median and minimum in ms, and
the median's ratio to the baseline's. --reader/--python point at another checkout's venv or
script to compare before and after a change.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(command: list[str]) -> float:
    """Wall time of one whole process, in milliseconds; a failing command stops the bench."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="the baseline's interpreter")
    parser.add_argument(
        "--reader", default=str(Path(sys.executable).parent / "reader"), help="the script"
    )
    args = parser.parse_args()
    cases = {
        "python -c 'import click'": [args.python, "-c", "import click"],
        "reader --help": [args.reader, "--help"],
        "reader --version": [args.reader, "--version"],
    }
    for command in cases.values():  # warm the file cache once; not counted
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, command in cases.items():
            times[name].append(timed(command))
    baseline = statistics.median(times["python -c 'import click'"])
    print(f"{'case':<28} {'median ms':>10} {'min ms':>8} {'× click':>8}   ({args.runs} runs)")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<28} {median:>10.1f} {min(values):>8.1f} {median / baseline:>8.2f}")


if __name__ == "__main__":
    main()
