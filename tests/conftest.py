"""Shared fixtures: every test works in its own temporary workspace, never the user's files.

Pilot tests wait for events, never for time. Textual's own `Pilot.pause()` and `Pilot.press()`
wait until the process *looks* idle (its CPU clock stops advancing for 20 ms), which a busy
machine fakes: descheduled, the test process looks idle while the app has not handled the key
yet. The `_pilot_waits_for_the_app` fixture below makes both wait until the app has really
handled everything (`settled`): every typed key delivered, every widget's message queue empty,
every callback run, every thread worker finished, the screen repainted. What takes time on
purpose (a timer) is waited for with `wait_until(pilot, condition, what=...)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import shutil
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyperclip
import pytest
from textual import app as textual_app
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled, WorkerState

from reader.models import SyncReport
from reader.workspace import DATABASE_FILE, Workspace

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "corpus"

SETTLE_ROUNDS = 20_000
"""Scheduler turns `settle` gives the app before it fails: a bound on loops, not on time."""
QUIET_TURNS = 3
"""Turns of the event loop in a row with nothing to do: what another thread handed to the loop
(`call_soon_threadsafe`) is in no queue `unsettled` can see, but runs within a turn."""
WAIT_ROUNDS = 2_000
"""Settled pauses `wait_until` takes before it fails."""


# Workspaces


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point `READER_CONFIG` at a file that does not exist (nothing is created): no test reads
    the user's config. A test that wants one writes it there or sets the variable itself."""
    path = tmp_path / "user-config" / "reader.toml"
    monkeypatch.setenv("READER_CONFIG", str(path))
    return path


@pytest.fixture(scope="session")
def _synced_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyncReport]:
    """The sample corpus synced once per session (and that first sync's report); `workspace`
    copies it instead of syncing again."""
    root = tmp_path_factory.mktemp("template") / "ws"
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    with Workspace.open(root) as ws:
        first_sync = ws.last_sync
    with sqlite3.connect(root / DATABASE_FILE) as db:  # everything in the one file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return root, first_sync


