"""Clipboard routes and the quote-with-citation text that `y` copies."""

from __future__ import annotations

import base64
import threading

import pyperclip

from reader.exchange import clipboard
from reader.exchange.citation import quote_with_citation
from reader.workspace import Workspace


def test_osc52_plain_and_wrapped_for_tmux() -> None:
    plain = clipboard.osc52_sequence("héllo", inside_tmux=False)
    assert plain == "\x1b]52;c;" + base64.b64encode("héllo".encode()).decode() + "\x07"
    wrapped = clipboard.osc52_sequence("héllo", inside_tmux=True)
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]52;c;") and wrapped.endswith("\x07\x1b\\")


def test_system_clipboard_failure_and_hang_fall_back(monkeypatch) -> None:
    def broken(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", broken)
    assert clipboard.copy_to_system_clipboard("x") is False

    released = threading.Event()  # a clipboard program that hangs until the test lets it go
    monkeypatch.setattr(pyperclip, "copy", lambda text: released.wait(60))
    try:  # waiting for the hung copy would return True after it, not False at the time limit
        assert clipboard.copy_to_system_clipboard("x", timeout=0.2) is False
        assert not released.is_set()
    finally:
        released.set()

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    assert clipboard.copy_to_system_clipboard("x") is True and copied == ["x"]


def test_quote_with_citation(workspace: Workspace) -> None:
    doc = workspace.document("001_4310720f2bcf0b55")
    text = quote_with_citation("practically *impossible*", doc, note="# mine")
    assert text == (
        "> practically \\*impossible\\*\n>\n"
        "> — Kathrine Frich, “Russian Ally Withdraws Support, Suspends Arms Contracts”, 2025-01-08"
        "\n\n\\# mine\n"
    )
