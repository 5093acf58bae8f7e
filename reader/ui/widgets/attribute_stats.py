"""Tag × attribute value in the statistics screen: which frames each outlet (or country, or
period) uses. One column per value with the highlights and a bar of the share of its documents
carrying the tag; over time (`year`, `month`, any date attribute) a sparkline per tag shows the
highlights per 1,000 words period by period. `a` moves to the next attribute."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from reader.analysis.records import (
    AttributeStats,
    TagByValue,
    ValueTotals,
    text_bar,
    value_label,
)
from reader.models import AttributeInfo
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

MAX_VALUES = 24  # value columns; `reader stats --by` has them all
SHARE_CELLS = 4
SPARKS = "▁▂▃▄▅▆▇█"
TAG_CELLS = 28


def sparkline(values: list[float]) -> str:
    """One cell per value, the highest a full block; zero is a dot."""
    top = max(values, default=0)
    if top <= 0:
        return "·" * len(values)
    return "".join(
        SPARKS[min(len(SPARKS) - 1, round(v / top * (len(SPARKS) - 1)))] if v > 0 else "·"
        for v in values
    )


def periods_between(first: str, last: str) -> list[str]:
    """Every year (`2022`…) or month (`2022-03`…) from `first` to `last`, so a trend shows the
    periods with no documents too; other date shapes are taken as they come (empty list)."""
    if len(first) == len(last) == 4:
        return [str(year) for year in range(int(first), int(last) + 1)]
    if len(first) == len(last) == 7:
        start, end = (int(p[:4]) * 12 + int(p[5:]) - 1 for p in (first, last))
        return [f"{m // 12:04}-{m % 12 + 1:02}" for m in range(start, end + 1)][:1200]
    return []


def trend(rows: list[TagByValue]) -> str:
    """Highlights per 1,000 words, period by period (gaps as dots), of one tag's dated rows."""
    dated = {r.value: r.per_1000_words for r in rows if r.value is not None}
    if not dated:
        return ""
    periods = periods_between(min(dated), max(dated)) or sorted(dated)
    return sparkline([dated.get(period, 0.0) for period in periods])


def cell(row: TagByValue) -> Text:
    """`12 ▌▏` — highlights, then the share of the value's documents with the tag."""
    if not row.highlights and not row.documents:
        return Text("·", style="dim", justify="right")
    text = Text(f"{row.highlights} ", justify="right")
    text.append(text_bar(row.share, 1.0, SHARE_CELLS).ljust(SHARE_CELLS), style="cyan")
    return text