@pytest.fixture
def workspace_root(tmp_path: Path) -> Path:
    """A workspace folder holding a copy of the bundled sample corpus (and no database yet)."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE_CORPUS, root / "corpus")
    return root


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    root = tmp_path / "empty"
    (root / "corpus").mkdir(parents=True)
    return root


@pytest.fixture
def workspace(
    workspace_root: Path, _synced_template: tuple[Path, SyncReport]
) -> Iterator[Workspace]:
    """The sample workspace, opened: the template's database copied in, so opening it finds
    every file unchanged (copies keep their times) instead of reading the corpus again.
    `last_sync` is the report of the sync that built the database, as if it had just run."""
    template, first_sync = _synced_template
    for path in (workspace_root / "corpus").iterdir():  # same bytes and times as the template's
        shutil.copy2(template / "corpus" / path.name, path)
    shutil.copy2(template / DATABASE_FILE, workspace_root / DATABASE_FILE)
    with Workspace.open(workspace_root) as ws:
        assert ws.last_sync.unchanged == len(list((workspace_root / "corpus").iterdir()))
        ws.last_sync = copy.deepcopy(first_sync)
        yield ws


# The same frame every run, and never the real clipboard


PAGES = Path(__file__).parent / "fixtures" / "pages"


class _QuietPageHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`http://127.0.0.1:PORT` serving tests/fixtures/pages: the web, without the internet."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    handler = partial(_QuietPageHandler, directory=str(PAGES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _truecolor_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps see a truecolor terminal whatever shell runs the tests (TERM=xterm alone means 16
    colours to Rich): highlight tints depend on the depth. A test of another depth sets
    COLORTERM and TERM itself before it makes its app."""
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture(autouse=True)
def _no_blinking_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors stay on: a blink would make screens differ with the time they are taken at."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def _no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the real clipboard: pyperclip finds no mechanism, as over SSH or in CI
    (the app then falls back to OSC 52). A test may patch `pyperclip.copy` again."""

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard in tests")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")


# Waiting for the app


def unsettled(app: App[Any]) -> str | None:
    """What the app is still busy with, or None when it has handled everything sent to it."""
    if not app.is_running or app._exception is not None or app._exit:
        return None
    key_queue = getattr(app, "key_queue", None)  # ReaderApp hands over one typed key at a time
    if key_queue is not None and not key_queue.idle:
        return "typed keys still waiting their turn"
    for node in (app, *list(app._registry)):
        queue = node._message_queue
        if not queue.empty() or getattr(queue, "_unfinished_tasks", 0):
            return f"{node!r} still has messages to handle"
        if node._next_callbacks:
            return f"{node!r} still has callbacks to run"
    try:
        screen = app.screen
    except Exception:  # no screen: starting or closing
        return None
    if not screen.is_mounted:
        return f"{screen!r} is not mounted yet"
    if screen._callbacks:
        return f"{screen!r} still has callbacks to run after its refresh"
    for worker in app.workers:
        if worker._thread_worker and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return f"worker {worker.name!r} is still running"
    return None


async def _finish_thread_workers(app: App[Any]) -> None:
    running = [
        worker
        for worker in app.workers
        if worker._thread_worker and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
    ]
    if running:
        with contextlib.suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await app.workers.wait_for_complete(running)


async def settle(pilot_or_app: Pilot[Any] | App[Any]) -> None:
    """Wait until the app has handled every key, message, callback and thread worker, then
    repaint the screen so that what it shows is up to date."""
    app = pilot_or_app.app if isinstance(pilot_or_app, Pilot) else pilot_or_app
    reason: str | None = None
    quiet = 0  # scheduler turns in a row the app had nothing to do
    for round_ in range(SETTLE_ROUNDS):
        reason = unsettled(app)
        if reason is None:
            try:
                screen = app.screen
            except Exception:
                return
            screen._on_timer_update()  # what Pilot.pause does: lay out and paint now
            quiet += unsettled(app) is None
            if quiet >= QUIET_TURNS:
                return
        else:
            quiet = 0
            await _finish_thread_workers(app)
        # let the app's tasks (and what threads handed to the loop) run; past the first turns,
        # give threads and I/O a moment too
        await asyncio.sleep(0 if round_ < 200 else 0.001)
    raise AssertionError(f"the app never settled: {reason}")


async def wait_until(
    pilot_or_app: Pilot[Any] | App[Any],
    condition: Callable[[], object],
    what: str = "the condition",
) -> None:
    """Pause (until the app is idle) and let its workers finish, until `condition()` holds;
    fail naming `what` if it never does. For what follows a timer or a worker; a key's effects
    are already there when `pilot.press` returns."""
    app = pilot_or_app.app if isinstance(pilot_or_app, Pilot) else pilot_or_app
    pilot = pilot_or_app if isinstance(pilot_or_app, Pilot) else Pilot(app)
    for _ in range(WAIT_ROUNDS):
        if condition():
            return
        await pilot.pause()
        await _finish_thread_workers(app)
        await asyncio.sleep(0.001)  # a timer's turn
    if condition():
        return
    raise AssertionError(f"waited in vain for {what}")


async def _press_keys_one_by_one(self: App[Any], keys: Iterable[str]) -> None:
    """`App._press_keys` (Textual 8.2.8) with each key handled before the next is sent."""
    for key in keys:
        if key.startswith("wait:"):
            raise AssertionError("tests wait for events, not for time: use wait_until")
        if len(key) == 1 and not key.isalnum():
            key = textual_app._character_to_key(key)
        original_key = textual_app.REPLACED_KEYS.get(key, key)
        char: str | None
        try:
            char = unicodedata.lookup(textual_app._get_unicode_name_from_key(original_key))
        except KeyError:
            char = key if len(key) == 1 else None
        key_event = events.Key(key, char)
        key_event.set_sender(self)
        self.post_message(key_event)  # queued now (the driver would queue it a turn later)
        await settle(self)


@pytest.fixture(autouse=True)
def _pilot_waits_for_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pilot.pause()` and `pilot.press(...)` return once the app has handled everything
    (`settle`), not when the CPU looks idle; `pilot.pause(delay)` is refused (use wait_until)."""

    async def pause(self: Pilot[Any], delay: float | None = None) -> None:
        if delay is not None:
            raise AssertionError("tests wait for events, not for time: use wait_until")
        await self._wait_for_screen()
        await settle(self.app)

    async def press(self: Pilot[Any], *keys: str) -> None:
        if keys:
            await _press_keys_one_by_one(self.app, keys)
            await self._wait_for_screen()
            await settle(self.app)

    monkeypatch.setattr(Pilot, "pause", pause)
    monkeypatch.setattr(Pilot, "press", press)
