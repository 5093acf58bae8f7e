"""What the app remembers of a workspace between runs, and where it starts: the last document,
the theme, which panes show and the library's sort. Saved state (the workspace's `ui_state`)
wins over the config's `[ui]`, which gives the start for a workspace the app never ran on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reader.config.records import UiSettings
from reader.ui.widgets.library_rows import SORT_KEYS, SortKey
from reader.ui.widgets.main_panes import MainPanes

NO_LINE_LIMIT = 9999  # `[ui] line_width = 0` (or none): the text takes the pane's width
SHOWN, HIDDEN, AUTO = "shown", "hidden", "auto"  # AUTO: the terminal's width decides


@dataclass(frozen=True)
class StartState:
    """How the app opens on a workspace."""

    theme: str | None = None
    library_visible: bool = True
    highlights_visible: bool | None = None  # None: shown on wide terminals
    sort: SortKey | None = None
    document_id: int | None = None  # the document to reopen (when resuming)


def config_values(ui: UiSettings) -> dict[str, str]:
    """The start the config's `[ui]` gives, as `ui_state` values."""
    return {
        "theme": ui.theme or "",
        "library": SHOWN if "library" in ui.panes else HIDDEN,
        "highlights": AUTO if "highlights" in ui.panes else HIDDEN,
        "sort": ui.library_sort or "",
    }


def with_config_marks(values: Mapping[str, str], ui: UiSettings) -> dict[str, str]:
    """`values` to save, each with the config's value of that day (`theme.config` …): a config
    edited since then wins over what was saved, as the user asked for something new."""
    config = config_values(ui)
    marks = {f"{key}.config": config[key] for key in values if key in config}
    return {**values, **marks}


def start_state(ui: UiSettings, saved: Mapping[str, str]) -> StartState:
    """The config's `[ui]` overlaid with what the app saved last time in this workspace, unless
    the config changed since that was saved."""
    config = config_values(ui)
    state = {
        key: saved[key] if key in saved and saved.get(f"{key}.config") == config[key] else value
        for key, value in config.items()
    }
    library, highlights, sort = state["library"], state["highlights"], state["sort"]
    document = saved.get("document", "")
    return StartState(
        theme=state["theme"] or None,
        library_visible=library != HIDDEN,
        highlights_visible=None if highlights == AUTO else highlights == SHOWN,
        sort=next((key for key in SORT_KEYS if key == sort), None),
        document_id=int(document) if document.isdigit() else None,
    )


def sort_problem(ui: UiSettings) -> str | None:
    if ui.library_sort and ui.library_sort not in SORT_KEYS:
        return f"[ui] library_sort {ui.library_sort!r}: one of {', '.join(SORT_KEYS)}"
    return None


def layout_state(panes: MainPanes) -> dict[str, str]:
    """Which panes the user chose to show (L and A), as `ui_state` values."""
    highlights = panes.highlights_visible
    return {
        "library": SHOWN if panes.library_visible else HIDDEN,
        "highlights": AUTO if highlights is None else SHOWN if highlights else HIDDEN,
        "sort": panes.library.sort_by,
    }


def apply_start(panes: MainPanes, ui: UiSettings, state: StartState) -> None:
    """Set the panes up before they show: visibility, widths and the reading measure."""
    panes.library_visible = state.library_visible
    panes.highlights_visible = state.highlights_visible
    panes.widths = (ui.library_width, ui.highlights_width)
    panes.view.line_width = ui.line_width or NO_LINE_LIMIT