class AttributeStatsView(Vertical):
    """The tag × value table of one attribute, chosen among those the documents carry."""

    HELP_TITLE = "Statistics by attribute"
    BINDINGS = [
        Binding("a", "next_attribute(1)", "Next attribute", id="stats.attribute.next",
                tooltip="Count by the next attribute (site, year, month, outlet…)"),
        Binding("A", "next_attribute(-1)", "Previous attribute", show=False,
                id="stats.attribute.previous"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    AttributeStatsView { height: 1fr; }
    AttributeStatsView > .attribute-heading { height: 1; padding: 0 1; color: $text-muted; }
    AttributeStatsView > DataTable { height: 1fr; }
    AttributeStatsView > .attribute-cursor { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(
        self, names: list[AttributeInfo], count_by: Callable[[str], AttributeStats | None]
    ) -> None:
        super().__init__(id="attribute-view")
        self.names = names
        self.count_by = count_by
        preferred = [n.name for n in names if n.name == "site"] or [n.name for n in names]
        self.name_index = [n.name for n in names].index(preferred[0]) if names else 0
        self.stats: AttributeStats | None = None
        self.heading = Static(classes="attribute-heading")
        self.table = DataTable(id="attribute-table", fixed_columns=1, zebra_stripes=True,
                               header_height=2)  # value, then its documents
        self.cursor_line = Static(classes="attribute-cursor")

    def compose(self) -> ComposeResult:
        yield self.heading
        yield self.table
        yield self.cursor_line

    def on_mount(self) -> None:
        self.show_attribute()

    def action_next_attribute(self, step: int) -> None:
        if self.names:
            self.name_index = (self.name_index + step) % len(self.names)
            self.show_attribute()

    def show_attribute(self) -> None:
        if not self.names:
            self.heading.update(Content("No attributes yet: I on a document sets some "
                                        "(outlet=ECFR); site, year and month come from dates "
                                        "and pages."))  # fmt: skip
            return
        info = self.names[self.name_index]
        self.stats = self.count_by(info.name)
        self._fill(self.stats)
        others = " · ".join(n.name for n in self.names if n is not info)
        shown = len(_shown_values(self.stats)) if self.stats else 0
        total = len(self.stats.values) if self.stats else 0
        cut = f" · {shown} of {total} shown (all: reader stats --by)" if shown < total else ""
        self.heading.update(Content.assemble(
            ("by ", "dim"), (display_safe_line(info.name), "bold"),
            f" ({info.kind}, {info.values} value(s)){cut} · a: next attribute",
            (f" · {display_safe_line(others)}" if others else "", "dim"),
        ))  # fmt: skip

    def _fill(self, stats: AttributeStats | None) -> None:
        table = self.table
        table.clear(columns=True)
        if stats is None or not stats.values:
            return
        over_time = stats.kind == "date"
        values = _shown_values(stats)
        table.add_column(Text("Tag"), key="tag")
        if over_time:
            table.add_column(Text("Trend"), key="trend")
        for totals in values:
            label = shorten(display_safe_line(totals.label), 14)
            table.add_column(Text(f"{label}\n{totals.documents} doc", justify="right"),
                             key=f"v{values.index(totals)}")  # fmt: skip
        by_tag: dict[str, list[TagByValue]] = {}
        for row in stats.rows:
            by_tag.setdefault(row.tag, []).append(row)
        for tag, rows in by_tag.items():
            first = rows[0]
            name = tag if first.level == 1 else tag.rsplit("/", 1)[-1]
            label = Text("  " * (first.level - 1) + shorten(display_safe_line(name), TAG_CELLS),
                         style="italic" if first.implied else "bold")  # fmt: skip
            by_value = {r.value: r for r in rows}
            line = [Text(trend(rows), style="cyan")] if over_time else []
            table.add_row(label, *line, *(cell(by_value[v.value]) for v in values), key=tag)

    @on(DataTable.CellHighlighted, "#attribute-table")
    def _cell(self, event: DataTable.CellHighlighted) -> None:
        stats = self.stats
        if stats is None or not stats.values:
            return
        tags = stats.tags
        if not 0 <= event.coordinate.row < len(tags):
            return
        tag = tags[event.coordinate.row].tag
        column = event.coordinate.column - (2 if stats.kind == "date" else 1)
        values = _shown_values(stats)
        if not 0 <= column < len(values):
            self.cursor_line.update(Text(display_safe_line(tag)))
            return
        row = stats.row(tag, values[column].value)
        if row is None:
            return
        self.cursor_line.update(Text.assemble(
            (display_safe_line(tag), "bold"), " · ", display_safe_line(value_label(row.value)),
            f": {row.highlights} highlight(s) in {row.documents} of {row.documents_total} "
            f"document(s) ({row.share:.0%}) · {row.per_1000_words:.2f} per 1,000 words",
        ))  # fmt: skip


def _shown_values(stats: AttributeStats) -> list[ValueTotals]:
    """The value columns: the first ones (the latest periods, for dates), then "(none)"."""
    known = [v for v in stats.values if v.value is not None]
    none = [v for v in stats.values if v.value is None]
    room = MAX_VALUES - len(none)
    kept = known[-room:] if stats.kind == "date" else known[:room]
    return kept + none
