"""reader's own theme, tuned for long reading on a dark terminal: a warm off-white text on a
soft charcoal (not pure black: less glare, and 256-colour terminals still map it to a dark grey),
muted blue and sage for the chrome, so that the highlight tints stay the loudest colours."""

from __future__ import annotations

from textual.theme import Theme

READER_THEME = Theme(
    name="reader",
    primary="#7a9cc6",  # muted blue: focus borders, the cursor
    secondary="#8fae8b",  # sage
    accent="#d7a65f",  # amber, for titles in help and dialogs
    warning="#d7a65f",
    error="#d0776b",
    success="#8fae8b",
    foreground="#e6e1d6",  # warm off-white, never #fff
    background="#1e1f22",
    surface="#232427",  # the reading pane
    panel="#2b2d31",
    dark=True,
    luminosity_spread=0.12,
    text_alpha=0.92,
)
DEFAULT_THEME = "textual-dark"


def theme_problem(name: str | None, available: set[str] | dict[str, object]) -> str | None:
    """What is wrong with `[ui] theme = name`, or None (no theme set, or a known one)."""
    if not name or name in available:
        return None
    return f"[ui] theme {name!r} is not a theme: one of {', '.join(sorted(available))}"
