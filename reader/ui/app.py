"""The Textual app: builds the main screen, the help screen and the command palette entries."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.models import Document
from reader.ui.key_order import KeyQueue, Typed, is_typed
from reader.ui.palette import ScreenCommandsProvider
from reader.ui.screens.help_screen import HelpScreen, help_groups
from reader.ui.screens.main_screen import MainScreen
from reader.workspace import Workspace

TERMINAL_CHECK_SECONDS = 2.0


def _terminal_fd() -> int | None:
    """The terminal the app reads keys from, or None when it has none (tests, pipes)."""
    stream = sys.__stdin__
    try:
        fd = stream.fileno() if stream is not None else None
    except (OSError, ValueError):
        return None
    return fd if fd is not None and os.isatty(fd) else None


class ReaderApp(App[None]):
    """reader's TUI; `make_app` builds it for the CLI and the tests alike."""

    TITLE = "reader"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommandsProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        workspace: Workspace,
        open_at: tuple[Document, int | None] | None = None,
        live_library: bool = False,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.open_at = open_at
        self.live_library = live_library  # sync on start and watch corpus/ while running
        self.key_queue = KeyQueue(self, self._deliver_typed)

    async def on_event(self, event: events.Event) -> None:
        """Typed keys wait their turn (`KeyQueue`): none is lost or overtaken by the next."""
        if is_typed(event):
            await self.key_queue.receive(event)  # type: ignore[arg-type]
            return
        await super().on_event(event)

    async def _deliver_typed(self, event: Typed) -> None:
        await super().on_event(event)

    def on_mount(self) -> None:
        if _terminal_fd() is not None:
            self.set_interval(TERMINAL_CHECK_SECONDS, self._exit_if_terminal_gone)

    async def _exit_if_terminal_gone(self) -> None:
        """Quit when the terminal hangs up (window closed, SSH dropped): Textual's input thread
        would otherwise spin on the dead terminal at 100% CPU when no SIGHUP reaches us (as
        under `make run`, where make is the controlling process)."""
        fd = _terminal_fd()
        try:
            if fd is None:
                raise OSError("no terminal")
            os.tcgetpgrp(fd)
        except OSError:
            await self.action_quit()

    def get_default_screen(self) -> Screen:
        return MainScreen(self.workspace, self.open_at)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_groups(self.screen)))

    async def action_quit(self) -> None:
        main = self.get_screen_by_type(MainScreen)
        if main is not None:
            main.save_reading_position()
        self.exit()

    def get_screen_by_type(self, kind: type[MainScreen]) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, kind):
                return screen
        return None

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands and the key list; the screen's actions come from
        `ScreenCommandsProvider`, for the screen on show only."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's own: its help panel, not the keys of ours
                yield command
        yield SystemCommand("Keys", "Show the keys of this screen", self.action_help)


def make_app(
    workspace: Workspace,
    open_at: tuple[Document, int | None] | None = None,
    live_library: bool = False,
) -> ReaderApp:
    """Build the app for the CLI and for tests alike (tests ask for the live library only
    where they test it: a sync in the background would race their own edits)."""
    return ReaderApp(workspace, open_at, live_library)


def run_app(workspace: Workspace, open_at: tuple[Document, int | None] | None = None) -> None:
    """The app as a user gets it: the corpus is read (and watched) once it is on screen."""
    make_app(workspace, open_at, live_library=True).run()
