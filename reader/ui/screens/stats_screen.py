"""Statistics: the tag-by-document table, tag co-occurrence, per-document totals and tags by
attribute value (outlet, year, month…), as four views switched with 1/2/3/4 or tab. Every
name and title shown is store text: made display-safe and put in `Text` objects, never parsed
as markup."""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from reader.analysis.records import (
    AttributeStats,
    CorpusStats,
    DocumentTotals,
    TagCounts,
    text_bar,
)
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten
from reader.ui.refusals import run_safely
from reader.ui.widgets.attribute_stats import AttributeStatsView
from reader.workspace import Workspace

VIEWS = ("tags", "pairs", "documents", "attributes")
MAX_COLUMNS = 40  # documents across the tag table; the rest are in ALL and DOCS
TAG_CELLS = 28
TITLE_CELLS = 60
BAR_CELLS = 12
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _fit(text: str, cells: int) -> str:
    text = display_safe_line(text)
    return shorten(text, cells, char_width=get_character_cell_size)  # columns line up


def _color(color: str | None) -> str:
    """A tag colour as a Rich style, or "" for none or anything that is not #rrggbb."""
    return color if color and _HEX_COLOR.fullmatch(color) else ""


def _number(n: int | float, dim_zero: bool = True) -> Text:
    if not n and dim_zero:
        return Text("·", style="dim", justify="right")
    return Text(f"{n:.1f}" if isinstance(n, float) else str(n), justify="right")


def document_label(totals: DocumentTotals, cells: int = TITLE_CELLS) -> str:
    """`Title (source)` on one safe line."""
    title = _fit(totals.title, cells)
    return f"{title} ({_fit(totals.source, 30)})" if totals.source else title


def tag_label(tag: TagCounts) -> Text:
    """The tag's last segment indented under its parent, in its colour (implied parents dim)."""
    name = tag.path if tag.level == 1 else tag.path.rsplit("/", 1)[-1]
    style = f"bold {_color(tag.color)}".strip() if not tag.implied else "italic"
    return Text("  " * (tag.level - 1) + _fit(name, TAG_CELLS - 2 * (tag.level - 1)), style=style)


def tag_path_text(path: str, color: str | None) -> Text:
    return Text(_fit(path, TAG_CELLS * 2), style=_color(color))


def bar(value: float, maximum: float, cells: int = BAR_CELLS, style: str = "") -> Text:
    return Text(text_bar(value, maximum, cells).ljust(cells), style=style)


