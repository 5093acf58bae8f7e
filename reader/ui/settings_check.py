"""What of the user's settings the app cannot apply, said once for the app's start-up notice
and for `reader config show`: the files' own problems, `[keys]` (unknown ids, non-keys,
clashes), an unknown theme, an unknown library sort."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.theme import BUILTIN_THEMES

from reader.config.records import Settings
from reader.ui.keymap import KnownBinding, binding_catalogue, keymap_problems
from reader.ui.session import sort_problem
from reader.ui.themes import READER_THEME, theme_problem


def settings_problems(
    settings: Settings,
    theme: str | None,
    themes: Iterable[str] | None = None,
    known: Mapping[str, KnownBinding] | None = None,
) -> list[str]:
    """Each line that cannot be applied; `theme` is the one about to be used (the config's,
    or the one the app saved), checked against `themes` (default: Textual's and reader's)."""
    available = set(themes) if themes is not None else {*BUILTIN_THEMES, READER_THEME.name}
    keys = keymap_problems(settings.keys, known if known is not None else binding_catalogue())
    others = (theme_problem(theme, available), sort_problem(settings.ui))
    return [*settings.problems, *keys, *(p for p in others if p)]
