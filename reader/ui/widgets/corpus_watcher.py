"""The live library: `corpus/` is synced in a thread while the app runs, on start, when a file
changes (watchfiles; polling where the system cannot watch) and when the user asks, with the
progress of a long sync on show. The sync uses its own connection to the store, so the screen
keeps answering keys; the screen hears `Committed` (documents in the store while the sync goes
on: usable at once) and `Synced`, and redraws what changed. A sync the app no longer wants (it
is closing) stops at the next file."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from reader.models import SyncReport
from reader.ui.sync_runner import SyncStopped, run_sync

DEBOUNCE_MS = 300  # changes that land together (a copy of many files) make one sync
READY_CHECK_MS = 500  # the watcher says it is alive this often, changes or not
PROGRESS_EVERY_SECONDS = 0.1


def corpus_filter(corpus_dir: Path) -> Callable[[object, str], bool]:
    """What the sync reads: hidden files and anything in hidden folders (`.obsidian/`, `.git/`,
    `reader add`'s temporary files, editors' swap files) are not articles."""
    root = corpus_dir.resolve()

    def wanted(change: object, path: str) -> bool:
        try:
            parts = Path(path).resolve().relative_to(root).parts
        except ValueError:
            parts = Path(path).parts[-1:]
        return not any(part.startswith(".") for part in parts)

    return wanted


class CorpusWatcher(Horizontal):
    """A status line that shows only while a sync runs; it owns the sync and watch workers."""

    DEFAULT_CSS = """
    CorpusWatcher {
        dock: bottom;
        height: 1;
        display: none;
        &.-busy { display: block; }
        & > Label { width: auto; padding: 0 1; }
        & > ProgressBar { width: 1fr; }
    }
    """

    @dataclass
    class Synced(Message):
        """A sync finished; `report` says what changed (nothing, often)."""

        report: SyncReport

    @dataclass
    class Progressed(Message):
        done: int
        total: int

    @dataclass
    class Committed(Message):
        """A batch of the running sync is in the store: `done` of `total` files read."""

        done: int
        total: int

    @dataclass
    class Failed(Message):
        reason: str

    def __init__(self, root: Path, corpus_dir: Path) -> None:
        super().__init__()
        self.root = root
        self.corpus_dir = corpus_dir
        self.syncing = False
        self.again = False
        self.watching = False
        self.watch_ready = False  # file-system events are being delivered
        self.progress_shown: tuple[int, int] | None = None  # the last count on the bar

    def compose(self) -> ComposeResult:
        yield Label("Reading corpus/")
        yield ProgressBar(show_eta=True, show_percentage=True)

    def start(self, watch: bool = True) -> None:
        """Sync now, then (with `watch`) again whenever something in `corpus/` changes."""
        self.sync_now()
        if watch and not self.watching:
            self.watching = True
            self._watch()

    def sync_now(self) -> None:
        """Sync at once; asked while a sync runs, one more follows it."""
        if self.syncing:
            self.again = True
            return
        self.syncing = True
        self._sync()

    @work(thread=True, group="corpus-sync", exit_on_error=False)
    def _sync(self) -> None:
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if done in (0, total) or now - last >= PROGRESS_EVERY_SECONDS:
                last = now
                self.post_message(self.Progressed(done, total))

        def committed(done: int, total: int) -> None:
            self.post_message(self.Committed(done, total))

        worker = get_current_worker()
        try:
            report = run_sync(self.root, progress, committed, lambda: worker.is_cancelled)
        except SyncStopped:
            return  # the app is closing: nobody is left to tell
        except Exception as exc:  # a sync that fails is told, never a crash of the reader
            self.post_message(self.Failed(str(exc) or type(exc).__name__))
        else:
            self.post_message(self.Synced(report))

    @work(group="corpus-watch", exit_on_error=False)
    async def _watch(self) -> None:
        import watchfiles

        worker = get_current_worker()
        for force_polling in (None, True):
            try:
                async for changes in watchfiles.awatch(
                    self.corpus_dir,
                    watch_filter=corpus_filter(self.corpus_dir),
                    debounce=DEBOUNCE_MS,
                    force_polling=force_polling,
                    poll_delay_ms=1000,
                    rust_timeout=READY_CHECK_MS,
                    yield_on_timeout=True,
                ):
                    if worker.is_cancelled:
                        return
                    if not self.watch_ready:
                        # Files written between the first sync and now made no event: look.
                        self.watch_ready = True
                        self.sync_now()
                    elif changes:
                        self.sync_now()
                return
            except (OSError, RuntimeError):
                continue  # no file-system events here (inotify limits): poll instead

    def on_corpus_watcher_progressed(self, event: Progressed) -> None:
        if event.total < 20 and event.done == 0:
            return  # a handful of files: done before a bar could be read
        self.add_class("-busy")
        self.progress_shown = (event.done, event.total)
        bar = self.query_one(ProgressBar)
        bar.update(total=event.total, progress=event.done)
        self.query_one(Label).update(f"Reading corpus/ {event.done:,}/{event.total:,}")

    def on_corpus_watcher_synced(self) -> None:
        self._finished()

    def on_corpus_watcher_failed(self) -> None:
        self._finished()

    def _finished(self) -> None:
        self.remove_class("-busy")
        self.syncing = False
        if self.again:
            self.again = False
            self.sync_now()


def sync_summary(report: SyncReport) -> str:
    """`corpus/: 2 added, 1 changed · new.html skipped: no article text found` for a toast."""
    summary = "corpus/: " + report.summary()
    if report.added and len(report.added) <= 3:
        summary += " · " + ", ".join(report.added)
    warnings = [w for w in report.warnings if "skipped" in w][:2]
    return "\n".join([summary, *warnings])
