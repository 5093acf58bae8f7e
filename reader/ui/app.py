"""The Textual app: builds the main screen, the help screen and the command palette entries."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from reader.config.records import Settings
from reader.errors import ReaderError
from reader.models import Document
from reader.ui import keymap, session
from reader.ui.key_order import KeyQueue, Typed, is_typed
from reader.ui.palette import ScreenCommandsProvider
from reader.ui.screens.help_screen import HelpScreen, help_groups
from reader.ui.screens.main_screen import MainScreen
from reader.ui.settings_check import settings_problems
from reader.ui.themes import READER_THEME
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.main_panes import MainPanes
from reader.ui.widgets.reader_pane import ReaderPane
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
        resume: bool = False,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.open_at = open_at
        self.live_library = live_library  # sync on start and watch corpus/ while running
        self.key_queue = KeyQueue(self, self._deliver_typed)
        self.settings: Settings = getattr(workspace, "settings", None) or Settings()
        self.start = session.start_state(self.settings.ui, workspace.ui_state())
        self.resume = resume and open_at is None  # a document asked for wins over the last one
        self.register_theme(READER_THEME)
        self.user_keymap = keymap.normalized_keymap(self.settings.keys)  # marked in help, footer
        self.keymap: dict[str, str] = dict(self.user_keymap)  # what Textual applies
        self._known_bindings = keymap.binding_catalogue()
        self._screens_keyed: set[type[Screen]] = set()
        self._saved: dict[str, str] = {}

    async def on_event(self, event: events.Event) -> None:
        """Typed keys wait their turn (`KeyQueue`): none is lost or overtaken by the next."""
        if is_typed(event):
            await self.key_queue.receive(event)  # type: ignore[arg-type]
            return
        await super().on_event(event)

    async def _deliver_typed(self, event: Typed) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.arrivals.ready()  # a key typed before the list was filled acts on it
        await super().on_event(event)

    def on_mount(self) -> None:
        if _terminal_fd() is not None:
            self.set_interval(TERMINAL_CHECK_SECONDS, self._exit_if_terminal_gone)
        problems = settings_problems(
            self.settings, self.start.theme, self.available_themes, self._known_bindings
        )
        if self.start.theme in self.available_themes:
            self.theme = self.start.theme
        self.set_keymap(self.keymap)
        self._screen_changed(self.screen)  # once its widgets are there
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        main = self.get_screen_by_type(MainScreen)
        if main is not None and self.start.sort:
            main.library.document_list.set_sort_by(self.start.sort)
        self._saved = self.workspace.ui_state()
        if problems:
            self.notify("\n".join(problems), title="Settings not applied", severity="warning",
                        timeout=20, markup=False)  # fmt: skip

    # The user's keys

    def _give_way(self, screen: Screen) -> list[str]:
        """Keys the user assigned take precedence over the defaults met on the same paths of
        `screen` (`keymap.keys_given_way`); returns what could not be given."""
        self._screens_keyed.add(type(screen))
        if not self.user_keymap:
            return []
        chains = keymap.binding_chains(screen, self._known_bindings)
        entries, notes = keymap.keys_given_way(self.user_keymap, chains)
        if any(self.keymap.get(i) != keys for i, keys in entries.items()):
            self.keymap.update(entries)
            self.set_keymap(self.keymap)
        return notes

    def _screen_changed(self, screen: Screen) -> None:
        if type(screen) not in self._screens_keyed:
            self.call_after_refresh(self._notify_given_way, screen)

    def _notify_given_way(self, screen: Screen) -> None:
        notes = self._give_way(screen)
        if notes:
            self.notify("\n".join(notes), severity="warning", timeout=20, markup=False)

    def get_key_display(self, binding: Binding) -> str:
        """Keys the user's config set carry a mark, in the footer and the help screen."""
        shown = super().get_key_display(binding)
        return shown + keymap.REMAPPED_MARK if binding.id in self.user_keymap else shown

    # What the app remembers of this workspace

    def _remember(self, values: dict[str, str]) -> None:
        """Save what changed since the last save (a refusal of the store is not worth a crash
        on the way out)."""
        values = session.with_config_marks(values, self.settings.ui)
        changed = {k: v for k, v in values.items() if self._saved.get(k) != v}
        if not changed:
            return
        try:
            self.workspace.save_ui_state(changed)
        except ReaderError:
            return
        self._saved.update(changed)

    def _theme_changed(self, theme: Theme) -> None:
        self._remember({"theme": theme.name})

    @on(ReaderPane.DocumentShown)
    def _document_shown(self, event: ReaderPane.DocumentShown) -> None:
        self._remember({"document": str(event.document.id)})  # a hang-up loses nothing

    @on(MainPanes.LayoutChanged)
    @on(DocumentList.ViewChanged)
    def _layout_changed(self) -> None:
        main = self.get_screen_by_type(MainScreen)
        if main is not None:
            self._remember(session.layout_state(main.panes))

    def remember_session(self) -> None:
        main = self.get_screen_by_type(MainScreen)
        if main is None:
            return
        state = {"theme": self.theme, **session.layout_state(main.panes)}
        if main.document is not None:
            state["document"] = str(main.document.id)
        self._remember(state)

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
        """The main screen, laid out as the settings and the saved state say, on the document
        asked for or (resuming) the last one."""
        open_at = self.open_at
        if self.resume and self.start.document_id is not None:
            open_at = self._last_document(self.start.document_id)
        main = MainScreen(self.workspace, open_at)
        session.apply_start(main.panes, self.settings.ui, self.start)
        return main

    def _last_document(self, document_id: int) -> tuple[Document, int | None] | None:
        """The document to resume on, at its saved position; None if it is gone or unreadable."""
        try:
            document = self.workspace.document(document_id)
        except ReaderError:
            return None
        return (document, None) if document.status == "ok" else None

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_groups(self.screen)))

    async def action_quit(self) -> None:
        main = self.get_screen_by_type(MainScreen)
        if main is not None:
            main.save_reading_position()
        self.remember_session()
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
    resume: bool = False,
) -> ReaderApp:
    """Build the app for the CLI and for tests alike (tests ask for the live library only
    where they test it: a sync in the background would race their own edits; and for the
    last document only where they test resuming)."""
    return ReaderApp(workspace, open_at, live_library, resume)


def run_app(
    workspace: Workspace, open_at: tuple[Document, int | None] | None = None, resume: bool = True
) -> None:
    """The app as a user gets it: the corpus is read (and watched) once it is on screen, and
    with no document asked for, the last one reopens where the user left it."""
    make_app(workspace, open_at, live_library=True, resume=resume).run()
