"""Documents committed by a running sync reach the library a few times a second, not once per
batch: each refresh re-reads the document list, which at 100,000 documents is not free, so the
pause between two refreshes grows with what the last one cost (at most a fifth of the time goes
to refreshing) and keystrokes keep their turn."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.screens.main_screen import MainScreen

MIN_INTERVAL_SECONDS = 0.3
COST_SHARE = 5  # wait at least this many times as long as the last refresh took


class ArrivalRefresh:
    """Calls `refresh` when asked, but not sooner than the interval after the last call;
    `schedule(delay, callback)` (say, Textual's `set_timer`) runs the deferred one."""

    def __init__(
        self,
        refresh: Callable[[], None],
        schedule: Callable[[float, Callable[[], None]], object],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._refresh = refresh
        self._schedule = schedule
        self._clock = clock
        self._last: float | None = None
        self._interval = MIN_INTERVAL_SECONDS
        self.pending = False  # a deferred refresh is scheduled
        self.count = 0  # refreshes run

    def ask(self) -> None:
        """New documents are in the store: show them now, or once the interval has passed."""
        if self.pending:
            return
        now = self._clock()
        wait = 0.0 if self._last is None else self._last + self._interval - now
        if wait <= 0:
            self._run()
        else:
            self.pending = True
            self._schedule(wait, self._deferred)

    def _deferred(self) -> None:
        self.pending = False
        self._run()

    def _run(self) -> None:
        started = self._clock()
        self._refresh()
        self.count += 1
        self._last = self._clock()
        self._interval = max(MIN_INTERVAL_SECONDS, COST_SHARE * (self._last - started))


class LibraryArrivals(ArrivalRefresh):
    """The main screen's library, filled after the first frame (or before a key typed sooner
    is handled, so that no key meets an empty list), then as a sync commits documents; an open
    search runs again with them."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(self._fill, screen.set_timer)
        self.screen = screen

    def ready(self) -> None:
        if not self.count:
            self.ask()

    def _fill(self) -> None:
        """The store's documents; the open one highlighted the first time (it may have been
        opened before the list was there), after that the library keeps its own row."""
        screen = self.screen
        screen.panes.refresh_library()
        document = screen.document
        if document is not None and (
            not self.count or screen.library.highlighted_document is None
        ):
            screen.library.select_document(document.id)
        if screen.search_screen is not None:
            screen.search_screen.documents_arrived()
