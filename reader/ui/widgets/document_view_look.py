"""The reading view's look (its CSS and component classes) and its keys, apart from the view's
behaviour so each reads on its own."""

from __future__ import annotations

from textual.binding import Binding

from reader.ui.widgets.document_motions import MOTION_BINDINGS
from reader.ui.widgets.markdown_styles import MARKDOWN_CLASSES, MARKDOWN_CSS

COMPONENT_CLASSES = {
    "document-view--cursor",
    "document-view--cursor-blurred",
    "document-view--selection",
    "document-view--gutter",
    "document-view--match",
    *MARKDOWN_CLASSES,
}
DOCUMENT_VIEW_CSS = """
DocumentView {
    background: $surface;
    color: $foreground;
    overflow-y: scroll;  /* the scrollbar exists before a document opens: no extra layouts */
}
DocumentView > .document-view--cursor {
    background: $block-cursor-background;
    color: $block-cursor-foreground;
    text-style: bold;
}
DocumentView > .document-view--cursor-blurred {
    text-style: reverse;
}
DocumentView > .document-view--selection {
    background: $primary 45%;
}
DocumentView > .document-view--gutter {
    color: $text-muted;
}
DocumentView > .document-view--match {
    background: $warning 40%;
}
""" + MARKDOWN_CSS
BINDINGS = [
    *MOTION_BINDINGS,
    Binding("v", "toggle_visual", "Visual", id="reader.visual"),
    Binding("+,=", "expand_selection", "Word/sentence/para", id="reader.expand"),
    Binding("escape", "clear_selection", "Clear selection", show=False, id="reader.clear"),
    Binding("]", "jump_highlight(1)", "Next highlight", show=False, id="reader.next_highlight"),
    Binding(
        "[", "jump_highlight(-1)", "Previous highlight", show=False, id="reader.prev_highlight"
    ),
    Binding(
        "c", "cycle_highlight", "Cycle overlapping highlights", show=False, id="reader.cycle"
    ),
    Binding("slash", "find", "Find", id="reader.find",
            tooltip="Find in this document (ctrl+f searches everything)"),
    Binding("n", "next_match(1)", "Next match", show=False, id="reader.next_match"),
    Binding("N", "next_match(-1)", "Previous match", show=False, id="reader.prev_match"),
]
