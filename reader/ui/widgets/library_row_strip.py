"""One library row drawn as a Strip, straight from the model's columns (no `Document` is built
to draw a row), its pieces as literal segments: nothing in a title is ever read as markup."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.style import Style as VisualStyle

from reader.text.sanitize import display_safe_line
from reader.ui.widgets.library_model import LibraryModel
from reader.ui.widgets.library_rows import MARK_CLASSES, STATUS_MARKS, RowRole, layout_row

DOCUMENT_LIST_CSS = """
DocumentList {
    height: 1fr;
    background: $surface;
    color: $foreground;
    overflow-x: hidden;
    overflow-y: auto;
    & > .document-list--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    & > .document-list--cursor-blurred {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    & > .document-list--hover { background: $block-hover-background; }
    & > .document-list--unavailable { color: $text-disabled; }
    & > .document-list--mark-missing { color: $text-error; text-style: bold; }
    & > .document-list--mark-skipped { color: $text-warning; text-style: bold; }
    & > .document-list--detail { color: $text-muted; }
    & > .document-list--count { color: $text-accent; }
}
"""
"""The list's look: the row states and marks `render_row` asks for by component class."""


def render_row(
    model: LibraryModel,
    index: int,
    width: int,
    state: str,
    style: Callable[..., VisualStyle],
) -> Strip:
    """Row `index` of `model` at `width` cells; `state` is the cursor/hover component class
    (or ""), `style` the widget's `get_visual_style`."""
    # Later component classes win: the cursor recolours the row, the mark keeps its colour.
    columns = model.columns
    status = columns.statuses[index]
    annotations, orphans = columns.annotations[index], columns.orphans[index]
    row = () if status == "ok" else ("document-list--unavailable",)
    over = (state,) if state else ()
    mark = MARK_CLASSES.get(status, ())
    styles: dict[RowRole, Style] = {
        "pad": style(*over).rich_style,
        "title": style(*row, *over).rich_style,
        "detail": style(*row, "document-list--detail", *over).rich_style,
        "count": style("document-list--count", *over).rich_style,
        "mark": style(*over, *mark).rich_style,
    }
    title = display_safe_line(columns.titles[index] or columns.paths[index])
    detail = display_safe_line(model.detail(index))
    count = f"✎{annotations}" if annotations else ""
    if orphans:
        count += f" ⚠{orphans}"  # highlights that lost their text: see `O`
    pieces = layout_row(STATUS_MARKS.get(status, "?"), title, detail, count, width)
    strip = Strip([Segment(text, styles[role]) for text, role in pieces])
    return strip.adjust_cell_length(width, styles["pad"])
