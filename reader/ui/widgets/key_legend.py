"""The line under the text that says which tag sits on which number key while coding."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from reader.text.sanitize import display_safe_line

NO_KEYS_HINT = "Number keys: none pinned yet · in the tags view (t) press 1-9 on a tag"


def legend_content(favourites: dict[int, str], colors: dict[str, str]) -> Content:
    """`1 frame/eu · 2 actor/russia …` in the tags' colours; literal text only."""
    if not favourites:
        return Content.styled(NO_KEYS_HINT, "$text-muted")
    parts: list[Content | str | tuple[str, str]] = []
    for slot in sorted(favourites):
        tag = favourites[slot]
        if parts:
            parts.append(("  ·  ", "$text-muted"))
        parts += [(f"{slot} ", "bold"), (display_safe_line(tag), colors.get(tag.casefold(), ""))]
    return Content.assemble(*parts)


class KeyLegend(Static):
    """Shows `legend_content`; the screen sets it when the number keys or colours change."""

    DEFAULT_CSS = """
    KeyLegend {
        height: 1;
        padding: 0 2;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, favourites: dict[int, str], colors: dict[str, str]) -> None:
        self.update(legend_content(favourites, colors))
