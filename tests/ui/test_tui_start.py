"""The app is up before the first sync ends: documents arrive in the library as the sync commits
them, one can be opened and keys typed while it goes on, a failing sync is told and the app
keeps working, and quitting mid-sync stops it.

While the sync is held, the tests post keys and wait with `until`, not `pilot.press`: the shared
fixtures' pilot waits for every thread worker to finish, the held sync among them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events

from reader.ui.app import make_app
from reader.ui.screens.main_screen import MainScreen
from reader.ui.sync_runner import SyncStopped
from reader.workspace import Workspace
from tests.conftest import wait_until

ROUNDS = 20_000
HELD_SECONDS = 120  # a guard: a failing test must not leave the sync thread waiting forever


async def until(app: object, condition: Callable[[], object], what: str) -> None:
    """Let the event loop run until `condition()` holds (never waiting for workers)."""
    for _ in range(ROUNDS):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"waited in vain for {what}")


def type_keys(app: object, *keys: str) -> None:
    """Keys as the terminal driver delivers them: queued all at once, none awaited."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)  # type: ignore[arg-type]
        app.post_message(event)  # type: ignore[attr-defined]


def article(corpus: Path, name: str, title: str) -> None:
    (corpus / name).write_text(f"{title}\n\nWords about gas and energy.\n", "utf-8")


class HeldSync:
    """Stands in for `Workspace.sync`: syncs the files there now (a first batch), tells of
    them, waits for the test, then reads the files the test wrote meanwhile (or fails)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.original = Workspace.sync
        self.release = threading.Event()
        self.finished = threading.Event()
        self.failure: Exception | None = None
        monkeypatch.setattr(Workspace, "sync", lambda ws, progress=None, committed=None:
                            self.run(ws, progress, committed))  # fmt: skip

    def run(self, workspace: Workspace, progress, committed):
        first = self.original(workspace, progress)
        committed(len(first.added), len(first.added) + 2)
        assert self.release.wait(HELD_SECONDS)
        if self.failure is not None:
            raise self.failure
        report = self.original(workspace, progress)
        committed(len(first.added) + 2, len(first.added) + 2)
        self.finished.set()
        return report


@pytest.fixture
def three_articles(empty_root: Path) -> Path:
    corpus = empty_root / "corpus"
    for name, title in [("alpha.txt", "Alpha Gas"), ("beta.txt", "Beta Oil"),
                        ("gamma.txt", "Gamma Coal")]:  # fmt: skip
        article(corpus, name, title)
    return empty_root


def _paths(screen: MainScreen) -> set[str]:
    return {document.path for document in screen.library.document_list.documents}


async def test_documents_arrive_and_open_while_the_first_sync_runs(
    three_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldSync(monkeypatch)
    with Workspace.open(three_articles, sync=False) as workspace:
        app = make_app(workspace, live_library=True)
        async with app.run_test(size=(160, 48)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await until(app, lambda: len(_paths(screen)) == 3, "the first batch in the library")
            assert screen.panes.watcher.syncing and not held.finished.is_set()
            type_keys(app, "f", *"beta", "enter", "enter")  # typed during the sync
            await until(app, lambda: screen.document is not None, "a document opened")
            assert screen.document.path == "beta.txt"
            assert screen.library.filter_input.value == "beta"  # no key lost
            assert "Words about gas" in screen.view.text
            corpus = three_articles / "corpus"
            article(corpus, "delta.txt", "Delta Wind")
            article(corpus, "epsilon.txt", "Epsilon Sun")
            held.release.set()
            await wait_until(pilot, lambda: len(_paths(screen)) == 5, "the rest of the corpus")
            assert held.finished.is_set()
            assert screen.document.path == "beta.txt"  # the reader stays where the user is
            assert not screen.panes.watcher.syncing


async def test_a_failing_sync_is_told_and_the_app_keeps_working(
    three_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldSync(monkeypatch)
    held.failure = OSError("corpus/ went away")
    with Workspace.open(three_articles, sync=False) as workspace:
        app = make_app(workspace, live_library=True)
        async with app.run_test(size=(160, 48)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            await until(app, lambda: len(_paths(screen)) == 3, "the first batch in the library")
            held.release.set()
            await wait_until(pilot, lambda: not screen.panes.watcher.syncing, "the failure")
            told = [n.message for n in app._notifications]
            assert any("corpus/ went away" in message for message in told)
            await pilot.press("enter")
            assert screen.document is not None  # a document of the first batch opens


async def test_quitting_mid_sync_stops_it_at_the_next_file(
    three_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, stopped = threading.Event(), threading.Event()

    def endless_sync(workspace: Workspace, progress=None, committed=None):
        try:
            for done in range(10**9):  # a corpus with no end: only stopping ends it
                progress(done, 10**9)
                running.set()
        except SyncStopped:
            stopped.set()
            raise

    monkeypatch.setattr(Workspace, "sync", endless_sync)
    with Workspace.open(three_articles, sync=False) as workspace:
        app = make_app(workspace, live_library=True)
        async with app.run_test(size=(160, 48)):
            await until(app, running.is_set, "the sync to run")
            app.exit()
    assert stopped.wait(HELD_SECONDS)


async def test_keys_typed_before_the_library_fills_act_on_it(workspace: Workspace) -> None:
    """The library fills after the first frame; `j Enter` typed sooner still opens the second
    document (the app fills the list before it hands over the first key)."""
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        type_keys(app, "j", "enter")
        await until(app, lambda: main.document is not None, "a document to open")
        await pilot.pause()
        second = sorted(workspace.documents(), key=lambda d: d.title.casefold())[1]
        assert main.document is not None and main.document.id == second.id
