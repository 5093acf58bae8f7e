"""`library_bench.py --store DIR`: the library pane over a real synced workspace (say the 100k
one at /tmp/scale/w100k), every figure against a baseline measured in the same run.

DIR is never written: its annotations.db is copied to a scratch folder (corpus/ left empty:
nothing here syncs). Each first-frame figure is the median of fresh processes:
- empty app: Textual and Pilot alone;
- baseline (before #16): the pane filled from `Workspace.documents()` and `all_attributes()`
  (a `Document` per row, every attribute read), as the app did;
- library: the pane filled from `Workspace.library_listing()` (columns; a `Document` built for
  the highlighted row only, attributes when first needed).
Then typing "serbai" into the filter, per keystroke: the UI thread's share (what blocks the
next key), press to rows shown (the scoring in its thread included), and the baseline: the
scoring before #16 (one `process.extract` per word, a Python tuple per match) on the same rows.

`--before TREE`: the library's figures also for an older reader, TREE being a folder that holds
its `reader` package (`git archive REV reader | tar -x -C TREE`), run in the same processes
alternately with today's over its own copy of the store (an older reader may refuse today's
schema): before/after measured in the same run, under the same load.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from textual.app import App, ComposeResult

from reader.text.textnav import fold
from reader.ui.widgets.library_index import EXACT_TOKEN_LENGTH, FUZZY_CUTOFF
from reader.ui.widgets.library_pane import LibraryPane
from reader.workspace import Workspace

SIZE = (160, 48)
TYPED = "serbai"


class StoreLibraryApp(App[None]):
    CSS = "LibraryPane { width: 48; }"

    def __init__(self, workspace: Workspace, mode: str) -> None:
        super().__init__()
        self.workspace, self.mode = workspace, mode

    def compose(self) -> ComposeResult:
        yield LibraryPane(id="library")

    def on_mount(self) -> None:
        pane, ws = self.query_one(LibraryPane), self.workspace
        if self.mode == "baseline":
            pane.set_documents(ws.documents(), ws.all_attributes())
        elif self.mode == "library":
            pane.set_rows(ws.library_listing(), ws.document, ws.all_attributes)
        pane.focus()


def first_frame(root: Path, mode: str) -> dict[str, float]:
    """One scenario in this process: from the app's start to its first settled frame."""
    with Workspace.open(root, sync=False) as workspace:

        async def run() -> float:
            start = time.perf_counter()
            app = StoreLibraryApp(workspace, mode)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                elapsed = time.perf_counter() - start
                rows = app.query_one(LibraryPane).document_list.row_count
            return elapsed if mode == "empty" or rows else float("nan")

        return {"seconds": asyncio.run(run())}


def old_scores(choices: list[str], query: str) -> dict[int, float]:
    """The filter's scoring before #16, over prepared choice strings."""
    words = sorted(dict.fromkeys(utils.default_process(fold(query)).split()), key=len,
                   reverse=True)  # fmt: skip
    totals: dict[int, float] | None = None
    for word in words:
        pool = dict(enumerate(choices)) if totals is None else {i: choices[i] for i in totals}
        if len(word) <= EXACT_TOKEN_LENGTH:
            hits = {i: 100.0 for i, choice in pool.items() if word in choice}
        else:
            found = process.extract(word, pool, scorer=fuzz.partial_ratio, processor=None,
                                    score_cutoff=FUZZY_CUTOFF, limit=None)  # fmt: skip
            hits = {i: score for _, score, i in found}
        totals = hits if totals is None else {i: totals[i] + s for i, s in hits.items()}
    return {i: t / len(words) for i, t in (totals or {}).items()}


async def keystrokes(root: Path) -> dict[str, list[float]]:
    with Workspace.open(root, sync=False) as workspace:
        app = StoreLibraryApp(workspace, "library")
        figures: dict[str, list[float]] = {"ui": [], "shown": [], "old": []}
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.query_one(LibraryPane).focus_filter()  # as `f` does: the strings get ready
            await pilot.pause()
            await app.workers.wait_for_complete()  # the filter's strings, built in a thread
            listing = app.query_one(LibraryPane).document_list
            order = list(listing.model.rows)
            choices = listing.model.index.choices
            for end in range(1, len(TYPED) + 1):
                start = time.perf_counter()
                listing.set_filter_text(TYPED[:end])
                figures["ui"].append(time.perf_counter() - start)
                while listing.pending_filter is not None:
                    await asyncio.sleep(0.0005)
                for y in range(listing.scrollable_content_region.height):
                    listing.render_line(y)
                figures["shown"].append(time.perf_counter() - start)
                start = time.perf_counter()
                scores = old_scores(choices, TYPED[:end])
                sorted((i for i in order if i in scores), key=lambda i: -scores[i])
                figures["old"].append(time.perf_counter() - start)
            figures["rows"] = [float(listing.row_count)]
            figures["built"] = [float(listing.model.documents.built_count)]
        return figures


