"""Copy text for the user: the system clipboard from a thread, else the terminal (OSC 52)."""

from __future__ import annotations

from textual import work
from textual.dom import DOMNode
from textual.worker import Worker

from reader.exchange.clipboard import copy_to_system_clipboard, osc52_sequence


def copy_text(node: DOMNode, text: str, what: str) -> Worker[None]:
    """Copy `text` and tell the user where it went (`what` names it in the message)."""
    return _copy(node, text, what)


@work(thread=True, exclusive=True, group="clipboard")
def _copy(node: DOMNode, text: str, what: str) -> None:
    if copy_to_system_clipboard(text):
        node.app.call_from_thread(node.notify, f"Copied {what} to the system clipboard",
                                  markup=False)  # fmt: skip
    else:
        node.app.call_from_thread(_copy_through_terminal, node, text, what)


def _copy_through_terminal(node: DOMNode, text: str, what: str) -> None:
    app = node.app
    driver = app._driver
    app.copy_to_clipboard(text)  # keeps app.clipboard and writes plain OSC 52
    if driver is not None and osc52_sequence(text) != osc52_sequence(text, inside_tmux=False):
        driver.write(osc52_sequence(text))  # inside tmux: the wrapped form passes through
    node.notify(
        f"Copied {what} through the terminal (OSC 52): no system clipboard here", markup=False
    )