class StatsScreen(Screen[None]):
    """Corpus statistics over the whole screen; escape or q goes back."""

    HELP_TITLE = "Statistics"

    DEFAULT_CSS = """
    StatsScreen {
        background: $surface;
    }
    StatsScreen #stats-summary {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    StatsScreen TabbedContent {
        height: 1fr;
    }
    StatsScreen TabPane {
        padding: 0;
    }
    StatsScreen DataTable {
        height: 1fr;
    }
    StatsScreen .stats-cursor {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    StatsScreen #stats-legend {
        height: auto;
        max-height: 7;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
    }
    StatsScreen .stats-empty {
        padding: 1 2;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="stats.close"),
        Binding("1", "show('tags')", "Tags", tooltip="Tag × document counts", id="stats.tags"),
        Binding("2", "show('pairs')", "Pairs", tooltip="Tag co-occurrence", id="stats.pairs"),
        Binding("3", "show('documents')", "Documents", tooltip="Totals", id="stats.documents"),
        Binding("4", "show('attributes')", "By attribute", id="stats.attributes",
                tooltip="Tags by outlet, year, month or any attribute"),
        Binding("tab", "cycle(1)", "Next view", id="stats.next"),
        Binding("shift+tab", "cycle(-1)", "Previous view", show=False, id="stats.previous"),
    ]

    def __init__(self, stats: CorpusStats, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.stats = stats
        names = workspace.attribute_summary() if workspace else []

        def count_by(name: str) -> AttributeStats | None:
            return run_safely(self, lambda: workspace.stats_by(name)) if workspace else None

        self.attribute_view = AttributeStatsView(names, count_by)
        self.columns = stats.documents[:MAX_COLUMNS]
        self.labels = {d.id: f"D{i}" for i, d in enumerate(stats.documents, start=1)}

    def compose(self) -> ComposeResult:
        yield Static(self._summary(), id="stats-summary")
        with TabbedContent(initial="tags"):
            with TabPane("1 Tags × documents", id="tags"):
                if self.stats.tags:
                    yield DataTable(id="tag-table", fixed_columns=1, zebra_stripes=True)
                    yield Static(classes="stats-cursor", id="tag-cursor")
                    with VerticalScroll(id="stats-legend", can_focus=False):
                        yield Static(self._legend())
                else:
                    yield Static(
                        Content("No tags yet: tag highlights in the reader (a, then a tag)."),
                        classes="stats-empty",
                    )
            with TabPane("2 Co-occurrence", id="pairs"):
                if self.stats.cooccurrence:
                    yield DataTable(id="pair-table", cursor_type="row", zebra_stripes=True)
                else:
                    yield Static(
                        Content(
                            "No two tags meet yet: they co-occur when one highlight carries "
                            "both, or two overlapping highlights carry one each."
                        ),
                        classes="stats-empty",
                    )
            with TabPane("3 Documents", id="documents"):
                yield DataTable(
                    id="document-table", cursor_type="row", fixed_columns=1, zebra_stripes=True
                )
                yield Static(classes="stats-cursor", id="document-cursor")
            with TabPane("4 By attribute", id="attributes"):
                yield self.attribute_view
        yield Footer()

    def on_mount(self) -> None:
        if self.stats.tags:
            tag_table = self.query_one("#tag-table", DataTable)
            self._fill_tag_table(tag_table)
            tag_table.move_cursor(column=1)  # on D1: the line below names the document
        if self.stats.cooccurrence:
            self._fill_pair_table(self.query_one("#pair-table", DataTable))
        self._fill_document_table(self.query_one("#document-table", DataTable))
        self._focus_view("tags")

    def _summary(self) -> Content:
        stats = self.stats
        depth = "" if stats.depth is None else f" · tags rolled up to {stats.depth} level(s)"
        counts = (
            _count(len(stats.documents), "document"),
            _count(stats.highlights, "highlight"),
            _count(sum(not t.implied for t in stats.tags), "tag"),
        )
        return Content(f"Statistics · {' · '.join(counts)}{depth}")

    def _legend(self) -> Text:
        legend = Text()
        for i, totals in enumerate(self.columns, start=1):
            legend.append(f"D{i}", style="bold")
            legend.append(f" {document_label(totals)}\n")
        hidden = len(self.stats.documents) - len(self.columns)
        if hidden:
            legend.append(f"+{hidden} more documents, counted in All and Docs\n", style="dim")
        legend.rstrip()
        return legend

    def _fill_tag_table(self, table: DataTable) -> None:
        table.add_column(Text("Tag"), key="tag")
        for totals in self.columns:
            table.add_column(Text(self.labels[totals.id], justify="right"), key=str(totals.id))
        table.add_column(Text("All", justify="right"), key="all")
        table.add_column(Text("Docs", justify="right"), key="docs")
        for tag in self.stats.tags:
            table.add_row(
                tag_label(tag),
                *(_number(tag.count(d.id)) for d in self.columns),
                _number(tag.highlights, dim_zero=False),
                _number(tag.documents, dim_zero=False),
                key=tag.path,
            )

    def _fill_pair_table(self, table: DataTable) -> None:
        top = self.stats.cooccurrence[0].passages
        table.add_column(Text("Passages", justify="right"), key="passages")
        table.add_column(Text(""), key="bar")
        table.add_column(Text("Tag"), key="a")
        table.add_column(Text("Tag"), key="b")
        for pair in self.stats.cooccurrence:
            table.add_row(
                _number(pair.passages),
                bar(pair.passages, top, style="cyan"),
                tag_path_text(pair.a, pair.a_color),
                tag_path_text(pair.b, pair.b_color),
            )

    def _fill_document_table(self, table: DataTable) -> None:
        top = max((d.highlights for d in self.stats.documents), default=0)
        digits = len(str(top))
        for label, key in (
            ("Doc", "doc"), ("Highlights", "highlights"), ("Tagged", "tagged"), ("Tags", "tags"),
            ("Notes", "notes"), ("Orph.", "orphans"), ("/1k", "density"),
        ):  # fmt: skip
            table.add_column(
                Text(label, justify="left" if key in ("doc", "highlights") else "right"), key=key
            )
        table.add_column(Text("Title (source)"), key="title")
        for totals in self.stats.documents:
            highlights = Text(f"{totals.highlights:>{digits}} ", justify="left")
            highlights.append_text(bar(totals.highlights, top, style="cyan"))
            table.add_row(
                Text(self.labels[totals.id], style="bold"),
                highlights,
                _number(totals.tagged),
                _number(totals.distinct_tags),
                _number(totals.notes),
                _number(totals.orphans),
                _number(totals.per_1000_words),
                Text(document_label(totals, 70))
                + (Text(f"  {totals.status}", style="bold") if totals.status != "ok" else Text()),
                key=str(totals.id),
            )

    # Switching views

    def action_show(self, view: str) -> None:
        self.query_one(TabbedContent).active = view
        self._focus_view(view)

    def action_cycle(self, step: int) -> None:
        current = self.query_one(TabbedContent).active or VIEWS[0]
        self.action_show(VIEWS[(VIEWS.index(current) + step) % len(VIEWS)])

    @on(TabbedContent.TabActivated)
    def _tab_clicked(self, event: TabbedContent.TabActivated) -> None:
        if event.pane is not None and event.pane.id:
            self._focus_view(event.pane.id)

    def _focus_view(self, view: str) -> None:
        tables = self.query_one(f"TabPane#{view}").query(DataTable)
        if tables:
            tables.first().focus()

    def action_close(self) -> None:
        self.dismiss(None)

    # What the cursor is on, in full

    @on(DataTable.CellHighlighted, "#tag-table")
    def _tag_cell(self, event: DataTable.CellHighlighted) -> None:
        tag = self.stats.tags[event.coordinate.row]
        line = Text.assemble(
            (display_safe_line(tag.path), _color(tag.color)),
            f" · {tag.highlights} highlight(s) in {tag.documents} document(s)",
        )
        column = event.coordinate.column - 1
        if 0 <= column < len(self.columns):
            totals = self.columns[column]
            line = Text.assemble(
                (display_safe_line(tag.path), _color(tag.color)),
                f" · {tag.count(totals.id)} in ",
                (self.labels[totals.id], "bold"),
                f" {document_label(totals)}",
            )
        self.query_one("#tag-cursor", Static).update(line)

    @on(DataTable.RowHighlighted, "#document-table")
    def _document_row(self, event: DataTable.RowHighlighted) -> None:
        totals = self.stats.documents[event.cursor_row]
        line = Text.assemble(
            (self.labels[totals.id], "bold"),
            f" {display_safe_line(totals.title)} · {display_safe_line(totals.path)}",
        )
        if totals.source:
            line.append(f" · {display_safe_line(totals.source)}")
        self.query_one("#document-cursor", Static).update(line)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
