"""One search in a fresh process, as a one-shot `reader search` runs it: import, open the
workspace, search, print. `--sync` also syncs the corpus first (one stat per file), as the CLI
does; without it the workspace is opened as it is. Prints JSON: the phase timings (seconds) and
the top results. Used by bench/search_bench.py; run `python bench/search_oneshot.py ROOT QUERY`.
"""

from __future__ import annotations

import time

started = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from reader.workspace import Workspace  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--sync"]
    root, query = Path(args[0]), args[1]
    imported = time.perf_counter()
    workspace = Workspace.open(root, sync="--sync" in sys.argv)
    opened = time.perf_counter()
    results = workspace.search(query, limit=10)
    searched = time.perf_counter()
    workspace.close()
    timings = {
        "import": imported - started,
        "open": opened - imported,
        "search": searched - opened,
    }
    print(json.dumps({"timings": timings, "results": [r.as_json() for r in results]}))


if __name__ == "__main__":
    main()
