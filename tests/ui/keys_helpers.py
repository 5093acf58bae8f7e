"""Typing as a fast hand on a busy machine does: every key queued before the app handles one."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import App


def typed(keys: Iterable[str]) -> list[events.Key]:
    """Key events as the terminal sends them: `"a"`, `"backspace"`, `"ctrl+s"`, `"/"`."""
    named = {"/": "slash", ".": "full_stop", ",": "comma", " ": "space", "?": "question_mark",
             "-": "minus", "+": "plus", "=": "equals_sign", "(": "left_parenthesis",
             ")": "right_parenthesis", "[": "left_square_bracket", "]": "right_square_bracket",
             "{": "left_curly_bracket", "}": "right_curly_bracket", "$": "dollar_sign"}  # fmt: skip
    characters = {"space": " ", "enter": "\r", "tab": "\t", "escape": "\x1b"}
    out = []
    for key in keys:
        if len(key) == 1:
            out.append(events.Key(named.get(key, key), key))
        else:
            out.append(events.Key(key, characters.get(key)))
    return out


def burst(app: App, keys: Iterable[str]) -> None:
    """Queue every key at once, as the terminal does when the app is slower than the typist."""
    driver = app._driver
    assert driver is not None
    for event in typed(keys):
        event.set_sender(app)
        driver.send_message(event)


def burst_click(app: App, x: int, y: int) -> None:
    """A left click at screen cell (x, y), queued like typed keys (as the terminal sends it)."""
    driver = app._driver
    assert driver is not None
    for kind in (events.MouseDown, events.MouseUp):
        event = kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        event.set_sender(app)
        driver.send_message(event)
