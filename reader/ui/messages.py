"""Messages that travel up from where something happened to the screen that owns the state."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.edit_session import Change


@dataclass
class Edited(Message):
    """Highlights, tags or notes changed: redraw what `change` names, say its message."""

    change: Change
