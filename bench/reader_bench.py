"""Reading-pane benchmark: 100,000- and 1,000,000-word documents, 500 highlights, `DocumentView`.

The document is the paragraphs of the bundled `corpus/` articles (canonical text, curly quotes
and dashes included) repeated in order until it holds the asked number of words, one blank line
between paragraphs. 500 highlights of 20-200 characters in 4 colours are spread evenly over it;
every 50th starts inside the one before it (10 overlapping pairs at 100,000 words).

Everything runs headless in `App.run_test()` at 160x48: a 44-cell side pane (a stand-in for the
library or highlights pane, as wide as MainScreen's library) next to the focused view. Keys are
posted to the app as a terminal driver posts them, resizes as `Pilot.resize_terminal` does;
nothing calls `pilot.pause()` while the clock runs, so frames come only from Textual's own
update timer (60 fps cap). Each operation starts from an idle app, so that timer fires at once.
Before any timing, each widget shows a 2,000-word document once (one-off imports and caches).

What a time means: milliseconds from just before the operation (posting the key or `Resize`,
calling `load` / `set_highlights`) to the end of `App._display()` for the last frame of the
burst the operation causes (no frame for 150 ms after it). `App._display()` is where Textual
hands a frame to the driver; the bench extends it to also encode the frame into terminal escape
sequences, the step the headless driver skips, so the work a real terminal pays is counted.
- median / worst: to that settled frame; the verdict is on the median, the worst is shown,
- first: median time to the first frame after the operation (it may still be stale: after a
  resize the first frame shows the old wrap until the view's `on_resize` has re-wrapped),
- frames: median number of frames in the burst (Textual spaces them >= 16.7 ms apart),
- view: median milliseconds spent inside DocumentView's own code for the operation (`load`,
  `set_highlights`, `action_move`, `set_cursor`, `_relayout`, `render_line`, outermost call
  timed), from a subclass that only adds the clock; the rest is Textual and the event loop.

Operations and targets (from the issue, on this 2-core machine):
- open: `DocumentView.load(text, highlights)` in a running app (a fresh app each run): settled
  <= 100 ms and >= 20x faster than the baseline,
- page down (`pagedown`), jump to end (`G`), add / remove a highlight on screen
  (`set_highlights` with one span more / less): <= 16 ms each,
- resize 160x48 -> 120x40 (and back), and toggling the side pane at 120x40 (`A`): each changes
  the wrap width (measure 80 <-> 71): <= 100 ms. The view wraps only the paragraphs around what
  it shows (`LazyLayout`), so these targets hold at 1,000,000 words as at 100,000; `wrapped`
  in the report is the median number of paragraphs the view had wrapped after the operation.

Baseline, in the same run with the same text, screen, side pane and clock: a plain `Static`
(at most 82 cells wide, the view's measure plus gutter) in a `VerticalScroll`, showing a
`Content` of the whole text with the highlights as styled spans (the view's tint), animations
off. Its page down and jump to end are the container's `pagedown` and `end`; adding or removing
a highlight is `Static.update()` with the new `Content`.

Memory, traced with `tracemalloc` (what is still allocated after the settled frame and a
`gc.collect()`, minus what was before; the caller's text and spans exist before and are not
counted): opening the document after the 2,000-word one (target <= 2 MB per 100,000 words), the
same after every line has been drawn once (as reading to the end does; no target, it shows what
the view's line cache keeps), and the baseline's open.

Run with `python bench/reader_bench.py [words ...] [--runs N] [--baseline-runs N] [--no-baseline]`
(default: 100000 1000000, each size with its own baseline in the same run). Prints figures and
PASS/FAIL per target; no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.console import RenderableType
from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content, Span
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from reader.text.canonical import canonical_text
from reader.ui.widgets.document_view import GUTTER, DocumentView, HighlightSpan

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MEASURE = DocumentView.line_width  # the reading measure in cells
SIZE = (160, 48)
SMALL = (120, 40)
PANE_WIDTH = 44
HIGHLIGHTS = 500
WARM_UP_WORDS = 2_000
COLORS = ("#e5c07b", "#98c379", "#61afef", "#e06c75")
QUIET = 0.15  # seconds without a frame that end a burst
TIMEOUT = 60.0
TARGETS = {  # operation -> target in ms for the settled frame
    "open": 100.0,
    "page down": 16.0,
    "jump to end (G)": 16.0,
    "add a highlight": 16.0,
    "remove a highlight": 16.0,
    "resize 160x48 -> 120x40": 100.0,
    "resize 120x40 -> 160x48": 100.0,
    "toggle side pane (re-wrap)": 100.0,
}
SPEED_UP_TARGET = 20.0
MEMORY_TARGET_MB = 2.0  # per 100,000 words


# The document


def make_document(words: int) -> str:
    """The corpus paragraphs, in order, repeated until the text holds `words` words."""
    paragraphs = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = canonical_text(path.read_text(encoding="utf-8"))
        paragraphs.extend(line.strip() for line in text.split("\n") if line.strip())
    chosen, count = [], 0
    for paragraph in itertools.cycle(paragraphs):
        if count >= words:
            break
        chosen.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(chosen) + "\n"


def make_highlights(text: str, count: int = HIGHLIGHTS) -> list[HighlightSpan]:
    """`count` highlights of 20-200 characters spread evenly; every 50th overlaps its neighbour."""
    step = len(text) // count
    spans: list[HighlightSpan] = []
    for i in range(count):
        start = spans[-1].start + 10 if i % 50 == 49 else i * step
        end = min(len(text), start + 20 + (i * 37) % 181)
        spans.append(HighlightSpan(i + 1, start, end, COLORS[i % len(COLORS)]))
    return spans


def highlight_content(text: str, spans: list[HighlightSpan], background: Color) -> Content:
    """The baseline's input: the whole text, each highlight a styled span in the view's tint."""
    styled = [
        Span(s.start, s.end, f"underline on {Color.parse(s.color).blend(background, 0.65).hex}")
        for s in spans
    ]
    return Content(text, styled)


# The apps


class TimedView(DocumentView):
    """DocumentView plus a clock on its entry points (outermost call only)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.busy = 0.0
        self._depth = 0

    @contextmanager
    def _clock(self) -> Iterator[None]:
        self._depth += 1
        start = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth:
                self.busy += time.perf_counter() - start

    def load(self, text: str, highlights: list[HighlightSpan], cursor: int = 0) -> None:
        with self._clock():
            super().load(text, highlights, cursor)

    def set_highlights(self, highlights: list[HighlightSpan]) -> None:
        with self._clock():
            super().set_highlights(highlights)

    def set_cursor(self, offset: int, *, center: bool = False) -> None:
        with self._clock():
            super().set_cursor(offset, center=center)

    def action_move(self, motion: str, extend: bool = False) -> None:
        with self._clock():
            super().action_move(motion, extend)

    def _relayout(self) -> None:
        with self._clock():
            super()._relayout()

    def render_line(self, y: int) -> Strip:
        with self._clock():
            return super().render_line(y)


