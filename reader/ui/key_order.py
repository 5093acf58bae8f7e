"""Keys are handled one at a time, each to the end, in the order they were typed.

Textual hands a key to the focused widget, lets it bubble up through each ancestor's queue and
only then looks up its binding, against whatever has focus *by then*. Typed faster than that
round trip (a busy machine, a fast typist), keys overtake each other: the letters typed right
after `/` ran as reader commands before the find field had focus, and a backspace, which
travels up to the app as a binding, was applied after the letters typed after it.

`KeyQueue` therefore lets the app take one key (or paste, or mouse button) at a time: it holds
the rest until every message the last one caused has been handled (the screen it opened is
mounted and focused, the message it posted has reached its handler), then hands the next one to
whatever has focus then. Keys are never dropped and never reordered, and a click never
overtakes the keys typed before it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ScreenStackError

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

MAX_SETTLE_ROUNDS = 400
"""How many times a held key waits for the app to settle before it is delivered anyway: a widget
that animates for ever would otherwise hold every key back."""

Typed = events.Key | events.Paste | events.MouseDown | events.MouseUp
Deliver = Callable[[Typed], Awaitable[None]]


def is_typed(message: object) -> bool:
    """A key, paste or mouse button straight from the terminal, not yet handed to a widget
    (mouse moves and scrolls pass at once: they never change focus)."""
    return isinstance(message, Typed) and not message.is_forwarded


def _queue_is_idle(pump: MessagePump) -> bool:
    """No message waiting in `pump`'s queue and none being handled."""
    queue = pump._message_queue
    return queue.empty() and getattr(queue, "_unfinished_tasks", 0) == 0


class KeyQueue:
    """Holds typed input while the app is still busy with the previous key."""

    def __init__(self, app: App, deliver: Deliver) -> None:
        self.app = app
        self._deliver = deliver
        self._waiting: deque[Typed] = deque()
        self._busy = False
        self._rounds = 0

    @property
    def idle(self) -> bool:
        """Nothing held and nothing in flight: every key typed so far has been handled."""
        return not self._waiting and not self._busy

    async def receive(self, event: Typed) -> None:
        """Take a typed key from the terminal; deliver it now if the app is ready for it."""
        self._waiting.append(event)
        if not self._busy:
            await self._deliver_next()

    async def _deliver_next(self) -> None:
        if not self._waiting:
            return
        event = self._waiting.popleft()
        self._busy = True
        self._rounds = 0
        try:
            await self._deliver(event)
        finally:
            self.app.call_later(self._when_settled)

    async def _when_settled(self) -> None:
        """Deliver the next key once the last one has been handled everywhere."""
        if not self.settled() and self._rounds < MAX_SETTLE_ROUNDS:
            self._rounds += 1
            await asyncio.sleep(0)  # let the other widgets' tasks run
            self.app.call_later(self._when_settled)  # behind what the app itself has queued
            return
        self._busy = False
        await self._deliver_next()

    def settled(self) -> bool:
        """Every widget's queue is empty and the app has nothing but typed keys queued."""
        app = self.app
        pending = list(getattr(app._message_queue, "_queue", ()))
        if any(message is not None and not is_typed(message) for message in pending):
            return False  # a callback (say, a deferred focus) or a bubbled key is still queued
        try:
            screen = app.screen
        except ScreenStackError:  # no screen: the app is starting or closing
            return True
        if not screen.is_mounted or screen._callbacks:  # callbacks waiting for a repaint
            return False
        nodes = [node for node in list(app._registry) if node is not app]
        return all(_queue_is_idle(node) and not node._next_callbacks for node in nodes)