def in_subprocess(root: Path, mode: str, tree: Path | None = None) -> dict:
    """One scenario in a fresh process; `tree`: the `reader` package imported from there."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("library_bench.py")), "--store-scenario",
         str(root), mode],
        check=True, capture_output=True, text=True, env=env, cwd=tree or None,
    ).stdout  # fmt: skip
    figures = json.loads(out.strip().splitlines()[-1])
    expected = (tree or Path(__file__).resolve().parent.parent) / "reader"
    if Path(figures.pop("reader")).parent != expected.resolve():
        raise SystemExit(f"a child imported reader from elsewhere, not {expected}")
    return figures


def ms(seconds: float, digits: int = 0) -> str:
    return f"{seconds * 1000:>8.{digits}f} ms"


def _copy_store(source: Path, root: Path) -> Path:
    (root / "corpus").mkdir(parents=True)
    shutil.copy2(source / "annotations.db", root / "annotations.db")
    return root


def run_store(source: Path, runs: int, before: Path | None = None) -> None:
    """The `--store` report: copies DIR's store (twice with `before`), never writes DIR."""
    with tempfile.TemporaryDirectory(prefix="library-bench-") as scratch:
        root = _copy_store(source, Path(scratch) / "now")
        old_root = _copy_store(source, Path(scratch) / "before") if before else None
        with Workspace.open(root, sync=False) as workspace:  # migrates the copy, untimed
            count = len(workspace.library_listing())
        print(f"{count} stored documents (a copy of {source}/annotations.db), headless "
              f"{SIZE[0]}x{SIZE[1]}, median of {runs} fresh processes")  # fmt: skip
        print(f"\n{'library first frame':<44}{'median':>11}{'worst':>11}")
        scenarios = [
            ("empty", root, None, "empty app (Textual alone)"),
            ("baseline", root, None, "baseline: Documents + attributes (before)"),
        ]
        if old_root is not None:
            scenarios.append(("library", old_root, before, f"LibraryPane, reader from {before}"))
        scenarios.append(("library", root, None, "LibraryPane over library_listing()"))
        samples: dict[str, list[float]] = {label: [] for *_, label in scenarios}
        for _ in range(runs):  # alternately, so each sees the same load
            for mode, at, tree, label in scenarios:
                samples[label].append(in_subprocess(at, mode, tree)["seconds"])
        for label, seconds in samples.items():
            print(f"{label:<44}{ms(statistics.median(seconds))}{ms(max(seconds))}")
        keys = [(root, None, "")] + ([(old_root, before, " [before]")] if old_root else [])
        figures: dict[str, list[float]] = {}
        for _ in range(runs):
            for at, tree, suffix in keys:
                for key, values in in_subprocess(at, "keys", tree).items():
                    figures.setdefault(key + suffix, []).extend(values)
    print(f"\nfilter keystrokes typing {TYPED!r}, {runs} times ({int(figures['rows'][0])} of "
          f"{count} rows left; {int(figures['built'][0])} Document(s) built)")  # fmt: skip
    print(f"{'':<44}{'median':>11}{'worst':>11}")
    lines = [
        ("ui", "UI thread per key (blocks the next key)"),
        ("shown", "press to rows shown (scoring in a thread)"),
    ]
    if before:
        lines += [
            ("ui [before]", "  the same, reader from TREE: UI thread"),
            ("shown [before]", "  the same, reader from TREE: rows shown"),
        ]
    lines.append(("old", "baseline: per-word extract (before #16)"))
    for key, label in lines:  # fmt: skip
        values = figures[key]
        print(f"{label:<44}{ms(statistics.median(values), 1)}{ms(max(values), 1)}")


def store_scenario(root: str, mode: str) -> None:
    """One scenario's figures as JSON, with where `reader` was imported from."""
    import reader

    figures = (
        asyncio.run(keystrokes(Path(root))) if mode == "keys" else first_frame(Path(root), mode)
    )
    print(json.dumps({**figures, "reader": str(Path(reader.__file__).resolve())}))


__all__ = ["run_store", "store_scenario"]
