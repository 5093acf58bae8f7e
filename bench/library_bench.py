"""Library pane benchmark: first frame and filter keystrokes with 10,000 (or N) documents.

First frame, headless at 160x48, each scenario in a fresh Python process (so one run's caches
and garbage do not flatter the next), median of a few runs, from `App.run_test()` starting to
the first settled frame (`pilot.pause()` after mount), with the process's peak resident memory:
- an empty app (what Textual and Pilot cost by themselves),
- the baseline: the same 10,000 rows as `OptionList` options (what the minimal app uses),
- `LibraryPane` (the Line API list).
Then time per filter keystroke while typing "serbai" (median and worst): the pane's own work
(filter, title, render the rows on screen), and press-to-idle through Pilot for the pane, for an
OptionList rebuilt with the same matches (baseline), and for an Input alone (Pilot's own wait).
Prints figures; run with `python bench/library_bench.py [N] [RUNS]` (N up to 100,000). No
assertions. `python bench/library_bench.py --store DIR [RUNS]` does the same over a real synced
workspace (a copy of its store; see bench/library_store.py), e.g. /tmp/scale/w100k;
`--store DIR [RUNS] --before TREE` measures an older reader (TREE holds its `reader` package)
in the same run.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.models import Document
from reader.text.sanitize import display_safe_line
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.library_pane import LibraryPane
from reader.ui.widgets.library_rows import STATUS_MARKS, FuzzyIndex

WORDS = (
    "serbia russia belgrade moscow sanctions arms contracts energy gas pipeline defense minister "
    "president government analysts policy european union neutrality weapons purchases military "
    "relations cooperation pressure western balkans kremlin ukraine war security council"
).split()
AUTHORS = ["Jane Doe", "Kathrine Frich", "Milan Petrović", "李小龙", None]
SIZE = (160, 48)
TYPED = "serbai"


def make_documents(count: int, seed: int = 7) -> list[Document]:
    """Synthetic documents like a real corpus: mostly ok, some missing/skipped, some undated."""
    rng = random.Random(seed)
    documents = []
    for i in range(count):
        status = rng.choices(["ok", "missing", "skipped"], weights=[90, 5, 5])[0]
        dated = rng.random() < 0.8
        documents.append(
            Document(
                id=i + 1,
                path=f"{i:05d}_{rng.getrandbits(64):016x}.txt",
                status=status,
                title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).title(),
                author=rng.choice(AUTHORS),
                date=f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if dated
                else None,
                source=None,
                words=rng.randint(100, 3000),
                reading_minutes=rng.randint(1, 15),
                annotations=rng.choice([0, 0, 0, 1, 2, 5]),
                warning="binary file" if status == "skipped" else None,
                content_hash=None,
            )
        )
    return documents


def option_prompt(document: Document) -> Content:
    """The same one-line row as literal Content, as an OptionList needs it."""
    count = f"  ✎{document.annotations}" if document.annotations else ""
    return Content.assemble(
        (f"{STATUS_MARKS[document.status]} ", "bold $error" if document.status != "ok" else ""),
        display_safe_line(document.title),
        ("  " + display_safe_line(document.date or document.author or ""), "$text-muted"),
        (count, "$accent"),
    )


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield from ()


class OptionListApp(App[None]):
    """The baseline: what reader/ui/app.py does today, one Option per document."""

    CSS = "OptionList { width: 48; height: 1fr; }"

    def __init__(self, documents: list[Document]) -> None:
        super().__init__()
        self.documents = documents

    def compose(self) -> ComposeResult:
        yield OptionList(
            *(Option(option_prompt(d), id=str(d.id)) for d in self.documents), id="library"
        )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()


class LibraryApp(App[None]):
    CSS = "LibraryPane { width: 48; }"

    def __init__(self, documents: list[Document]) -> None:
        super().__init__()
        self.documents = documents

    def compose(self) -> ComposeResult:
        yield LibraryPane(self.documents, id="library")

    def on_mount(self) -> None:
        self.query_one(DocumentList).focus()


async def first_frame(app: App[None]) -> float:
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
    return elapsed


def run_scenario(name: str, count: int) -> dict[str, float]:
    """One scenario in this process: documents are built before the clock starts."""
    documents = make_documents(count)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    app: App[None]
    if name == "empty":
        app = EmptyApp()
    elif name == "optionlist":
        app = OptionListApp(documents)
    else:
        app = LibraryApp(documents)
    seconds = asyncio.run(first_frame(app))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": rss_after / 1024, "rss_before_mb": rss_before / 1024}


def in_subprocess(name: str, count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--scenario", name, str(count)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class InputOnlyApp(App[None]):
    """What Pilot and an Input cost per keystroke, with nothing listening."""

    def compose(self) -> ComposeResult:
        yield Input(id="library-filter")


class OptionListFilterApp(OptionListApp):
    """The baseline for filtering: same matcher, the OptionList rebuilt with the matches."""

    def compose(self) -> ComposeResult:
        self.index = FuzzyIndex([d.title for d in self.documents],
                                [d.author for d in self.documents],
                                [d.path for d in self.documents])  # fmt: skip
        yield Input(id="library-filter")
        yield from super().compose()

    def on_input_changed(self, event: Input.Changed) -> None:
        scores = self.index.scores(event.value)
        rows = sorted(scores, key=lambda i: -scores[i]) if event.value else range(len(scores))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(
            Option(option_prompt(self.documents[i]), id=str(self.documents[i].id)) for i in rows
        )
        option_list.highlighted = 0


async def typed_through_pilot(app: App[None]) -> list[float]:
    """Seconds from each key press until the app is idle again (Pilot's own wait included)."""
    seconds: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one("#library-filter", Input).focus()
        await pilot.pause()
        for character in TYPED:
            start = time.perf_counter()
            await pilot.press(character)
            await pilot.pause()
            seconds.append(time.perf_counter() - start)
    return seconds


async def typed_direct(documents: list[Document]) -> tuple[list[float], float, int]:
    """Seconds per keystroke for the pane's own work: filter, retitle, render the rows shown.

    Also returns what building the fuzzy choices costs (once per `set_documents`, on the first
    keystroke) and how many rows are left at the end.
    """
    app = LibraryApp(documents)
    seconds: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(LibraryPane)
        listing = pane.document_list
        start = time.perf_counter()
        listing.model.index.prepare()  # in a thread from 5,000 rows; here on the clock
        build = time.perf_counter() - start
        for end in range(1, len(TYPED) + 1):
            start = time.perf_counter()
            listing.set_filter_text(TYPED[:end])
            while listing.pending_filter is not None:  # from 20,000 rows scored in a thread
                await asyncio.sleep(0.0005)
            pane._retitle()
            for y in range(listing.scrollable_content_region.height):
                listing.render_line(y)
            seconds.append(time.perf_counter() - start)
        shown = listing.row_count
    return seconds, build, shown


def row(label: str, seconds: list[float]) -> str:
    return f"{label:<40}{statistics.median(seconds) * 1000:>7.1f} ms{max(seconds) * 1000:>7.1f} ms"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--scenario":
        print(json.dumps(run_scenario(sys.argv[2], int(sys.argv[3]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] in ("--store", "--store-scenario"):
        from library_store import run_store, store_scenario

        if sys.argv[1] == "--store-scenario":
            store_scenario(sys.argv[2], sys.argv[3])
        else:
            args = sys.argv[2:]
            before = None
            if "--before" in args:
                at = args.index("--before")
                before, args = Path(args[at + 1]).resolve(), args[:at] + args[at + 2 :]
            run_store(Path(args[0]), int(args[1]) if len(args) > 1 else 3, before)
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(f"{count} documents, headless {SIZE[0]}x{SIZE[1]}, median of {runs} fresh processes")
    print()
    print(f"{'first settled frame':<32}{'time':>10}{'peak RSS':>12}")
    results = {}
    for name, label in (
        ("empty", "empty app (Textual alone)"),
        ("optionlist", "baseline: OptionList"),
        ("library", "LibraryPane"),
    ):
        samples = [in_subprocess(name, count) for _ in range(runs)]
        seconds = statistics.median(s["seconds"] for s in samples)
        rss = statistics.median(s["peak_rss_mb"] for s in samples)
        results[name] = seconds
        print(f"{label:<32}{seconds * 1000:>8.0f} ms{rss:>9.0f} MB")
    print(f"{'speed-up over baseline':<32}{results['optionlist'] / results['library']:>9.1f}x")
    print()

    documents = make_documents(count)
    direct, build, shown = asyncio.run(typed_direct(documents))
    pilot_pane = asyncio.run(typed_through_pilot(LibraryApp(documents)))
    pilot_baseline = asyncio.run(typed_through_pilot(OptionListFilterApp(documents)))
    pilot_input = asyncio.run(typed_through_pilot(InputOnlyApp()))
    print(f"filter keystrokes, typing {TYPED!r} ({shown} of {count} rows left)")
    print(f"{'':<40}{'median':>10}{'worst':>10}")
    print(row("LibraryPane: filter + rows shown", direct))
    print(row("LibraryPane via Pilot (press to idle)", pilot_pane))
    print(row("baseline: OptionList rebuilt, via Pilot", pilot_baseline))
    print(row("Input alone via Pilot (Pilot's wait)", pilot_input))
    print(f"{'building the fuzzy choices (once)':<40}{build * 1000:>7.1f} ms")


if __name__ == "__main__":
    main()