class BenchApp(App[None]):
    """A side pane and a reading widget; notes when each frame is handed to the driver."""

    CSS = f"#pane {{ width: {PANE_WIDTH}; height: 1fr; }}"
    BINDINGS = [Binding("A", "toggle_pane", "Pane")]

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"
        self.frames: list[float] = []

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)  # the escape sequences a terminal gets
            self.frames.append(time.perf_counter())

    def action_toggle_pane(self) -> None:
        pane = self.query_one("#pane")
        pane.display = not pane.display


class ViewApp(BenchApp):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("side pane", id="pane")
            yield TimedView(id="document")

    def on_mount(self) -> None:
        self.query_one(TimedView).focus()

    @property
    def view(self) -> TimedView:
        return self.query_one(TimedView)


class StaticApp(BenchApp):
    CSS = BenchApp.CSS + f"#text {{ width: 1fr; max-width: {MEASURE + GUTTER}; }}"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("side pane", id="pane")
            with VerticalScroll():
                yield Static("", id="text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    @property
    def static(self) -> Static:
        return self.query_one("#text", Static)

    def content(self, text: str, spans: list[HighlightSpan]) -> Content:
        return highlight_content(text, spans, self.static.styles.background)


# Measuring


@dataclass
class Sample:
    settled: float  # seconds to the last frame of the burst
    first: float  # seconds to the first frame
    frames: int
    view: float  # seconds inside DocumentView's code
    wrapped: int = 0  # paragraphs the view had wrapped after the operation


Results = dict[str, list[Sample]]


async def quiet(app: BenchApp) -> None:
    """Wait until the app has handed no frame to the driver for QUIET seconds."""
    while True:
        wait = QUIET - (time.perf_counter() - (app.frames[-1] if app.frames else 0.0))
        if wait <= 0:
            return
        await asyncio.sleep(wait)


async def measure(app: BenchApp, operation: Callable[[], object]) -> Sample:
    """Run `operation` on an idle app; time it to the end of the burst of frames it causes."""
    await quiet(app)
    view = app.view if isinstance(app, ViewApp) else None
    busy = view.busy if view else 0.0
    first_frame = len(app.frames)
    start = time.perf_counter()
    operation()
    while True:
        await asyncio.sleep(0.005)
        frames = app.frames[first_frame:]
        if frames and time.perf_counter() - frames[-1] >= QUIET:
            spent = view.busy - busy if view else 0.0
            wrapped = getattr(view and view.wrapped, "wrapped_paragraphs", 0)  # 0: eager map
            return Sample(frames[-1] - start, frames[0] - start, len(frames), spent, wrapped)
        if not frames and time.perf_counter() - start > TIMEOUT:
            raise RuntimeError("no frame after the operation")


def press(app: App[None], key: str) -> Callable[[], None]:
    return lambda: app.post_message(events.Key(key, key if len(key) == 1 else None))


def resize(app: App[None], width: int, height: int) -> Callable[[], None]:
    def post() -> None:
        size = Size(width, height)
        app._driver._size = size  # type: ignore[union-attr]  # as Pilot.resize_terminal does
        app.post_message(events.Resize(size, size))

    return post


async def operations(
    app: BenchApp,
    runs: int,
    keys: dict[str, str],
    back_to_top: Callable[[], object],
    highlight: Callable[[bool], object],
) -> Results:
    """Everything but open, on an app showing the document; `highlight(add)` adds/removes one."""
    results: Results = {name: [] for name in TARGETS if name != "open"}
    for _ in range(runs):
        results["page down"].append(await measure(app, press(app, keys["page down"])))
    for _ in range(runs):
        results["add a highlight"].append(await measure(app, lambda: highlight(True)))
        results["remove a highlight"].append(await measure(app, lambda: highlight(False)))
        await measure(app, press(app, keys["page down"]))
    for _ in range(runs):
        await measure(app, back_to_top)
        results["jump to end (G)"].append(await measure(app, press(app, keys["end"])))
    for _ in range(runs):
        results["resize 160x48 -> 120x40"].append(await measure(app, resize(app, *SMALL)))
        results["resize 120x40 -> 160x48"].append(await measure(app, resize(app, *SIZE)))
    await measure(app, resize(app, *SMALL))
    for _ in range(runs):
        results["toggle side pane (re-wrap)"].append(await measure(app, press(app, "A")))
    return results


async def bench_view(text: str, spans: list[HighlightSpan], small: str, runs: int) -> Results:
    app = ViewApp()
    async with app.run_test(size=SIZE):
        await measure(app, lambda: app.view.load(small, []))  # warm-up, not counted
    results: Results = {"open": []}
    for _ in range(runs):
        app = ViewApp()
        async with app.run_test(size=SIZE):
            results["open"].append(await measure(app, partial(app.view.load, text, spans)))
    app = ViewApp()
    async with app.run_test(size=SIZE):
        view = app.view
        await measure(app, lambda: view.load(text, spans))

        def highlight(add: bool) -> None:
            at = min(view.cursor, len(text) - 60)
            extra = HighlightSpan(10**6, at, at + 60, COLORS[0])
            view.set_highlights([*spans, extra] if add else spans)

        def back_to_top() -> None:  # a fresh load: the end's lines are not drawn yet
            view.load(text, spans)

        keys = {"page down": "pagedown", "end": "G"}
        results.update(await operations(app, runs, keys, back_to_top, highlight))
    return results


async def bench_static(text: str, spans: list[HighlightSpan], small: str, runs: int) -> Results:
    app = StaticApp()
    async with app.run_test(size=SIZE):
        await measure(app, lambda: app.static.update(small))  # warm-up, not counted
    results: Results = {"open": []}
    for _ in range(runs):
        app = StaticApp()
        async with app.run_test(size=SIZE):
            content = app.content(text, spans)
            results["open"].append(await measure(app, partial(app.static.update, content)))
    app = StaticApp()
    async with app.run_test(size=SIZE):
        static, scroller = app.static, app.query_one(VerticalScroll)
        content = app.content(text, spans)
        await measure(app, lambda: static.update(content))

        def highlight(add: bool) -> None:
            at = min(int(scroller.scroll_y) * MEASURE, len(text) - 60)  # about on screen
            extra = HighlightSpan(10**6, at, at + 60, COLORS[0])
            static.update(app.content(text, [*spans, extra]) if add else content)

        keys = {"page down": "pagedown", "end": "end"}
        results.update(await operations(app, runs, keys, press(app, "home"), highlight))
    return results


async def traced(app: BenchApp, operation: Callable[[], object]) -> tuple[int, int]:
    """Bytes still allocated after `operation` and its frames, and the peak on the way."""
    await quiet(app)
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    await measure(app, operation)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return after - before, peak - before


def draw_every_line(view: DocumentView) -> None:
    """Draw each screenful from top to bottom, as reading to the end does."""
    assert view.wrapped is not None
    height = view.scrollable_content_region.height
    for top in range(0, len(view.wrapped), height):
        view.scroll_to(y=top, animate=False, immediate=True)
        for y in range(height):
            view.render_line(y)


async def bench_memory(
    text: str, spans: list[HighlightSpan], small: str, baseline: bool
) -> dict[str, tuple[int, int]]:
    found = {}
    app = ViewApp()
    async with app.run_test(size=SIZE):
        view = app.view
        await measure(app, lambda: view.load(small, []))
        await quiet(app)
        gc.collect()
        tracemalloc.start()
        before, _ = tracemalloc.get_traced_memory()
        await measure(app, lambda: view.load(text, spans))
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
        found["DocumentView: open"] = (after - before, peak - before)
        draw_every_line(view)
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
        found["DocumentView: all lines drawn"] = (after - before, peak - before)
        tracemalloc.stop()
    if baseline:
        app = StaticApp()
        async with app.run_test(size=SIZE):
            await measure(app, lambda: app.static.update(small))
            content = app.content(text, spans)
            found["baseline: Static open"] = await traced(app, lambda: app.static.update(content))
    return found


# Reporting


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def median(samples: list[Sample], field: str) -> float:
    return statistics.median(getattr(s, field) for s in samples)


def report(view: Results, static: Results | None) -> None:
    header = (
        f"{'operation':<28}{'median':>9}{'worst':>9}{'first':>8}{'frames':>7}{'view':>7}"
        f"{'wrapped':>8}"
        f"{'target':>9}  {'':<5}{'Static':>10}{'speed-up':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, target in TARGETS.items():
        samples = view[name]
        settled = median(samples, "settled")
        worst = max(s.settled for s in samples)
        verdict = "PASS" if settled * 1000 <= target else "FAIL"
        line = (
            f"{name:<28}{ms(settled):>9}{ms(worst):>9}{ms(median(samples, 'first')):>8}"
            f"{median(samples, 'frames'):>7g}{ms(median(samples, 'view')):>7}"
            f"{median(samples, 'wrapped'):>8g}"
            f"{'<= ' + format(target, 'g'):>9}  {verdict:<5}"
        )
        if static is not None:
            base = median(static[name], "settled")
            line += f"{ms(base):>10}{base / settled:>9.1f}x"
        print(line)
    if static is not None:
        speed_up = median(static["open"], "settled") / median(view["open"], "settled")
        verdict = "PASS" if speed_up >= SPEED_UP_TARGET else "FAIL"
        label = "open: speed-up over Static"
        target = f">= {SPEED_UP_TARGET:g}x"
        print(f"{label:<28}{speed_up:>8.1f}x{target:>40}  {verdict}")


def report_memory(found: dict[str, tuple[int, int]], words: int, text: str) -> None:
    print(
        f"memory (tracemalloc, alive after gc; the caller's text, {sys.getsizeof(text) / 2**20:.2f}"
        " MB, not counted)"
    )
    print(f"{'':<30}{'kept':>9}{'per 100k words':>16}{'peak':>9}{'target':>10}")
    for label, (kept, peak) in found.items():
        per = kept / 2**20 * 100_000 / words
        verdict = ""
        if label == "DocumentView: open":
            verdict = f"<= {MEMORY_TARGET_MB:g}  " + ("PASS" if per <= MEMORY_TARGET_MB else "FAIL")
        print(
            f"{label:<30}{kept / 2**20:>6.2f} MB{per:>13.2f} MB{peak / 2**20:>6.2f} MB{verdict:>14}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=7, help="runs per operation (default 7)")
    parser.add_argument("--baseline-runs", type=int, default=3, help="runs for Static (3)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the Static baseline")
    args = parser.parse_args()
    for words in args.words:
        bench_size(words, args)
        print()


def bench_size(asked: int, args: argparse.Namespace) -> None:
    """Every figure for one document size, the baseline's included."""
    text, small = make_document(asked), make_document(WARM_UP_WORDS)
    spans = make_highlights(text)
    words = len(text.split())
    overlapping = sum(1 for a, b in itertools.pairwise(spans) if b.start < a.end)
    non_ascii = sum(1 for ch in text if not ch.isascii())
    print(
        f"document: {words:,} words, {len(text):,} code points ({non_ascii:,} non-ASCII), "
        f"{len(spans)} highlights ({overlapping} overlapping)"
    )
    print(
        f"headless {SIZE[0]}x{SIZE[1]} with a {PANE_WIDTH}-cell side pane; DocumentView: "
        f"{args.runs} runs, Static: {args.baseline_runs}; ms to the settled frame"
    )
    print()
    view = asyncio.run(bench_view(text, spans, small, args.runs))
    static = None
    if not args.no_baseline:
        static = asyncio.run(bench_static(text, spans, small, args.baseline_runs))
    report(view, static)
    print()
    report_memory(asyncio.run(bench_memory(text, spans, small, not args.no_baseline)), words, text)


if __name__ == "__main__":
    main()
