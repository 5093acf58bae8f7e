"""Copy text out of the terminal app: the system clipboard when there is one, else OSC 52.

pyperclip needs a clipboard program (xclip, xsel, wl-copy, pbcopy…); over SSH, in CI or with no
display there is none, and some of those programs hang without a display, so the attempt runs
in a thread with a time limit. The fallback is the OSC 52 escape sequence, which the terminal
itself turns into a clipboard write (inside tmux it must be wrapped to pass through).
"""

from __future__ import annotations

import base64
import os
import threading

import pyperclip

SYSTEM_CLIPBOARD_TIMEOUT = 2.0


def copy_to_system_clipboard(text: str, timeout: float = SYSTEM_CLIPBOARD_TIMEOUT) -> bool:
    """True when pyperclip put `text` on the system clipboard within `timeout` seconds."""
    outcome: list[bool] = []

    def attempt() -> None:
        try:
            pyperclip.copy(text)
            outcome.append(True)
        except Exception:  # pyperclip raises its own and OS errors when no mechanism works
            outcome.append(False)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(outcome and outcome[0])


def osc52_sequence(text: str, inside_tmux: bool | None = None) -> str:
    """The escape sequence that asks the terminal to set its clipboard to `text`."""
    if inside_tmux is None:
        inside_tmux = bool(os.environ.get("TMUX"))
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if inside_tmux:  # tmux passes a sequence through when wrapped in DCS with doubled ESCs
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence
