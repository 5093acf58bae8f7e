"""`reader stats`: the tag-by-document table, tag co-occurrence and per-document totals."""

from __future__ import annotations

import click

from reader.analysis.records import CorpusStats, DocumentTotals, text_bar
from reader.cli.common import json_option, open_workspace, print_json, table
from reader.text.sanitize import display_safe_line
from reader.text.shorten import shorten

MAX_COLUMNS = 20  # documents across the tag table; more would not fit a terminal
TAG_WIDTH = 32
TITLE_WIDTH = 70
BAR_WIDTH = 20
MAX_PAIRS = 30


def _fit(text: str, width: int) -> str:
    text = display_safe_line(text)
    return shorten(text, width)


def document_label(totals: DocumentTotals) -> str:
    """`Title (source)`, one safe line, for legends."""
    title = _fit(totals.title, TITLE_WIDTH)
    return f"{title} ({_fit(totals.source, 30)})" if totals.source else title


def _count(n: int) -> str:
    return str(n) if n else "·"


def echo_tag_table(stats: CorpusStats) -> None:
    """Tags down (children indented under their parents), documents across as D1..Dn."""
    click.echo("Tags × documents: highlights (a tag counts its sub-tags, each highlight once)")
    if not stats.tags:
        click.echo("  no tags yet")
        return
    columns = stats.documents[:MAX_COLUMNS]
    labels = [f"D{i}" for i in range(1, len(columns) + 1)]
    names = [
        _fit("  " * (t.level - 1) + t.path.rsplit("/", 1)[-1] if t.level > 1 else t.path, TAG_WIDTH)
        for t in stats.tags
    ]
    name_width = max(len("TAG"), *(len(n) for n in names))
    rows = [
        [_count(t.count(d.id)) for d in columns] + [str(t.highlights), str(t.documents)]
        for t in stats.tags
    ]
    headers = [*labels, "ALL", "DOCS"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    header = "".join(f"  {h.rjust(w)}" for h, w in zip(headers, widths, strict=True))
    click.echo("TAG".ljust(name_width) + header)
    for name, row in zip(names, rows, strict=True):
        cells = "".join(f"  {c.rjust(w)}" for c, w in zip(row, widths, strict=True))
        click.echo(name.ljust(name_width) + cells)
    click.echo("")
    for label, totals in zip(labels, columns, strict=True):
        click.echo(f"{label} = {document_label(totals)}")
    if len(stats.documents) > len(columns):
        hidden = len(stats.documents) - len(columns)
        click.echo(f"(+{hidden} more documents in ALL and DOCS; pick some with --doc, or --json)")


def echo_cooccurrence(stats: CorpusStats) -> None:
    click.echo("Co-occurrence: passages where both tags apply (same or overlapping highlights)")
    pairs = stats.cooccurrence
    if not pairs:
        click.echo("  no two tags meet on a passage yet")
        return
    top = pairs[0].passages
    width = len(str(top))
    for pair in pairs[:MAX_PAIRS]:
        bar = text_bar(pair.passages, top, BAR_WIDTH).ljust(BAR_WIDTH)
        names = f"{_fit(pair.a, TAG_WIDTH)} + {_fit(pair.b, TAG_WIDTH)}"
        click.echo(f"{str(pair.passages).rjust(width)}  {bar}  {names}")
    if len(pairs) > MAX_PAIRS:
        click.echo(f"(+{len(pairs) - MAX_PAIRS} more pairs; --json lists them all)")


def echo_document_totals(stats: CorpusStats) -> None:
    click.echo("Documents: highlights, tagged ones, distinct tags, notes, orphans, per 1,000 words")
    top = max((d.highlights for d in stats.documents), default=0)
    rows = [
        [
            f"D{i}",
            str(d.highlights).rjust(len(str(top))) + " " + text_bar(d.highlights, top, BAR_WIDTH),
            str(d.tagged),
            str(d.distinct_tags),
            str(d.notes),
            str(d.orphans),
            f"{d.per_1000_words:.1f}",
            document_label(d) + ("" if d.status == "ok" else f"  [{d.status}]"),
        ]
        for i, d in enumerate(stats.documents, start=1)
    ]
    headers = ["DOC", "HIGHLIGHTS", "TAGGED", "TAGS", "NOTES", "ORPHANS", "/1K", "TITLE (SOURCE)"]
    table(rows, headers, [None] * 7 + [None])


@click.command("stats")
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    help="Roll tags up to their first N path segments (actor/serbia/vucic -> actor at 1).",
)
@click.option("--doc", "docs", multiple=True, help="Only this document; repeat for several.")
@json_option
@click.pass_context
def stats_command(
    ctx: click.Context, depth: int | None, docs: tuple[str, ...], as_json: bool
) -> None:
    """Tag counts by document, tags that meet on the same passages, and per-document totals.

    A parent tag counts its sub-tags (each highlight once). Two tags co-occur on a passage when
    one highlight carries both, or two overlapping highlights carry one each.

    \b
    Examples:
        reader stats
        reader stats --depth 1 --doc 000_1d5d00d34374701d --doc 001_4310720f2bcf0b55
        reader stats --json | jq '.cooccurrence[:5]'
    """
    workspace = open_workspace(ctx)
    documents = [workspace.document(doc) for doc in docs] if docs else None
    stats = workspace.stats(depth=depth, documents=documents)
    if as_json:
        print_json(stats.as_json())
        return
    echo_tag_table(stats)
    click.echo("")
    echo_cooccurrence(stats)
    click.echo("")
    echo_document_totals(stats)
