"""How the reading view draws a Markdown article: the front matter left out of the wrap map and
the Markdown spans as styles under the highlights.

The spans come from `reader.text.markdown_spans` (pure text, code-point offsets); here they are
flattened into disjoint runs, each with the kinds that cover it, so one bisection finds what
styles a visual line. Nothing in the text is removed: markers are dimmed, never hidden, so
columns and offsets stay those of the canonical text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping

from rich.style import Style

from reader.text.markdown_spans import KINDS, Span, markdown_spans
from reader.ui.widgets.layout import Layout

MARKDOWN_SUFFIXES = (".md", ".markdown")
MARKDOWN_CLASSES = {f"document-view--md-{kind.replace('_', '-')}" for kind in KINDS}
MARKDOWN_CSS = """
DocumentView > .document-view--md-heading1 { text-style: bold underline; color: $accent; }
DocumentView > .document-view--md-heading2 { text-style: bold; color: $accent; }
DocumentView > .document-view--md-heading3 { text-style: bold; }
DocumentView > .document-view--md-heading4 { text-style: bold; }
DocumentView > .document-view--md-heading5 { text-style: bold italic; }
DocumentView > .document-view--md-heading6 { text-style: italic; }
DocumentView > .document-view--md-marker { color: $text-muted; }
DocumentView > .document-view--md-emphasis { text-style: italic; }
DocumentView > .document-view--md-strong { text-style: bold; }
DocumentView > .document-view--md-strong-emphasis { text-style: bold italic; }
DocumentView > .document-view--md-code { color: $text-secondary; }
DocumentView > .document-view--md-code-block { color: $text-secondary; }
DocumentView > .document-view--md-link { text-style: underline; color: $text-primary; }
DocumentView > .document-view--md-quote { text-style: italic; }
DocumentView > .document-view--md-bullet { text-style: bold; color: $accent; }
"""

Run = tuple[int, int, tuple[str, ...]]
"""[start, end) and the kinds covering it, outermost first."""


def is_markdown(path: str) -> bool:
    """Whether the document at `path` is read as Markdown (by its suffix, as the corpus does)."""
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def flatten(spans: list[Span]) -> list[Run]:
    """Laminar spans (sorted by start, outer first) as disjoint runs in text order."""
    runs: list[Run] = []
    stack: list[tuple[int, tuple[str, ...]]] = []  # (end, kinds) of the open spans
    at = 0
    for start, end, kind in [*spans, (-1, -1, "")]:
        while stack and (start < 0 or stack[-1][0] <= start):
            top_end, kinds = stack.pop()
            if at < top_end:
                runs.append((at, top_end, kinds))
                at = top_end
        if start < 0:
            break
        if stack and at < start:
            runs.append((at, start, stack[-1][1]))
        at = start
        stack.append((end, (*stack[-1][1], kind) if stack else (kind,)))
    return runs


class MarkdownLook:
    """A Markdown document as the view draws it: where its body starts, and its style runs."""

    def __init__(self, text: str) -> None:
        found = markdown_spans(text)
        self.body_start = found.body_start
        self.runs = flatten(found.spans)
        self._starts = [start for start, _, _ in self.runs]

    @staticmethod
    def kind_styles(component: Callable[..., Style]) -> dict[str, Style]:
        """Each kind's style from the view's component classes: only what the class sets, so a
        marker keeps the bold of its heading (its colour resolved against the background)."""
        styles = {}
        for kind in KINDS:
            name = f"document-view--md-{kind.replace('_', '-')}"
            partial = component(name, partial=True)
            if partial.color is not None:  # the full style's colour has its alpha blended
                partial += Style(color=component(name).color)
            styles[kind] = partial
        return styles

    def styled(
        self, start: int, end: int, styles: Mapping[str, Style]
    ) -> list[tuple[int, int, Style]]:
        """The runs that touch [start, end), cut to it, each with its style: each covering
        kind's in turn, inner ones on top."""
        first = max(0, bisect_right(self._starts, start) - 1)
        last = bisect_left(self._starts, end)
        return [
            (max(a, start), min(b, end), Style.chain(*(styles[kind] for kind in kinds)))
            for a, b, kinds in self.runs[first:last]
            if b > start and a < end
        ]

    def body_layout(self, layout: Layout) -> Layout:
        """`layout` without the front matter's lines: the view never shows, scrolls to, or puts
        its cursor in them, while offsets still count from the start of the text."""
        body = self.body_start
        if body:
            cut = bisect_left(layout.starts, body)
            del layout.starts[:cut]
            del layout.ends[:cut]
            if not len(layout):  # the body is empty: one empty line at its start
                layout.starts.append(body)
                layout.ends.append(body)
        return layout
